// What the run page reads about a run that is not simply running: a run whose process
// was killed (resuming after a restart) and a run held back by the provider's rate-limit
// window. Real PostgreSQL; the run rows are put in the states a crash leaves behind.
import { afterAll, expect, test } from "vitest";
import { testDb } from "@/lib/testing/db";
import { launchedTestRun } from "@/lib/testing/runs";
import { orphanedRuns, STALE_AFTER_MS } from "./liveness";
import { runProgress } from "./progress";

const db = testDb();
afterAll(() => db.$disconnect());

async function launched() {
  const { run, connectionId } = await launchedTestRun(db, "Progress");
  return { runId: run.id, connectionId };
}

const ago = (ms: number) => new Date(Date.now() - ms);

test("a running run whose process stopped stamping it reads as resuming after a restart, at once", async () => {
  const { runId } = await launched();
  await db.run.update({ where: { id: runId }, data: { status: "running", startedAt: ago(60_000), heartbeatAt: ago(STALE_AFTER_MS + 2000) } });
  expect(await runProgress(db, runId)).toMatchObject({ status: "running", resuming: true, rateLimitedUntil: null });
  expect(await orphanedRuns(db)).toContain(runId);

  // A live executor stamps it: plain running again.
  await db.run.update({ where: { id: runId }, data: { heartbeatAt: new Date() } });
  expect((await runProgress(db, runId)).resuming).toBe(false);
  expect(await orphanedRuns(db)).not.toContain(runId);

  // Only a running run can be resuming; a finished one is just finished.
  await db.run.update({ where: { id: runId }, data: { status: "completed", heartbeatAt: ago(600_000), finishedAt: new Date() } });
  expect((await runProgress(db, runId)).resuming).toBe(false);
});

test("a run held back by the connection's rate-limit window says until when", async () => {
  const { runId, connectionId } = await launched();
  const until = new Date(Date.now() + 30_000);
  await db.run.update({ where: { id: runId }, data: { status: "running", startedAt: new Date(), heartbeatAt: new Date() } });
  await db.providerConnection.update({ where: { id: connectionId }, data: { rateLimitedUntil: until } });
  expect(await runProgress(db, runId)).toMatchObject({ resuming: false, rateLimitedUntil: until.toISOString() });
  // A window that has ended is not shown.
  await db.providerConnection.update({ where: { id: connectionId }, data: { rateLimitedUntil: ago(1000) } });
  expect((await runProgress(db, runId)).rateLimitedUntil).toBeNull();
});
