-- Records a judge has scored, by review state (kind 'judged'): the records page shows how
-- many records people reviewed beside how many only the judge has a verdict on
-- (lib/review/server/records.ts reviewStats), read from the tallies like the review
-- progress, not counted over every record. A judge that cannot score a record fails it, so
-- the records with a verdict are the succeeded records of runs whose blueprint has one of
-- the dataset's judges (HealthField kind 'judge', kept from the draft by syncHealthFields).
-- The key joins the review part (bit 2): every statement that writes records passes their
-- run and status (lib/quality/health/server/tally-sql.ts), and the run is looked up once
-- per group of records, so a bulk accept reads no values to count it.
CREATE FUNCTION datawright_run_judged(ds uuid, run uuid) RETURNS boolean LANGUAGE sql STABLE AS $fn$
  SELECT run IS NOT NULL AND EXISTS (
    SELECT 1 FROM "Run" r JOIN "BlueprintVersion" v ON v.id = r."blueprintVersionId",
      jsonb_array_elements(CASE WHEN jsonb_typeof(v.blueprint->'fields') = 'array' THEN v.blueprint->'fields' ELSE '[]' END) f
    WHERE r.id = run AND f->>'kind' = 'judge'
      AND EXISTS (SELECT 1 FROM "HealthField" h WHERE h."datasetId" = ds AND h.kind = 'judge' AND h.name = f->>'name'))
$fn$;

CREATE OR REPLACE FUNCTION datawright_health_keys(ds uuid, run uuid, st "RecordStatus", rs "ReviewState", labels jsonb, vals jsonb, edits jsonb, prov jsonb, parts int, fields_only text[] DEFAULT NULL)
RETURNS TABLE (kind text, field text, value text) LANGUAGE sql STABLE AS $fn$
  SELECT 'status', '', st::text WHERE parts & 1 <> 0
  UNION ALL SELECT 'run', '', coalesce(run::text, 'imported') WHERE parts & 1 <> 0
  UNION ALL SELECT 'review', '', rs::text WHERE parts & 2 <> 0
  UNION ALL SELECT 'judged', '', rs::text WHERE parts & 2 <> 0 AND st = 'succeeded' AND datawright_run_judged(ds, run)
  UNION ALL
  SELECT 'label', l.key, l.value #>> '{}' FROM jsonb_each(labels) l
  WHERE parts & 4 <> 0 AND jsonb_typeof(l.value) IN ('string', 'number', 'boolean')
  UNION ALL
  SELECT 'label', l.key, e.v FROM jsonb_each(labels) l, jsonb_array_elements_text(l.value) e(v)
  WHERE parts & 4 <> 0 AND jsonb_typeof(l.value) = 'array'
  UNION ALL
  SELECT 'value', f.name, vals->f.name #>> '{}' FROM "HealthField" f
  WHERE parts & 8 <> 0 AND f."datasetId" = ds AND f.kind = 'value' AND (fields_only IS NULL OR f.name = ANY(fields_only))
    AND jsonb_typeof(vals->f.name) IN ('string', 'number', 'boolean')
  UNION ALL
  SELECT 'value', f.name, e.v FROM "HealthField" f, jsonb_array_elements_text(vals->f.name) e(v)
  WHERE parts & 8 <> 0 AND f."datasetId" = ds AND f.kind = 'value' AND (fields_only IS NULL OR f.name = ANY(fields_only))
    AND jsonb_typeof(vals->f.name) = 'array'
  UNION ALL
  SELECT 'tokens', f.name, (8 * floor(coalesce(
      CASE WHEN NOT coalesce(edits ? f.name, false) THEN (prov->'llm'->f.name->>'tokensOut')::int END,
      ceil(length(vals->>f.name) / 4.0)) / 8))::int::text
  FROM "HealthField" f
  WHERE parts & 8 <> 0 AND f."datasetId" = ds AND f.kind = 'tokens' AND (fields_only IS NULL OR f.name = ANY(fields_only))
    AND jsonb_typeof(vals->f.name) IS NOT NULL AND jsonb_typeof(vals->f.name) <> 'null'
$fn$;
