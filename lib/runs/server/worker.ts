import "server-only";
// Takes run jobs from the queue and executes them. Started inside the app process by
// instrumentation.ts, and by `npm run worker` for more processes or machines.
import { createPrisma, db as appDb, type Db } from "@/lib/db/server/prisma";
import { executeRun } from "./executor";
import { reclaimOrphanedRuns } from "./liveness";
import { RETRY_DELAY_MS, stopQueue, workRuns } from "./queue";

const g = globalThis as unknown as { datawrightWorker?: Promise<void> };

export function startRunWorker(opts: { databaseUrl: string; localConcurrency: number; db?: Db; log?: (m: string) => void }) {
  g.datawrightWorker ??= (async () => {
    const db = opts.db ?? (opts.databaseUrl === process.env.DATABASE_URL ? appDb() : createPrisma(opts.databaseUrl));
    const shutdown = new AbortController();
    const { boss, workerId } = await workRuns(
      opts.databaseUrl,
      async (runId, jobSignal) => {
        const signal = AbortSignal.any([jobSignal, shutdown.signal]);
        await executeRun(db, runId, { signal, log: opts.log });
        const after = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
        // Interrupted (shutdown, lost claim): fail the job so the queue hands it out again.
        if (after?.status === "running") throw new Error(`Run ${runId} was interrupted; it will resume.`);
      },
      { localConcurrency: opts.localConcurrency },
    );
    // Resume runs whose process died, now and every second: the check is one query on the
    // small Run table. A job handed back becomes due after the queue's retryDelay (1 s);
    // wake this worker then instead of waiting for its next poll.
    let reclaiming = false;
    const reclaim = async () => {
      if (reclaiming || shutdown.signal.aborted) return;
      reclaiming = true;
      try {
        if ((await reclaimOrphanedRuns(db, boss)) > 0) setTimeout(() => boss.notifyWorker(workerId), RETRY_DELAY_MS + 50).unref();
      } catch (e) {
        opts.log?.(`[worker] could not check for interrupted runs: ${e instanceof Error ? e.message : e}`);
      } finally {
        reclaiming = false;
      }
    };
    await reclaim();
    const reclaimer = setInterval(() => void reclaim(), 1000);
    reclaimer.unref();
    const stop = async () => {
      clearInterval(reclaimer);
      shutdown.abort();
      await stopQueue();
    };
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
  })();
  return g.datawrightWorker;
}
