// Several worker processes on one run (server/chunks.ts), tested the way it is used: two
// `npm run worker` processes share a run, the one holding its queue job is killed with
// SIGKILL mid-run, and the other takes over its chunks and ends the run with every record
// stored exactly once and the run's totals equal to the sums over its records.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { ownDatabase, uniqueName } from "@/lib/testing/db";
import { datasetOnFakeLlm } from "@/lib/testing/runs";
import { until } from "@/lib/testing/until";
import { spawnWorker } from "@/lib/testing/workers";
import { enqueueRun, stopQueue } from "./queue";
import { launchRun } from "./runs";

// Its worker processes join any running run in their database: on one of the file's own
// they meet only this file's runs (ownDatabase in lib/testing/db.ts).
const own = ownDatabase("workers", { processWide: true });
let db: Db;
const LATENCY_MS = 20;
const CONCURRENCY = 8;
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
const workers: ReturnType<typeof spawnWorker>[] = [];

beforeAll(async () => {
  db = own.get().db;
  fake = await startFakeLlm({ latencyMs: LATENCY_MS });
});
afterAll(async () => {
  for (const w of workers) w.child.kill("SIGKILL");
  await stopQueue();
  await fake.close();
  await db.$disconnect();
});

test("two workers share a run; the one holding its job is killed and the other ends it, every record once, totals exact", async () => {
  const project = await createProject(db, { name: uniqueName("Workers") });
  const s = await datasetOnFakeLlm(db, project.id, fake.url, {
    fields: [
      { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true },
      { id: "b", kind: "llm", name: "text", system: "", prompt: "Say {{ n }}.", model: "gpt-4o-mini", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
    ],
  });
  workers.push(spawnWorker(), spawnWorker());
  await Promise.all(workers.map((w) => w.ready));
  fake.reset();

  const N = 3000;
  const run = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: N, seed: 7, settings: { concurrency: CONCURRENCY, useCache: false } }, (id) =>
    enqueueRun(process.env.DATABASE_URL!, id),
  );
  // Both processes hold chunks of the run at once.
  const owners = async () =>
    (await db.$queryRaw<{ owner: string; first: number }[]>`
      select owner, min(start)::int as first from "RunChunk" where "runId" = ${run.id}::uuid and owner is not null group by owner order by first`).map((r) => ({
      pid: Number(r.owner.split(":").at(-2)),
      first: r.first,
    }));
  await until(async () => new Set((await owners()).map((o) => o.pid)).size === 2, { timeoutMs: 60_000, intervalMs: 50 });
  const succeededAtKill = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded;
  expect(succeededAtKill).toBeLessThan(N / 2);

  // The process that claimed the first chunk took the queue job: the harder one to lose.
  const firstOwner = (await owners())[0].pid;
  const jobHolder = workers.find((w) => w.child.pid === firstOwner)!;
  jobHolder.child.kill("SIGKILL");
  await jobHolder.exited;

  await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).status !== "running", { timeoutMs: 120_000, intervalMs: 100 });
  const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(after.status).toBe("completed");
  const [sums] = await db.$queryRaw<{ n: number; distinct_n: number; ok: number; tokensIn: number; tokensOut: number; costUsd: number }[]>`
    select count(*)::int as n, count(distinct index)::int as distinct_n, (count(*) filter (where status = 'succeeded'))::int as ok,
      sum("tokensIn")::int as "tokensIn", sum("tokensOut")::int as "tokensOut", sum("costUsd")::float8 as "costUsd"
    from "Record" where "runId" = ${run.id}::uuid`;
  expect(sums.n).toBe(N);
  expect(sums.distinct_n).toBe(N);
  expect(after.succeeded).toBe(sums.ok);
  expect(after.succeeded).toBe(N);
  expect(after.failed).toBe(0);
  expect(after.tokensIn).toBe(sums.tokensIn);
  expect(after.tokensOut).toBe(sums.tokensOut);
  expect(after.costUsd).toBeCloseTo(sums.costUsd, 9);
  // An ended run keeps no chunks.
  expect(await db.runChunk.count({ where: { runId: run.id } })).toBe(0);
  // Requests made twice: only what the killed process had in flight or finished and not yet
  // written (a flush every 200 ms): a few dozen at this latency, where two processes making
  // the same chunks would repeat hundreds.
  const repeated = fake.stats().chatCompletions - N;
  expect(repeated).toBeGreaterThanOrEqual(0);
  expect(repeated).toBeLessThanOrEqual(2 * (CONCURRENCY + Math.ceil((CONCURRENCY * 200) / LATENCY_MS)));
}, 240_000);
