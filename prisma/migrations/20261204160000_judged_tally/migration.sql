-- Records a judge has scored, by review state (kind 'judged'): the records page shows how
-- many records people reviewed beside how many only the judge has a verdict on
-- (lib/review/server/records.ts reviewStats), read from the tallies like the review
-- progress, not counted over every record. A record counts as judged when one of the
-- dataset's judge fields (HealthField kind 'judge', kept by syncHealthFields) holds a
-- non-text value: a verdict is an object, and "nonTextFields" lists such fields in the
-- row itself, so a bulk accept reads no values to count it. The key joins the review
-- part (bit 2) of the tallies (lib/quality/health/server/tally-sql.ts): no UPDATE takes a
-- field out of "nonTextFields", so only a change of review state moves a judged record.
-- The function gains a last parameter with a default: existing calls keep working.
DROP FUNCTION datawright_health_keys(uuid, uuid, "RecordStatus", "ReviewState", jsonb, jsonb, jsonb, jsonb, int, text[]);

CREATE FUNCTION datawright_health_keys(ds uuid, run uuid, st "RecordStatus", rs "ReviewState", labels jsonb, vals jsonb, edits jsonb, prov jsonb, parts int, fields_only text[] DEFAULT NULL, non_text text[] DEFAULT NULL)
RETURNS TABLE (kind text, field text, value text) LANGUAGE sql STABLE AS $fn$
  SELECT 'status', '', st::text WHERE parts & 1 <> 0
  UNION ALL SELECT 'run', '', coalesce(run::text, 'imported') WHERE parts & 1 <> 0
  UNION ALL SELECT 'review', '', rs::text WHERE parts & 2 <> 0
  UNION ALL SELECT 'judged', '', rs::text WHERE parts & 2 <> 0 AND non_text && ARRAY(
    SELECT f.name FROM "HealthField" f WHERE f."datasetId" = ds AND f.kind = 'judge')
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

-- The DELETE trigger passes the deleted records' non-text fields, so judged records leave
-- the count with them.
CREATE OR REPLACE FUNCTION datawright_health_tally() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- AFTER DELETE only. A dataset deleted in the same statement (cascade) is left out: its
  -- tallies go with it.
  INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
  SELECT o."datasetId", k.kind, k.field, k.value, -count(*)::int
  FROM old_rows o, datawright_health_keys(o."datasetId", o."runId", o.status, o."reviewState", o.labels, o.values, o.edits, o.provenance, 15,
    non_text => o."nonTextFields") k
  WHERE EXISTS (SELECT 1 FROM "Dataset" d WHERE d.id = o."datasetId")
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("datasetId", kind, field, value) DO UPDATE SET count = "HealthTally".count + excluded.count;
  RETURN NULL;
END
$fn$;
