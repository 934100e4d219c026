import "server-only";
// A run whose blueprint has a pool field grows the pool (Self-Instruct, Wang et al., 2023)
// instead of drawing `requested` independent records. It works in rounds:
//
//   plan (planRound) → candidates: each record generated up to and including its "similar to
//   the pool" validator, its examples drawn from the pool as the round began → filter in
//   record-index order (the blueprint's own reject validators, then ROUGE-L against the pool
//   and the round's earlier kept ones) → the rest of the blueprint (the response) only for
//   kept candidates → one transaction: the kept instructions join the pool table
//   (appendRound), the round's records and its stats (Run.poolRounds).
//
// `requested` is the cap on candidates (each candidate is a record); the run ends when the
// pool reaches the field's target size, at that cap or the budget, or after five rounds in
// a row that kept nothing (SATURATION_MESSAGE). A round is all or nothing: a process killed
// mid-round loses only that round's unwritten work (its answers are in the response cache),
// and the resumed run rebuilds the pool and its similarity index from the table and replays
// the round with the same draws, so no pool member is lost or written twice.
import { formatValue } from "@/lib/blueprints/render";
import type { Blueprint, PoolField, ValidatorField } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { generateRecord, ModelCallError, RecordInterrupted, type GeneratedRecord } from "@/lib/generation/generate-record";
import { evaluateChecks, prepareValidators, type CheckResult } from "@/lib/quality/validators/evaluate";
import { appendRound, loadPool } from "@/lib/recipes/server/self-instruct-pool";
import { filterPoolRound, isSaturated, judgedRounds, planRound, SATURATION_MESSAGE, validatePoolInput, type PoolItem, type PoolRoundStats, type RoundOutcome } from "@/lib/recipes/self-instruct";
import { loadSeedRows, seedTableRowCounts } from "@/lib/seed-tables/server/seed-tables";
import type { RunSettings } from "../schemas";
import type { connectionRuntime } from "./connection-runtime";
import { endRun, finish, RecordWriter, runControls, watchRun, type ExecuteOptions } from "./executor";

type RunRow = { id: string; datasetId: string; requested: number; firstIndex: number; seed: number; costUsd: number; poolRounds: unknown; blueprintVersion: { version: number } };

/** The pool field and the "similar to the pool" validator that reads it (validation guarantees both). */
export function poolSetup(blueprint: Blueprint): { pool: PoolField; similar: ValidatorField; split: number } | null {
  const pool = blueprint.fields.find((f): f is PoolField => f.kind === "pool");
  if (!pool) return null;
  const split = blueprint.fields.findIndex((f) => f.kind === "validator" && f.check.type === "similar_to_pool" && f.check.pool === pool.name);
  if (split < 0) return null;
  return { pool, similar: blueprint.fields[split] as ValidatorField, split };
}

