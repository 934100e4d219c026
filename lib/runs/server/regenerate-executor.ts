import "server-only";
// Executes a regenerate run (settings.regenerate): re-runs one LLM field, and the fields
// that read it, over the records chosen at launch, updating them in place. Resumable like a
// run: each record's regeneration is written with its RecordVersion row in one statement,
// and the version's (runId, recordId) is unique, so a record already done is skipped and a
// resumed run stores nothing twice; answers paid for before a crash come from the cache
// (keyed by the run's seed and the record's position in the run).
import { reviewedFields } from "@/lib/blueprints/dependents";
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import type { Run } from "@/lib/generated/prisma/client";
import { ModelCallError, RecordInterrupted } from "@/lib/generation/generate-record";
import { regenerateRecord, type RegeneratedRecord } from "@/lib/generation/regenerate-record";
import { checkTallyDelta, REGEN_TALLY_RETURNING, tallyUpsert } from "@/lib/quality/health/server/tally-sql";
import { evaluateChecks, prepareValidators, type CheckedRecord } from "@/lib/quality/validators/evaluate";
import { describeProblems, makeStorable } from "@/lib/records/storable";
import { nonTextFields } from "@/lib/records/values";
import type { RunSettings } from "../schemas";
import type { connectionRuntime } from "./connection-runtime";
import { dbCache, finish, runControls, stoppedEnd, watchRun, type ExecuteOptions } from "./executor";

const FLUSH_EVERY_MS = 200;
const FLUSH_AT_RECORDS = 500;
const LOAD_CHUNK = 1_000;

type Loaded = { values: Record<string, unknown>; llm: CheckedRecord["llm"] };

export async function executeRegenerate(
  db: Db,
  run: Run,
  blueprint: Blueprint,
  settings: RunSettings,
  rt: Awaited<ReturnType<typeof connectionRuntime>>,
  opts: ExecuteOptions,
): Promise<void> {
  const regen = settings.regenerate!;
  const runId = run.id;
  if (!blueprint.fields.some((f) => f.name === regen.field && f.kind === "llm")) {
    return finish(db, runId, "failed", `"${regen.field}" is not an LLM field of the blueprint this run froze.`);
  }
  const { stop, outcome, halt, cache, call, release } = runControls(db, run, settings, rt, opts);

  const done = await db.recordVersion.findMany({ where: { runId }, select: { recordId: true } });
  const doneSet = new Set(done.map((d) => d.recordId));
  const todo: number[] = [];
  regen.recordIds.forEach((id, position) => doneSet.has(id) || todo.push(position));

  const validators = prepareValidators(blueprint);
  const writer = new RegenerateWriter(db, runId, run.datasetId, reviewedFields(blueprint), cache);
  let spent = run.costUsd;
  const watcher = watchRun(db, runId, rt, halt);
  const flusher = setInterval(() => void writer.flush().catch(() => {}), FLUSH_EVERY_MS);

  // Current values, read a chunk ahead of the workers: a record deleted since launch is
  // simply missing and counted failed.
  let loaded = new Map<string, Loaded>();
  let loadedEnd = 0;
  let loading: Promise<void> | null = null;
  const load = async (from: number) => {
    const ids = todo.slice(from, from + LOAD_CHUNK).map((p) => regen.recordIds[p]);
    const rows = await db.$queryRaw<{ id: string; values: Record<string, unknown>; llm: CheckedRecord["llm"] | null }[]>`
      select id, values, (select jsonb_object_agg(k, v - 'messages') from jsonb_each(provenance->'llm') e(k, v)) as llm
      from "Record" where id = any(${ids}::uuid[]) and "datasetId" = ${run.datasetId}::uuid`;
    loaded = new Map(rows.map((r) => [r.id, { values: r.values, llm: r.llm ?? {} }]));
    loadedEnd = from + ids.length;
  };

  try {
    let next = 0;
    const worker = async () => {
      for (;;) {
        if (stop.signal.aborted) return;
        if (settings.budgetUsd !== null && spent >= settings.budgetUsd) {
          halt("partial", `Stopped at the budget cap of $${settings.budgetUsd.toFixed(2)}.`);
          return;
        }
        if (next >= todo.length) return;
        if (next >= loadedEnd) {
          loading ??= load(next).finally(() => (loading = null));
          await loading;
          continue;
        }
        const position = todo[next++];
        const id = regen.recordIds[position];
        const current = loaded.get(id);
        try {
          if (!current) {
            writer.add({ id, position, failed: "The record was deleted after the regeneration was launched." });
            continue;
          }
          const rec = await regenerateRecord(blueprint, regen.field, current.values, { seed: run.seed, position, call, maxReasks: settings.maxReasks });
          spent += rec.costUsd;
          const checked = rec.status === "succeeded" && rec.changed.length > 0 && validators.length > 0
            ? evaluateChecks(validators, { values: { ...current.values, ...rec.values }, llm: { ...current.llm, ...rec.llm } })
            : null;
          writer.add({ id, position, rec, checks: checked });
          opts.onRegenerated?.(rec);
        } catch (e) {
          if (e instanceof ModelCallError && e.fatalForRun) {
            halt("failed", `Stopped early: ${e.message}`);
            return;
          }
          if (e instanceof RecordInterrupted || stop.signal.aborted) return;
          opts.log?.(`run ${runId}: record ${id} crashed: ${(e as Error).stack}`);
          halt("failed", `The run stopped on an internal error: ${e instanceof Error ? e.message : String(e)}`);
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, Math.max(1, todo.length)) }, worker));
  } finally {
    clearInterval(watcher);
    clearInterval(flusher);
    release();
  }
  await writer.flush();

  const stopped = stoppedEnd(outcome, opts.signal);
  if (stopped === "leave") return;
  if (stopped) return finish(db, runId, stopped.status, stopped.reason);
  const totals = await db.run.findUniqueOrThrow({ where: { id: runId }, select: { succeeded: true, failed: true } });
  if (totals.failed === 0) return finish(db, runId, "completed", null);
  return finish(db, runId, totals.succeeded > 0 ? "partial" : "failed", `${totals.failed} record(s) could not be regenerated; they keep their earlier values.`);
}

