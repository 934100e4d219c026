-- CreateTable
CREATE TABLE "HealthField" (
    "datasetId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "HealthField_pkey" PRIMARY KEY ("datasetId","kind","name")
);

-- CreateTable
CREATE TABLE "HealthTally" (
    "datasetId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "HealthTally_pkey" PRIMARY KEY ("datasetId","kind","field","value")
);

-- CreateTable
CREATE TABLE "TextStats" (
    "id" UUID NOT NULL,
    "datasetId" UUID NOT NULL,
    "runId" UUID,
    "groupKey" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "records" INTEGER NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "distinct1" DOUBLE PRECISION NOT NULL,
    "distinct2" DOUBLE PRECISION NOT NULL,
    "distinct3" DOUBLE PRECISION NOT NULL,
    "compressionRatio" DOUBLE PRECISION NOT NULL,
    "computedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TextStats_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TextStats_datasetId_groupKey_field_key" ON "TextStats"("datasetId", "groupKey", "field");

-- AddForeignKey
ALTER TABLE "HealthField" ADD CONSTRAINT "HealthField_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HealthTally" ADD CONSTRAINT "HealthTally_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TextStats" ADD CONSTRAINT "TextStats_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TextStats" ADD CONSTRAINT "TextStats_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Health tallies (lib/quality/README-health.md). Written by hand: schema.prisma cannot
-- express functions or triggers, and the drift test compares tables, indexes and
-- constraints, which these do not change.
--
-- The keys one record contributes to the tallies. `parts` picks which (bit 1: status and
-- run, 2: review state, 4: labels, 8: tracked values and token lengths), so that a review
-- write, which changes only the review state, reads neither values nor provenance.
-- `fields_only`: restrict values and tokens to these fields (a backfill of newly tracked fields).
-- Token lengths: the model's own count (provenance.llm.<field>.tokensOut) while the field is
-- unedited, else characters / 4, rounded up; bucketed by 8 tokens (TOKEN_BUCKET in
-- lib/quality/health/shape.ts).
CREATE FUNCTION datawright_health_keys(ds uuid, run uuid, st "RecordStatus", rs "ReviewState", labels jsonb, vals jsonb, edits jsonb, prov jsonb, parts int, fields_only text[] DEFAULT NULL)
RETURNS TABLE (kind text, field text, value text) LANGUAGE sql STABLE AS $fn$
  SELECT 'status', '', st::text WHERE parts & 1 <> 0
  UNION ALL SELECT 'run', '', coalesce(run::text, 'imported') WHERE parts & 1 <> 0
  UNION ALL SELECT 'review', '', rs::text WHERE parts & 2 <> 0
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

-- One trigger function for the three statements. Each adds up its net change per key and
-- applies it in one upsert, in key order, so two writers lock tally rows in the same order
-- (no deadlock). Updates only look at what changed: values change only through edits
-- (lib/review/server/decisions.ts writes `edits` with every change of `values`, undo
-- included), so a bulk accept of 100,000 records reads only their review state.
-- A dataset deleted in the same statement (cascade) is left out: its tallies go with it.
CREATE FUNCTION datawright_health_tally() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
    SELECT n."datasetId", k.kind, k.field, k.value, count(*)::int
    FROM new_rows n, datawright_health_keys(n."datasetId", n."runId", n.status, n."reviewState", n.labels, n.values, n.edits, n.provenance, 15) k
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("datasetId", kind, field, value) DO UPDATE SET count = "HealthTally".count + excluded.count;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
    SELECT o."datasetId", k.kind, k.field, k.value, -count(*)::int
    FROM old_rows o, datawright_health_keys(o."datasetId", o."runId", o.status, o."reviewState", o.labels, o.values, o.edits, o.provenance, 15) k
    WHERE EXISTS (SELECT 1 FROM "Dataset" d WHERE d.id = o."datasetId")
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("datasetId", kind, field, value) DO UPDATE SET count = "HealthTally".count + excluded.count;
  ELSE
    INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
    SELECT d."datasetId", d.kind, d.field, d.value, sum(d.n)::int FROM (
      SELECT c."datasetId", k.kind, k.field, k.value, c.sign AS n
      FROM (
        SELECT o."datasetId", o."runId", o.status, o."reviewState", o.labels, o.values, o.edits, o.provenance, -1 AS sign,
          (CASE WHEN o.status IS DISTINCT FROM n.status OR o."runId" IS DISTINCT FROM n."runId" OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 1 ELSE 0 END)
          | (CASE WHEN o."reviewState" IS DISTINCT FROM n."reviewState" OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 2 ELSE 0 END)
          | (CASE WHEN o.labels IS DISTINCT FROM n.labels OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 4 ELSE 0 END)
          | (CASE WHEN o.edits IS DISTINCT FROM n.edits OR o.status IS DISTINCT FROM n.status OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 8 ELSE 0 END) AS parts
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        UNION ALL
        SELECT n."datasetId", n."runId", n.status, n."reviewState", n.labels, n.values, n.edits, n.provenance, 1,
          (CASE WHEN o.status IS DISTINCT FROM n.status OR o."runId" IS DISTINCT FROM n."runId" OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 1 ELSE 0 END)
          | (CASE WHEN o."reviewState" IS DISTINCT FROM n."reviewState" OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 2 ELSE 0 END)
          | (CASE WHEN o.labels IS DISTINCT FROM n.labels OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 4 ELSE 0 END)
          | (CASE WHEN o.edits IS DISTINCT FROM n.edits OR o.status IS DISTINCT FROM n.status OR o."datasetId" IS DISTINCT FROM n."datasetId" THEN 8 ELSE 0 END)
        FROM old_rows o JOIN new_rows n ON n.id = o.id
      ) c, datawright_health_keys(c."datasetId", c."runId", c.status, c."reviewState", c.labels, c.values, c.edits, c.provenance, c.parts) k
      WHERE c.parts <> 0
    ) d
    GROUP BY 1, 2, 3, 4 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT ("datasetId", kind, field, value) DO UPDATE SET count = "HealthTally".count + excluded.count;
  END IF;
  RETURN NULL;
END
$fn$;

CREATE TRIGGER health_tally_insert AFTER INSERT ON "Record" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION datawright_health_tally();
CREATE TRIGGER health_tally_update AFTER UPDATE ON "Record" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION datawright_health_tally();
CREATE TRIGGER health_tally_delete AFTER DELETE ON "Record" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION datawright_health_tally();

-- Records written before this migration: status, run, review state and labels now (no
-- field is tracked yet; values and lengths are counted when a field is first tracked).
INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
SELECT r."datasetId", k.kind, k.field, k.value, count(*)::int
FROM "Record" r, datawright_health_keys(r."datasetId", r."runId", r.status, r."reviewState", r.labels, r.values, r.edits, r.provenance, 7) k
GROUP BY 1, 2, 3, 4;
