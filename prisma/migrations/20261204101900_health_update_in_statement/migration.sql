-- Health tallies: no UPDATE trigger on "Record" (lib/quality/README-health.md). Its
-- transition tables made PostgreSQL copy every changed row twice, which doubled a bulk
-- accept of 100,000 records. Each UPDATE of "Record" (lib/review/server/decisions.ts) now
-- applies its tally change in the same statement from `returning old.x, new.x`
-- (lib/quality/health/server/tally-sql.ts). Written by hand: schema.prisma cannot express
-- triggers. The INSERT and DELETE triggers stay (runs, imports, retries, deleted imports).
DROP TRIGGER health_tally_update ON "Record";

CREATE OR REPLACE FUNCTION datawright_health_tally() RETURNS trigger LANGUAGE plpgsql AS $fn$
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
  END IF;
  RETURN NULL;
END
$fn$;
