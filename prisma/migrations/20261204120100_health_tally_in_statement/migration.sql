-- Health tallies: no INSERT or UPDATE trigger on "Record" (lib/quality/README-health.md).
-- Their transition tables made PostgreSQL copy every written row (old and new for an
-- update), which doubled a bulk accept of 100,000 records and slowed run writes and
-- imports. The statements that insert or update records now apply their tally change
-- themselves (lib/quality/health/server/tally-sql.ts): review writes from
-- `returning old.x, new.x`, a run's batch from its INSERT's RETURNING, an import from the
-- rows its COPY wrote, before commit. Written by hand: schema.prisma cannot express
-- triggers. The DELETE trigger stays: deletes are rare (a run's failed records before a
-- retry, a deleted import), and Prisma's deleteMany has no RETURNING.
DROP TRIGGER health_tally_update ON "Record";
DROP TRIGGER health_tally_insert ON "Record";

CREATE OR REPLACE FUNCTION datawright_health_tally() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  -- AFTER DELETE only. A dataset deleted in the same statement (cascade) is left out: its
  -- tallies go with it.
  INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
  SELECT o."datasetId", k.kind, k.field, k.value, -count(*)::int
  FROM old_rows o, datawright_health_keys(o."datasetId", o."runId", o.status, o."reviewState", o.labels, o.values, o.edits, o.provenance, 15) k
  WHERE EXISTS (SELECT 1 FROM "Dataset" d WHERE d.id = o."datasetId")
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
  ON CONFLICT ("datasetId", kind, field, value) DO UPDATE SET count = "HealthTally".count + excluded.count;
  RETURN NULL;
END
$fn$;
