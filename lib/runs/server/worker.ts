import "server-only";
// Takes run jobs from the queue and executes them. Started inside the app process by
// instrumentation.ts, and by `npm run worker` for more processes or machines.
import { createPrisma, db as appDb, type Db } from "@/lib/db/server/prisma";
import { executeRun } from "./executor";
import { stopQueue, workRuns } from "./queue";

const g = globalThis as unknown as { datawrightWorker?: Promise<void> };

export function startRunWorker(opts: { databaseUrl: string; localConcurrency: number; db?: Db; log?: (m: string) => void }) {
  g.datawrightWorker ??= (async () => {
    const db = opts.db ?? (opts.databaseUrl === process.env.DATABASE_URL ? appDb() : createPrisma(opts.databaseUrl));
    const shutdown = new AbortController();
    await workRuns(
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
    const stop = async () => {
      shutdown.abort();
      await stopQueue();
    };
    process.once("SIGTERM", () => void stop());
    process.once("SIGINT", () => void stop());
  })();
  return g.datawrightWorker;
}
