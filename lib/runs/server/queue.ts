import "server-only";
// Runs are queued in PostgreSQL with pg-boss: one job per run (not per record: a poll
// takes a batch of jobs every few seconds, far too slow per record), and the executor
// does the per-record concurrency inside the job. A run survives a crash because its job
// is retried: a worker that dies stops heartbeating, its job is failed (by a live worker
// at once, see liveness.ts, or by pg-boss after its heartbeat timeout), and the executor
// resumes from the records already stored.
import { PgBoss } from "pg-boss";
import { RunJob } from "../schemas";

export const RUN_QUEUE = "datawright-runs";
/** pg-boss retryDelay of a run's job (whole seconds there). */
export const RETRY_DELAY_MS = 1000;

const g = globalThis as unknown as { datawrightBoss?: Promise<PgBoss> };

export function getBoss(databaseUrl: string): Promise<PgBoss> {
  g.datawrightBoss ??= (async () => {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: "pgboss",
      max: 4,
      // Wake workers on send instead of waiting for the next poll: the page shows a run
      // as soon as it is launched and it should start as quickly.
      useListenNotify: true,
      monitorIntervalSeconds: 5,
      superviseIntervalSeconds: 5,
    });
    boss.on("error", (e) => console.error("[datawright] queue error:", e.message));
    await boss.start();
    await boss.createQueue(RUN_QUEUE, {
      heartbeatSeconds: 10,
      // A run is resumable at any point, so retrying after a crash is always safe.
      retryLimit: 100,
      retryDelay: RETRY_DELAY_MS / 1000,
      // pg-boss caps this at 24 h; a longer run is handed out again and resumes where it was.
      expireInSeconds: 24 * 3600,
      notify: true,
    });
    return boss;
  })().catch((e) => {
    g.datawrightBoss = undefined;
    throw e;
  });
  return g.datawrightBoss;
}

export async function enqueueRun(databaseUrl: string, runId: string) {
  const boss = await getBoss(databaseUrl);
  await boss.send(RUN_QUEUE, RunJob.parse({ runId }));
}

/** Starts taking run jobs in this process; `handle` must resolve when the run stops. */
export async function workRuns(
  databaseUrl: string,
  handle: (runId: string, signal: AbortSignal) => Promise<void>,
  opts: { localConcurrency: number },
) {
  const boss = await getBoss(databaseUrl);
  const workerId = await boss.work<{ runId: string }>(
    RUN_QUEUE,
    { localConcurrency: opts.localConcurrency, pollingIntervalSeconds: 2, batchSize: 1 },
    async (jobs) => {
      for (const job of jobs) {
        const { runId } = RunJob.parse(job.data);
        await handle(runId, (job as { signal?: AbortSignal }).signal ?? new AbortController().signal);
      }
    },
  );
  return { boss, workerId };
}

export async function stopQueue() {
  const boss = await g.datawrightBoss?.catch(() => undefined);
  g.datawrightBoss = undefined;
  await boss?.stop({ graceful: true, timeout: 10_000 }).catch(() => {});
}
