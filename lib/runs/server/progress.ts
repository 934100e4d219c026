import "server-only";
import type { Db } from "@/lib/db/server/prisma";
import { getRun } from "./runs";

/** What the run page polls: totals from the run row (no count(*)), rate, ETA, newest records. */
export async function runProgress(db: Db, runId: string) {
  const run = await getRun(db, runId);
  const done = run.succeeded + run.failed;
  const end = run.finishedAt ?? new Date();
  const seconds = run.startedAt ? Math.max(0.001, (end.getTime() - run.startedAt.getTime()) / 1000) : 0;
  const rate = seconds > 0 ? done / seconds : 0;
  const remaining = Math.max(0, run.requested - done);
  const recent = await db.record.findMany({
    where: { runId },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: { id: true, index: true, status: true, values: true, error: true, tokensIn: true, tokensOut: true, costUsd: true, latencyMs: true },
  });
  return {
    id: run.id,
    datasetId: run.datasetId,
    status: run.status,
    stopReason: run.stopReason,
    requested: run.requested,
    succeeded: run.succeeded,
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
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    // JSONB does not keep key order; show fields in the blueprint's order.
    fieldOrder: ((run.blueprintVersion.blueprint as { fields?: { name: string }[] }).fields ?? []).map((f) => f.name),
    recent: recent.map((r) => ({ ...r, values: r.values as Record<string, unknown> })),
  };
}
export type RunProgress = Awaited<ReturnType<typeof runProgress>>;