type Done = { id: string; position: number; failed?: string; rec?: RegeneratedRecord; checks?: ReturnType<typeof evaluateChecks> | null };

/**
 * Writes finished regenerations in one statement per batch: the version row (the values
 * the new ones replace, their edits and sources), the record's new values, provenance and
 * checks, its review state reset when a reviewed field's value changed, the health
 * tallies, and the run's totals. What changed is decided here, against the record as it
 * is when written, not as it was read: a person's edit in between is what gets versioned.
 */
class RegenerateWriter {
  private pending: Done[] = [];
  private writing: Promise<void> = Promise.resolve();
  constructor(
    private db: Db,
    private runId: string,
    private datasetId: string,
    private reviewed: string[],
    private cache?: ReturnType<typeof dbCache>,
  ) {}

  add(d: Done) {
    this.pending.push(d);
    if (this.pending.length >= FLUSH_AT_RECORDS) void this.flush().catch(() => {});
  }

  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write() {
    const batch = this.pending;
    this.pending = [];
    const cacheBatch = this.cache?.drain() ?? [];
    try {
      if (batch.length) await this.writeBatch(batch);
    } catch (e) {
      this.pending = batch.concat(this.pending); // paid-for answers are never dropped
      throw e;
    }
    const entries = cacheBatch.filter(([, answer]) => describeProblems(makeStorable(answer).found) === null);
    if (entries.length) {
      await this.db
        .$executeRawUnsafe(
          `insert into "ResponseCache" (key, response) select k, r from json_to_recordset($1::json) as x(k text, r jsonb) on conflict (key) do nothing`,
          JSON.stringify(entries.map(([k, r]) => ({ k, r }))),
        )
        .catch((e) => console.error("[datawright] could not store cached answers", e));
    }
  }