export async function executePoolRun(db: Db, run: RunRow, blueprint: Blueprint, settings: RunSettings, rt: Awaited<ReturnType<typeof connectionRuntime>>, opts: ExecuteOptions): Promise<void> {
  const setup = poolSetup(blueprint);
  if (!setup) return finish(db, run.id, "failed", 'A pool field needs a "similar to the pool" validator below it that reads it.');
  const { pool: poolField, similar, split } = setup;
  const similarField = (similar.check as { field: string }).field;
  const loaded = await loadPool(db, poolField.seedTableId);
  const items: PoolItem[] = loaded.items;
  const rouge = loaded.rouge;
  const mix = { human: poolField.human, generated: poolField.generated };
  const problem = validatePoolInput(items.filter((i) => i.origin === "human").length, mix);
  if (problem) return finish(db, run.id, "failed", problem);

  const { stop, outcome, halt, cache, call, release } = runControls(db, run, settings, rt, opts);
  const validators = prepareValidators(blueprint);
  // The cheaper filters: the reject validators above the similarity check, in blueprint order.
  const headRejectors = blueprint.fields.slice(0, split).filter((f): f is ValidatorField => f.kind === "validator" && f.mode === "reject");
  const rounds: PoolRoundStats[] = Array.isArray(run.poolRounds) ? (run.poolRounds as PoolRoundStats[]) : [];
  let position = rounds.reduce((n, r) => n + r.candidates, 0);
  let spent = run.costUsd;
  const rowCounts = await seedTableRowCounts(db, run.datasetId);
  const hasSeedFields = blueprint.fields.some((f) => f.kind === "seed");
  const watcher = watchRun(db, run.id, rt, halt);

  // Generates one step for each record with at most `concurrency` in flight; null when the run stopped meanwhile.
  const step = async (recs: { position: number; from?: GeneratedRecord }[], seedRows: Awaited<ReturnType<typeof loadSeedRows>> | null): Promise<GeneratedRecord[] | null> => {
    const out: GeneratedRecord[] = new Array(recs.length);
    let next = 0;
    const worker = async () => {
      while (next < recs.length && !stop.signal.aborted) {
        const i = next++;
        const { position: recordIndex, from } = recs[i];
        try {
          const rec = await generateRecord(blueprint, { seed: run.seed, recordIndex, seedRows: seedRows?.(recordIndex) ?? {}, call, maxReasks: settings.maxReasks, pools: { [poolField.name]: items }, until: split + 1, from });
          spent += rec.costUsd - (from?.costUsd ?? 0);
          out[i] = rec;
          opts.onRecord?.(rec);
        } catch (e) {
          if (e instanceof ModelCallError && e.fatalForRun) halt("failed", `Stopped early: ${e.message}`);
          else if (!(e instanceof RecordInterrupted) && !stop.signal.aborted) {
            opts.log?.(`run ${run.id}: record ${recordIndex} crashed: ${(e as Error).stack}`);
            halt("failed", `The run stopped on an internal error: ${e instanceof Error ? e.message : String(e)}`);
          }
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, Math.max(1, recs.length)) }, worker));
    return stop.signal.aborted ? null : out;
  };

  try {
    for (;;) {
      if (stop.signal.aborted) break;
      if (isSaturated(judgedRounds(rounds))) {
        halt("partial", SATURATION_MESSAGE);
        break;
      }
      if (settings.budgetUsd !== null && spent >= settings.budgetUsd) {
        halt("partial", `Stopped at the budget cap of $${settings.budgetUsd.toFixed(2)} with ${items.length.toLocaleString("en")} of ${poolField.targetSize.toLocaleString("en")} instructions in the pool.`);
        break;
      }
      const plan = planRound({ poolSize: items.length, target: poolField.targetSize, perRound: poolField.perRound, budgetLeft: run.requested - position });
      if (plan.reason === "budget-spent") {
        halt("partial", `Stopped at the cap of ${run.requested.toLocaleString("en")} candidates with ${items.length.toLocaleString("en")} of ${poolField.targetSize.toLocaleString("en")} instructions in the pool; launch again to grow it further.`);
        break;
      }
      if (plan.candidates === 0) break;

      const positions = Array.from({ length: plan.candidates }, (_, i) => position + i);
      const seedRows = hasSeedFields ? await loadSeedRows(db, blueprint, run.seed, positions, rowCounts) : null;
      const heads = await step(positions.map((p) => ({ position: p })), seedRows);
      if (!heads) break;

      const { outcomes, counts } = filterPoolRound(
        rouge,
        heads.map((rec) => ({ text: rec.status === "failed" ? null : formatValue(rec.values[similarField]).trim(), rejectedBy: firstFailing(headRejectors, rec) })),
        similar.name,
      );
      const keptIndexes = outcomes.flatMap((o, i) => (o.kind === "kept" ? [i] : []));
      const tails = await step(keptIndexes.map((i) => ({ position: positions[i], from: heads[i] })), seedRows);
      if (!tails) break;
      const records = heads.slice();
      keptIndexes.forEach((i, k) => (records[i] = tails[k]));
      records.forEach((rec, i) => (rec.decided = { [similar.name]: decision(outcomes[i]) }));

      const startIndex = items.length;
      const kept = keptIndexes.map((i) => ({ instruction: formatValue(heads[i].values[similarField]).trim(), parents: parentsOf(heads[i], poolField.name) }));
      const firstSimilar = outcomes.findIndex((o) => o.kind === "similar");
      const similarOutcome = firstSimilar >= 0 ? (outcomes[firstSimilar] as Extract<RoundOutcome, { kind: "similar" }>) : null;
      const stats: PoolRoundStats = {
        round: rounds.length + 1,
        ...counts,
        closest: similarOutcome ? { candidate: formatValue(heads[firstSimilar].values[similarField]).trim(), instruction: similarOutcome.closest, score: similarOutcome.score, recordIndex: run.firstIndex + positions[firstSimilar] } : null,
      };
      await appendRound(db, { seedTableId: poolField.seedTableId, round: stats.round, startIndex, kept }, async (tx) => {
        const writer = new RecordWriter(tx as unknown as Db, run.id, run.datasetId, run.firstIndex, run.blueprintVersion.version, validators, cache);
        for (const rec of records) writer.add(rec);
        await writer.flush();
        // Keyed by the round's number, so a round written twice (two processes) is counted once.
        await tx.$executeRaw`
          update "Run" set "poolRounds" = coalesce("poolRounds", '[]'::jsonb) || jsonb_build_array(${JSON.stringify(stats)}::jsonb)
          where id = ${run.id}::uuid and jsonb_array_length(coalesce("poolRounds", '[]'::jsonb)) = ${stats.round - 1}`;
      });
      kept.forEach((k, i) => items.push({ id: String(startIndex + i), instruction: k.instruction, origin: "generated" }));
      rounds.push(stats);
      position += plan.candidates;
    }
  } catch (e) {
    halt("failed", `The run stopped on an internal error: ${e instanceof Error ? e.message : String(e)}`);
    opts.log?.(`run ${run.id} crashed: ${(e as Error).stack}`);
  } finally {
    clearInterval(watcher);
    release();
  }
  // Answers of a round cut short are kept in the cache, so its replay after a resume is free.
  const writer = new RecordWriter(db, run.id, run.datasetId, run.firstIndex, run.blueprintVersion.version, validators, cache);
  await writer.flush().catch((e) => opts.log?.(`run ${run.id}: could not store cached answers: ${(e as Error).message}`));
  await writer.checkDuplicates();
  await endRun(db, run, outcome, opts.signal, null);
}

