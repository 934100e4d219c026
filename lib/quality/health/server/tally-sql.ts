// The health tallies' change, counted by the statement that writes "Record" (migration
// *_health_tally_in_statement, lib/quality/README-health.md). Statement-level triggers
// with transition tables made PostgreSQL copy every written row (~2 KB each, old and new):
// they doubled a bulk accept of 100,000 records and slowed batched inserts by ~28%,
// imports by ~17%. Instead each UPDATE of "Record"
// (lib/review/server/decisions.ts: one record, many by filter, undo) returns just the
// columns the tallies need, through PostgreSQL 18's `returning old.x, new.x`, and a
// data-modifying CTE adds up the net change per key and upserts it:
//
//   with upd as (update "Record" r set ... returning r.id, ${TALLY_RETURNING}),
//        tally as (${tallyUpsert("upd")})
//   select ...
//
// Inserts return TALLY_INSERTED instead (a run's batch, the seed fixture; an import selects
// the rows its COPY wrote). A new INSERT, or UPDATE of the review state, labels, values or
// edits, must do the same: health.db.test.ts and runs.db.test.ts compare the tallies with
// direct counts after each path. Deletes keep the AFTER DELETE trigger.
// Status, run and dataset never change in an UPDATE, so only these three parts are counted.
// An UPDATE still returns the record's run and status: judged records by review state
// (kind 'judged', migration *_judged_tally) are the succeeded records of runs with a judge,
// looked up once per group of the review part. Grouping by the run and status costs a bulk
// accept of 100,000 records nothing measurable (802 ms against 782, medians of 5);
// grouping by "nonTextFields" instead cost 70% more.
// Plain SQL text without parameters, for both Prisma.raw and $executeRawUnsafe.

// Bits of datawright_health_keys' `parts`: 2 review state, 4 labels, 8 values and token
// lengths. Values change only with `edits` (an edit or its undo), so a bulk accept reads
// neither values nor provenance: the CASEs leave them unread unless edits changed.
const editsChanged = `old.edits is distinct from new.edits`;
const labelsChanged = `old.labels is distinct from new.labels`;

/** The RETURNING columns of an UPDATE of "Record" that `tallyUpsert` reads. */
export const TALLY_RETURNING = `old."datasetId" as "tallyDs", old."runId" as "tallyRun", old.status as "tallyStatus",
  (case when old."reviewState" is distinct from new."reviewState" then 2 else 0 end
    | case when ${labelsChanged} then 4 else 0 end
    | case when ${editsChanged} then 8 else 0 end) as "tallyParts",
  old."reviewState" as "tallyOldState", new."reviewState" as "tallyNewState",
  case when ${labelsChanged} then old.labels end as "tallyOldLabels",
  case when ${labelsChanged} then new.labels end as "tallyNewLabels",
  case when ${editsChanged} then old.values end as "tallyOldValues",
  case when ${editsChanged} then new.values end as "tallyNewValues",
  case when ${editsChanged} then old.edits end as "tallyOldEdits",
  case when ${editsChanged} then new.edits end as "tallyNewEdits",
  case when ${editsChanged} then new.provenance end as "tallyProv"`;

/**
 * The same columns for records just inserted (RETURNING of an INSERT into "Record", or a
 * SELECT of the rows a COPY wrote): every part counts, nothing to subtract.
 */
export const TALLY_INSERTED = `"datasetId" as "tallyDs", "runId" as "tallyRun", status as "tallyStatus", 15 as "tallyParts", checks as "tallyChecks",
  "reviewState" as "tallyNewState", labels as "tallyNewLabels", values as "tallyNewValues", edits as "tallyNewEdits",
  provenance as "tallyProv"`;

/**
 * An upsert of the net tally change of the rows of CTE `cte` (which returned
 * TALLY_RETURNING), in key order so that concurrent writers lock tally rows in the same
 * order and cannot deadlock (as the DELETE trigger does).
 */