  private async writeBatch(batch: Done[]) {
    const rows = batch.map((d) => {
      const ok = d.rec?.status === "succeeded";
      const values = ok ? makeStorable(d.rec!.values).value : {};
      return {
        id: d.id,
        error: d.failed ?? d.rec?.error ?? null,
        values,
        nonText: ok ? nonTextFields(values) : [],
        llm: ok ? makeStorable(d.rec!.llm).value : {},
        checks: d.checks?.checks ?? null,
        rejected: d.checks?.rejected ?? null,
        tokensIn: d.rec?.tokensIn ?? 0,
        tokensOut: d.rec?.tokensOut ?? 0,
        costUsd: d.rec?.costUsd ?? 0,
      };
    });
    // The record is updated only when a value differs; its version row is written either
    // way (values {} when nothing changed, with the error when it failed), which is also
    // how a resumed run knows the record is done.
    await this.db.$executeRawUnsafe(
      `with src as (
         select s.*, r."reviewState" as "oldState",
           (select coalesce(jsonb_object_agg(k, r.values->k), '{}') from jsonb_object_keys(s.values) k where r.values->k is distinct from s.values->k) as old,
           (select coalesce(jsonb_object_agg(k, r.edits->k), '{}') from jsonb_object_keys(s.values) k where r.edits ? k and r.values->k is distinct from s.values->k) as "oldEdits",
           (select coalesce(jsonb_object_agg(k, jsonb_build_object('model', r.provenance->'llm'->k->>'model', 'promptHash', left(md5((r.provenance->'llm'->k->'messages')::text), 12))), '{}')
              from jsonb_object_keys(s.values) k where r.values->k is distinct from s.values->k and r.provenance->'llm' ? k) as sources,
           (select coalesce(jsonb_object_agg(k, r.provenance->'llm'->k), '{}') from jsonb_object_keys(s.values) k
              where r.values->k is distinct from s.values->k and r.provenance->'llm' ? k) as "oldLlm",
           r.checks as "oldChecks"
         from json_to_recordset($1::json) as s(id uuid, error text, values jsonb, "nonText" text[], llm jsonb, checks jsonb, rejected boolean, "tokensIn" int, "tokensOut" int, "costUsd" float8)
         join "Record" r on r.id = s.id and r."datasetId" = $3::uuid
       ), ver as (
         insert into "RecordVersion" (id, "recordId", "runId", kind, values, edits, sources, llm, checks, "reviewState", error, "createdAt")
         select gen_random_uuid(), s.id, $2::uuid, 'regenerate', s.old, s."oldEdits", coalesce(s.sources, '{}'), s."oldLlm", s."oldChecks", s."oldState", s.error, now() from src s
         on conflict ("runId", "recordId") do nothing
         returning "recordId"
       ), upd as (
         update "Record" r set
           values = r.values || s.values,
           "nonTextFields" = array(select distinct unnest(r."nonTextFields" || s."nonText")),
           provenance = jsonb_set(r.provenance, '{llm}', coalesce(r.provenance->'llm', '{}') || s.llm),
           edits = r.edits - array(select jsonb_object_keys(s."oldEdits")),
           checks = coalesce(s.checks, r.checks),
           rejected = coalesce(s.rejected, r.rejected),
           "reviewState" = case when s.old ?| $4::text[] then 'unreviewed' else r."reviewState" end,
           "reviewedBy" = case when s.old ?| $4::text[] then null else r."reviewedBy" end,
           "reviewedAt" = case when s.old ?| $4::text[] then null else r."reviewedAt" end,
           revision = r.revision + 1, "updatedAt" = now()
         from src s where r.id = s.id and s.old <> '{}' and s.id in (select "recordId" from ver)
         returning r.id, ${REGEN_TALLY_RETURNING}, old.checks as "oldChecks", new.checks as "newChecks"
       ), tally as (${tallyUpsert("upd")}
       ), "checkTally" as (${checkTallyDelta("upd")}
       )
       update "Run" set
         succeeded = succeeded + (select count(*) from src s where s.error is null and s.id in (select "recordId" from ver)),
         failed = failed + (select count(*) from src s where s.error is not null and s.id in (select "recordId" from ver))
           + $5::int,
         "tokensIn" = "tokensIn" + coalesce((select sum("tokensIn") from src), 0),
         "tokensOut" = "tokensOut" + coalesce((select sum("tokensOut") from src), 0),
         "costUsd" = "costUsd" + coalesce((select sum("costUsd") from src), 0)
       where id = $2::uuid`,
      JSON.stringify(rows),
      this.runId,
      this.datasetId,
      this.reviewed,
      // Deleted since launch: no row to version, counted failed here (again on a resume).
      batch.filter((d) => d.failed).length,
    );
  }
}
