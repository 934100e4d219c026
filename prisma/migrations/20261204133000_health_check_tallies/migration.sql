-- Validator results in the health tallies (kind "check": pass, flag or reject per
-- validator), kept from now on by the run's batch insert (lib/quality/health/server/tally-sql.ts
-- checkTallyUpsert). Records checked before this migration are counted here once.
INSERT INTO "HealthTally" ("datasetId", kind, field, value, count)
SELECT r."datasetId", 'check', e.key, CASE WHEN (e.value->>'pass')::boolean THEN 'pass' ELSE coalesce(e.value->>'mode', 'flag') END, count(*)::int
FROM "Record" r, jsonb_each(r.checks) e
WHERE r.checks IS NOT NULL AND jsonb_typeof(r.checks) = 'object'
GROUP BY 1, 2, 3, 4
ON CONFLICT ("datasetId", kind, field, value) DO UPDATE SET count = "HealthTally".count + excluded.count;