/** The first reject validator above the similarity check that the candidate fails, or null. */
function firstFailing(rejectors: readonly ValidatorField[], rec: GeneratedRecord): string | null {
  if (rec.status === "failed" || rejectors.length === 0) return null;
  const { checks } = evaluateChecks(rejectors, rec);
  return rejectors.find((v) => checks && !checks[v.name].pass)?.name ?? null;
}

/** The ids of the pool items the record's prompt showed: its lineage. */
function parentsOf(rec: GeneratedRecord, poolField: string): string[] {
  const shown = rec.values[poolField];
  return Array.isArray(shown) ? shown.map((p) => String((p as { id?: unknown }).id ?? "")) : [];
}

/** What the record stores for its "similar to the pool" validator. */
function decision(o: RoundOutcome): CheckResult {
  const mode = "reject" as const;
  switch (o.kind) {
    case "kept":
      return { pass: true, mode, message: "ROUGE-L F1 at most 0.7 with every pool instruction; joined the pool" };
    case "similar":
      return { pass: false, mode, message: `ROUGE-L F1 ${o.score.toFixed(2)} with the pool instruction "${o.closest}"`, closest: o.closest, score: o.score };
    case "rejected":
      return { pass: true, mode, message: `not compared: rejected by "${o.by}" first` };
    case "failed":
      return { pass: true, mode, message: "not compared: the record failed" };
  }
}