export function tallyUpsert(cte: string, inserted = false): string {
  const before = `
      select "tallyDs" as ds, "tallyRun" as run, "tallyStatus" as st, -1 as sign, "tallyOldState" as rs, "tallyOldLabels" as labels,
        "tallyOldValues" as vals, "tallyOldEdits" as edits, "tallyProv" as prov, "tallyParts" as parts
      from "${cte}" where "tallyParts" <> 0
      union all`;
  // Status, run, review state and labels repeat across records: they are grouped first, so a
  // bulk accept of 100,000 records looks up keys twice, not 200,000 times. Values and token
  // lengths (bit 8) differ per record and are looked up per record.
  return `
    insert into "HealthTally" ("datasetId", kind, field, value, count)
    with u as (${inserted ? "" : before}
      select "tallyDs" as ds, "tallyRun" as run, "tallyStatus" as st, 1 as sign, "tallyNewState" as rs, "tallyNewLabels" as labels,
        "tallyNewValues" as vals, "tallyNewEdits" as edits, "tallyProv" as prov, "tallyParts" as parts
      from "${cte}" where "tallyParts" <> 0
    ), c as (
      select ds, run, st, rs, labels, null::jsonb as vals, null::jsonb as edits, null::jsonb as prov, parts & 7 as parts, sum(sign) as n
      from u where parts & 7 <> 0 group by ds, run, st, rs, labels, parts & 7
      union all
      select ds, null, null, null, null, vals, edits, prov, 8, sign from u where parts & 8 <> 0
    )
    select c.ds, k.kind, k.field, k.value, sum(c.n)::int
    from c, datawright_health_keys(c.ds, c.run, c.st, c.rs, c.labels, c.vals, c.edits, c.prov, c.parts) k
    group by 1, 2, 3, 4 having sum(c.n) <> 0 order by 1, 2, 3, 4
    on conflict ("datasetId", kind, field, value) do update set count = "HealthTally".count + excluded.count`;
}

/**
 * Validator results of the rows of CTE `cte` (which returned TALLY_INSERTED): kind "check",
 * field the validator, value "pass", "flag" or "reject" (how it failed). Checks are written
 * once, by the run that generates the record (lib/runs/server/executor.ts), and no later
 * statement changes them, so only inserts count them; a failed record has none.
 */
export function checkTallyUpsert(cte: string): string {
  return `
    insert into "HealthTally" ("datasetId", kind, field, value, count)
    select c."tallyDs", 'check', e.key, case when (e.value->>'pass')::boolean then 'pass' else coalesce(e.value->>'mode', 'flag') end, count(*)::int
    from "${cte}" c, jsonb_each(c."tallyChecks") e
    where c."tallyChecks" is not null and jsonb_typeof(c."tallyChecks") = 'object'
    group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict ("datasetId", kind, field, value) do update set count = "HealthTally".count + excluded.count`;
}

/**
 * TALLY_RETURNING with values counted as changed whenever they differ: elsewhere values
 * change only with edits, but a regeneration or a restore (lib/runs/server/
 * regenerate-executor.ts, lib/review/server/versions.ts) replaces them.
 */
export const REGEN_TALLY_RETURNING = TALLY_RETURNING.replaceAll("old.edits is distinct from new.edits", "(old.values is distinct from new.values or old.edits is distinct from new.edits)");

/**
 * The validator tallies' change for the rows of CTE `cte`, which returned "oldChecks" and
 * "newChecks": the old results are taken off, the new ones added (inserts count only new
 * ones, tally-sql.ts `checkTallyUpsert`; a regeneration or a restore replaces them).
 */
export function checkTallyDelta(cte: string): string {
  return `
         insert into "HealthTally" ("datasetId", kind, field, value, count)
         select x.ds, 'check', e.key, case when (e.value->>'pass')::boolean then 'pass' else coalesce(e.value->>'mode', 'flag') end, sum(x.sign)::int
         from (select "tallyDs" as ds, -1 as sign, "oldChecks" as c from "${cte}" where "oldChecks" is distinct from "newChecks"
               union all select "tallyDs", 1, "newChecks" from "${cte}" where "oldChecks" is distinct from "newChecks") x, jsonb_each(x.c) e
         where x.c is not null and jsonb_typeof(x.c) = 'object'
         group by 1, 2, 3, 4 having sum(x.sign) <> 0 order by 1, 2, 3, 4
         on conflict ("datasetId", kind, field, value) do update set count = "HealthTally".count + excluded.count`;
}
