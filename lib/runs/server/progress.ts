import "server-only";
import { storedFieldNames } from "@/lib/blueprints/stored";
import type { Db } from "@/lib/db/server/prisma";
import type { RecordChecks } from "@/lib/quality/validators/evaluate";
import { STALE_AFTER_MS } from "./liveness";
import { getRun } from "./runs";

/** What the run page polls: totals from the run row (no count(*)), rate, ETA, newest records. */
export async function runProgress(db: Db, runId: string) {
  const run = await getRun(db, runId);
  const done = run.succeeded + run.failed;
  const end = run.finishedAt ?? new Date();
  const seconds = run.startedAt ? Math.max(0.001, (end.getTime() - run.startedAt.getTime()) / 1000) : 0;
  const rate = seconds > 0 ? done / seconds : 0;
  const remaining = Math.max(0, run.requested - done);
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
    /** The server's clock, so the page's live elapsed time does not depend on the browser's. */
    now: new Date().toISOString(),
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    // JSONB does not keep key order; show fields in the blueprint's order.
    fieldOrder: storedFieldNames(run.blueprintVersion.blueprint),
    recent: recent.map((r) => ({ ...r, values: r.values as Record<string, unknown>, checks: r.checks as RecordChecks | null })),
  };
}
export type RunProgress = Awaited<ReturnType<typeof runProgress>>;
