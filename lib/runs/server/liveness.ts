import "server-only";
// Whether a running run still has a live process behind it. The executor stamps
// Run.heartbeatAt every WATCH_EVERY_MS (riding on the cancel/pause watcher it runs
// anyway); a run marked running whose stamp is older than STALE_AFTER_MS lost its
// process (kill -9, crash, power) and waits to be resumed.
//
// Why we do not just wait for pg-boss: it fails a job only when the job's own heartbeat
// is heartbeatSeconds stale (10 s is its minimum), found by a supervise pass every
// superviseIntervalSeconds (5 s), then retries it after retryDelay and the next poll.
// Together with a restart that was the 33 s of a silent "running" in issue 11. A
// restarted worker knows better at once: it fails the dead process's job itself, so the
// queue hands the run out again within a second or two.
import type { Db } from "@/lib/db/server/prisma";
import type { PgBoss } from "pg-boss";
import { RUN_QUEUE } from "./queue";

export const WATCH_EVERY_MS = 500;
/**
 * Six missed stamps: long enough for a busy event loop or a slow write (previews no longer
 * run on the main thread), short enough that a worker restarted at once takes the run back
 * within the 5 s of issue 11 (with 5 s here it measured 5.4 s on a quiet machine).
 */
export const STALE_AFTER_MS = 3000;

/** Runs marked running whose process is gone (SQL, on the database's clock). */
export async function orphanedRuns(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    select id from "Run"
    where status = 'running' and ("heartbeatAt" is null or "heartbeatAt" < now() - ${STALE_AFTER_MS} * interval '1 millisecond')`;
  return rows.map((r) => r.id);
}

/**
 * Fails the queue jobs of orphaned runs so pg-boss retries them now instead of after its
 * own heartbeat timeout. Only jobs that have been active longer than STALE_AFTER_MS: a
 * job picked up a moment ago has not claimed its run (and stamped it) yet. Returns how
 * many jobs were handed back.
 */
export async function reclaimOrphanedRuns(db: Db, boss: PgBoss): Promise<number> {
  const runs = await orphanedRuns(db);
  let reclaimed = 0;
  for (const runId of runs) {
    const jobs = await boss.findJobs<{ runId: string }>(RUN_QUEUE, { data: { runId } });
    const stale = jobs.filter((j) => j.state === "active" && j.startedOn && Date.now() - new Date(j.startedOn).getTime() > STALE_AFTER_MS);
    if (stale.length === 0) continue;
    await boss.fail(RUN_QUEUE, stale.map((j) => j.id), { message: "The process running this run stopped; resuming it." });
    reclaimed += stale.length;
  }
  return reclaimed;
}
