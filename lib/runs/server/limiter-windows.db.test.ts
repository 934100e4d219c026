// Limits per (connection, model), end to end: two runs on one connection and model behind
// a hidden concurrency limit (fake-llm's maxInFlightPerModel, no x-ratelimit-* headers)
// share one AIMD window, and each run's progress (the run page, GET /api/v1/runs/:id)
// shows it while they run. Real PostgreSQL, the real executor, the fake server.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import { datasetOnFakeLlm, judgedStories } from "@/lib/testing/runs";
import { until } from "@/lib/testing/until";
import { executeRun } from "./executor";
import { runProgress, type LimiterWindow } from "./progress";
import { launchRun } from "./runs";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"], maxInFlightPerModel: 4, latencyMs: 120 });
});
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

test("two runs on one (connection, model) share its window, shown live in both runs' progress", async () => {
  const projectId = (await createProject(db, { name: uniqueName("Limits") })).id;
  const s = await datasetOnFakeLlm(db, projectId, fake.url, judgedStories([], "gpt-4o-mini", false));
  const launch = () => launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: 60, seed: 1, settings: { concurrency: 16 } }, async () => {});
  const [a, b] = [await launch(), await launch()];
  const done = Promise.all([executeRun(db, a.id), executeRun(db, b.id)]);

  const seen: LimiterWindow[][] = [];
  await until(
    async () => {
      const [pa, pb] = [await runProgress(db, a.id), await runProgress(db, b.id)];
      if (pa.limiter.length && pb.limiter.length) seen.push(pa.limiter, pb.limiter);
      return pa.limiter.some((w) => w.rateLimitedLastMinute > 0 && w.concurrency < 16) && pb.limiter.some((w) => w.rateLimitedLastMinute > 0);
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  await done;

  // One window: both runs report the same model's limiter, narrowed below the run's 16.
  const last = seen.at(-1)!;
  expect(last.map((w) => w.model)).toEqual(["gpt-4o-mini"]);
  expect(last[0].maxConcurrency).toBeGreaterThanOrEqual(16);
  // Nothing lost to the 429s: every record of both runs was generated once.
  for (const id of [a.id, b.id]) {
    const p = await runProgress(db, id);
    expect(p).toMatchObject({ status: "completed", succeeded: 60, failed: 0, limiter: [] });
  }
  // The shared window keeps the two runs' 429s to a few episodes, not one per request.
  expect(fake.stats().rateLimited).toBeLessThan(120);
});
