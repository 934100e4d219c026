import "server-only";
// Per-generation Evol-Instruct counts of a run (the run page's `evolution`), kept in
// EvolutionTally by the statements that add or remove the run's records, so a poll reads a
// few rows. Counting every record's lineage per poll decompressed each record's values: at
// 50,000 records that was most of the poll (bench/README.md). What counts is what the
// records hold, as before: every step of the lineage in each evolve field's value, by
// generation and outcome ("" kept, else the elimination rule), failed records included.
// Regenerating the evolve field later (a regeneration run) or restoring an earlier version
// rewrites lineages in place without touching these counts: the run's page then keeps
// showing what the run itself generated.
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db, Tx } from "@/lib/db/server/prisma";
import type { EliminationRule } from "@/lib/recipes/evol-instruct";
import type { EvolGenerationStats } from "@/lib/recipes/evol-lineage";

/** The fields whose lineages a run's records hold. */
export function evolveFieldNames(blueprint: Blueprint): string[] {
  return blueprint.fields.flatMap((f) => (f.kind === "evolve" ? [f.name] : []));
}

/** Outcome of a kept step: no elimination rule. */
const KEPT = "";

/**
 * The (field, generation, outcome, n) rows that the records in `rows` (a relation with a
 * `values` column, as `valuesColumn`) hold for the evolve fields `fields` (a SQL text[]).
 */
function lineageCounts(rows: string, valuesColumn: string, fields: string): string {
  return `
    select f.name as field, (s->>'generation')::int as generation, coalesce(s->>'eliminated', '${KEPT}') as outcome, count(*)::int as n
    from ${rows} x
    cross join unnest(${fields}) as f(name)
    cross join lateral jsonb_array_elements(
      case when jsonb_typeof(x.${valuesColumn}->f.name->'lineage') = 'array' then x.${valuesColumn}->f.name->'lineage' else '[]'::jsonb end) s
    group by 1, 2, 3`;
}

/**
 * An upsert (for a CTE of the executor's insert) adding the lineages of the rows CTE `cte`
 * returned (values as "tallyNewValues", health's TALLY_INSERTED) to run `runParam`; `fieldsParam`
 * is a text[] of the run's evolve fields. In key order, so two processes writing the same
 * run lock tally rows in the same order and cannot deadlock.
 */
export function evolutionTallyUpsert(cte: string, runParam: string, fieldsParam: string): string {
  return `
    insert into "EvolutionTally" as t ("runId", field, generation, outcome, n)
    select ${runParam}, field, generation, outcome, n from (${lineageCounts(`"${cte}"`, `"tallyNewValues"`, fieldsParam)}) c
    order by field, generation, outcome
    on conflict ("runId", field, generation, outcome) do update set n = t.n + excluded.n`;
}

/**
 * Deletes the run's failed records (before a retry redoes them) and takes their lineages off
 * its tallies, in one statement; returns how many records went. The fields are the ones the
 * run has tallies for: a field with none has nothing to take off.
 */
export async function deleteFailedRecords(db: Db | Tx, runId: string): Promise<number> {
  const [row] = await db.$queryRawUnsafe<{ count: number }[]>(
    `with gone as (
       delete from "Record" where "runId" = $1::uuid and status = 'failed' returning values
     ), off as (
       update "EvolutionTally" t set n = t.n - c.n
       from (${lineageCounts("gone", "values", `array(select distinct field from "EvolutionTally" where "runId" = $1::uuid)`)}) c
       where t."runId" = $1::uuid and t.field = c.field and t.generation = c.generation and t.outcome = c.outcome
     )
     select count(*)::int as count from gone`,
    runId,
  );
  return row.count;
}

/** Per evolve field (in the blueprint's order), per generation: evolved, kept and dropped by each rule. */
export async function evolutionStats(db: Db, runId: string, fields: readonly string[]): Promise<{ field: string; generations: EvolGenerationStats[] }[]> {
  if (fields.length === 0) return [];
  const rows = await db.$queryRaw<{ field: string; generation: number; outcome: string; n: number }[]>`
    select field, generation, outcome, n from "EvolutionTally" where "runId" = ${runId}::uuid and n > 0 order by field, generation, outcome`;
  return fields.map((field) => {
    const byGeneration = new Map<number, EvolGenerationStats>();
    for (const r of rows) {
      if (r.field !== field) continue;
      const g = byGeneration.get(r.generation) ?? { generation: r.generation, evolved: 0, kept: 0, dropped: {} };
      g.evolved += r.n;
      if (r.outcome === KEPT) g.kept += r.n;
      else g.dropped[r.outcome as EliminationRule] = r.n;
      byGeneration.set(r.generation, g);
    }
    return { field, generations: [...byGeneration.values()] };
  });
}
