import "server-only";
// Takes run jobs from the queue and executes them. Started inside the app process by
// instrumentation.ts, and by `npm run worker` for more processes or machines.
import { createPrisma, db as appDb, type Db } from "@/lib/db/server/prisma";
import { executeRun } from "./executor";
import { joinableRuns } from "./chunks";
import { reclaimOrphanedRuns } from "./liveness";
import { RETRY_DELAY_MS, stopQueue, workRuns } from "./queue";

const g = globalThis as unknown as { datawrightWorker?: Promise<void> };

export function startRunWorker(opts: { databaseUrl: string; localConcurrency: number; db?: Db; log?: (m: string) => void }) {
  g.datawrightWorker ??= (async () => {
    const db = opts.db ?? (opts.databaseUrl === process.env.DATABASE_URL ? appDb() : createPrisma(opts.databaseUrl));
    const shutdown = new AbortController();
    // The runs executing in this process, as the queue job's owner or joined (chunks.ts):
    // one execution per run and process, so a run's concurrency is per process.
    const executing = new Map<string, Promise<void>>();
    const execute = (runId: string, signal: AbortSignal, join: boolean) => {
      const p = executeRun(db, runId, { signal, log: opts.log, join }).finally(() => {
        if (executing.get(runId) === p) executing.delete(runId);
      });
      executing.set(runId, p);
      return p;
    };
    const { boss, workerId } = await workRuns(
      opts.databaseUrl,
      async (runId, jobSignal) => {
        const signal = AbortSignal.any([jobSignal, shutdown.signal]);
        // Helping on this run already (its job came back after its owner died): finish that first.
        await executing.get(runId)?.catch(() => {});
        await execute(runId, signal, false);
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
    // Join running runs with free chunks (several processes on one run), now and every
    // second, while this process executes fewer runs than it takes jobs.
    let joining = false;
    const join = async () => {
      if (joining || shutdown.signal.aborted || executing.size >= opts.localConcurrency) return;
      joining = true;
      try {
        for (const runId of await joinableRuns(db)) {
          if (executing.size >= opts.localConcurrency) break;
          if (executing.has(runId)) continue;
          void execute(runId, shutdown.signal, true).catch((e) => opts.log?.(`[worker] helping on run ${runId} failed: ${e instanceof Error ? e.message : e}`));
        }
      } catch (e) {
        opts.log?.(`[worker] could not look for runs to join: ${e instanceof Error ? e.message : e}`);
      } finally {
        joining = false;
      }
    };
    await reclaim();
    await join();
    const reclaimer = setInterval(() => {
      void reclaim();
      void join();
    }, 1000);
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
