import "server-only";
import { PoolField } from "@/lib/blueprints/schema";
import { storedFieldNames, storedFieldOfKind, storedFieldsOfKind } from "@/lib/blueprints/stored";
import type { PoolRoundStats } from "@/lib/recipes/self-instruct";
import type { Db } from "@/lib/db/server/prisma";
import type { RecordChecks } from "@/lib/quality/validators/evaluate";
import { RunSettings } from "../schemas";
import { attemptsStillNeeded, observedYield } from "../target";
import { evolutionStats } from "./evolution-tally";
import { STALE_AFTER_MS } from "./liveness";
import { getRun } from "./runs";

export type LimiterWindow = { model: string; concurrency: number; maxConcurrency: number; rateLimitedLastMinute: number };

/** What the run page polls: totals from the run row (no count(*)), rate, ETA, newest records. */
export async function runProgress(db: Db, runId: string) {
  const run = await getRun(db, runId);
  const done = run.succeeded + run.failed;
  const end = run.finishedAt ?? new Date();
  const seconds = run.startedAt ? Math.max(0.001, (end.getTime() - run.startedAt.getTime()) / 1000) : 0;
  const rate = seconds > 0 ? done / seconds : 0;
  const target = await targetProgress(db, run, done);
  // A target run's remaining work is the attempts its yield says it still needs, not its cap.
  const remaining = target ? (target.attemptsStillNeeded ?? Math.max(0, run.requested - done)) : Math.max(0, run.requested - done);
  // Staleness on the database's clock, which stamped the heartbeat.
  const [live] = await db.$queryRaw<{ stale: boolean; rateLimitedUntil: Date | null }[]>`
    select (r."heartbeatAt" is null or r."heartbeatAt" < now() - ${STALE_AFTER_MS} * interval '1 millisecond') as stale, c."rateLimitedUntil"
    from "Run" r left join "ProviderConnection" c on c.id = r."connectionId" where r.id = ${runId}::uuid`;
  const active = run.status === "running" || run.status === "queued";
  const pausedUntil = live?.rateLimitedUntil && live.rateLimitedUntil.getTime() > Date.now() ? live.rateLimitedUntil : null;
  const recent = await db.record.findMany({
    where: { runId },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, index: true, status: true, values: true, error: true, rejected: true, checks: true, tokensIn: true, tokensOut: true, costUsd: true, latencyMs: true },
  });
  return {
    id: run.id,
    datasetId: run.datasetId,
    status: run.status,
    stopReason: run.stopReason,
    requested: run.requested,
    succeeded: run.succeeded,
    /** Of `succeeded`: records a "reject" validator failed (kept, but not exported by default). */
    rejected: run.rejected,
    failed: run.failed,
    pending: remaining,
    /** "N good records" runs: good of N, yield, cost per good record, attempts still needed; null otherwise. */
    target,
    /** Batch mode (server/batch-executor.ts): its batches, newest first; null for an online run. */
    batches: RunSettings.safeParse(run.settings).data?.batch ? await batchProgress(db, runId) : null,
    /** A regeneration of one field over existing records (server/regenerate.ts); null for a run of new records. */
    regenerate: RunSettings.safeParse(run.settings).data?.regenerate?.field ?? null,
    tokensIn: run.tokensIn,
    tokensOut: run.tokensOut,
    costUsd: run.costUsd,
    estimatedCostUsd: run.estimatedCostUsd,
    recordsPerSecond: rate,
    etaSeconds: rate > 0 && (run.status === "running" || run.status === "queued") ? remaining / rate : null,
    errorCounts: run.errorCounts as Record<string, number>,
    blueprintVersion: run.blueprintVersion.version,
    connectionName: run.connection?.name ?? "deleted connection",
    settings: run.settings,
    /**
     * Marked running, but the process executing it is gone (killed, restarted): it resumes
     * when a worker takes it back, which a restarted worker does at once (liveness.ts).
     */
    resuming: run.status === "running" && (live?.stale ?? false),
    /** While the provider's rate-limit window (a 429's retry-after) holds the run back. */
    rateLimitedUntil: active && pausedUntil ? pausedUntil.toISOString() : null,
    /**
     * While running: per model of its connection, the concurrency the shared (connection,
     * model) limiter allows now and its 429s in the last minute, as the worker last wrote them.
     */
    limiter: active && !(live?.stale ?? false) ? ((run.limiter as LimiterWindow[] | null) ?? []) : [],
    /** The server's clock, so the page's live elapsed time does not depend on the browser's. */
    now: new Date().toISOString(),
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    // JSONB does not keep key order; show fields in the blueprint's order.
    fieldOrder: storedFieldNames(run.blueprintVersion.blueprint),
    /** Per evolve field (Evol-Instruct): per generation, evolved, kept and dropped by each rule; empty without one. */
    evolution: await evolutionStats(db, runId, storedFieldsOfKind(run.blueprintVersion.blueprint, "evolve")),
    /** A run that grows a pool (Self-Instruct): the pool's size and target, and per round its counts; null otherwise. */
    pool: await poolProgress(db, run.poolRounds, run.blueprintVersion.blueprint),
    recent: recent.map((r) => ({ ...r, values: r.values as Record<string, unknown>, checks: r.checks as RecordChecks | null })),
  };
}
/** The newest 100 batches of a batch-mode run, as the run page shows them. */
async function batchProgress(db: Db, runId: string) {
  const rows = await db.runBatch.findMany({
    where: { runId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { id: true, providerBatchId: true, status: true, requests: true, requestCounts: true, error: true, createdAt: true },
  });
  return rows.map((b) => ({ ...b, requestCounts: b.requestCounts as { total?: number; completed?: number; failed?: number } | null, createdAt: b.createdAt.toISOString() }));
}

/** The pool field's table as it stands (the run grows it) beside the rounds the run stored. */
async function poolProgress(db: Db, rounds: unknown, blueprint: unknown): Promise<{ field: string; size: number; target: number; rounds: PoolRoundStats[] } | null> {
  // Only the pool field is read, not the whole blueprint: this runs on every poll of the run page.
  const field = storedFieldOfKind(blueprint, "pool", PoolField);
  if (!field) return null;
  const table = await db.seedTable.findUnique({ where: { id: field.seedTableId }, select: { rowCount: true } });
  return { field: field.name, size: table?.rowCount ?? 0, target: field.targetSize, rounds: Array.isArray(rounds) ? (rounds as PoolRoundStats[]) : [] };
}

async function targetProgress(db: Db, run: { id: string; settings: unknown; good: number; costUsd: number; requested: number }, finished: number) {
  const parsed = RunSettings.safeParse(run.settings);
  const target = parsed.success ? parsed.data.target : null;
  if (!target) return null;
  // Over-target records were good too: they count in the yield, not in the N.
  const over = await db.record.count({ where: { runId: run.id, target: "over" } });
  const s = { target: target.good, good: run.good, finished, goodFinished: run.good + over };
  return {
    good: run.good,
    of: target.good,
    over,
    attemptCap: run.requested,
    /** Share of finished attempts that were good; null before any finished. */
    yield: observedYield(s),
    costPerGood: run.good > 0 ? run.costUsd / run.good : null,
    attemptsStillNeeded: attemptsStillNeeded(s),
  };
}

export type RunProgress = Awaited<ReturnType<typeof runProgress>>;
