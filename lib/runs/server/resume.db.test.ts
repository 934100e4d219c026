// The crash guarantee, tested the way it happens: a worker process is killed with
// SIGKILL in the middle of a run, another one starts, and the run finishes with every
// record stored exactly once.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { ownDatabase, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { spawnWorker } from "@/lib/testing/workers";
import { enqueueRun, stopQueue } from "./queue";
import { launchRun } from "./runs";

// Its worker processes join any running run in their database: on one of the file's own
// they meet only this file's runs (ownDatabase in lib/testing/db.ts).
const own = ownDatabase("resume", { processWide: true });
let db: Db;
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = own.get().db;
  fake = await startFakeLlm({ latencyMs: 5 });
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await stopQueue();
  await fake.close();
  await db.$disconnect();
});

function startWorker() {
  const { child } = spawnWorker();
  children.push(child);
  return child;
}

test("a worker killed mid-run is replaced and the run completes with no record lost or duplicated", async () => {
  const project = await createProject(db, { name: uniqueName("Resume") });
  const dataset = await createDataset(db, { projectId: project.id, name: "resume" });
  await saveDraft(
    db,
    dataset.id,
    {
      fields: [
        { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true },
        { id: "b", kind: "llm", name: "text", system: "", prompt: "Say {{ n }}.", model: "gpt-4o-mini", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
      ],
    },
    0,
  );
  const conn = await createConnection(db, ConnectionInput.parse({ name: "fake", preset: "custom", baseUrl: fake.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 64 }));
  const N = 3000;
  const run = await launchRun(
    db,
    { datasetId: dataset.id, connectionId: conn.id, records: N, seed: 3, settings: { concurrency: 32, useCache: false } },
    (id) => enqueueRun(process.env.DATABASE_URL!, id),
  );

  const first = startWorker();
  await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded >= N / 4, { timeoutMs: 60_000, intervalMs: 100 });
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const atKill = (await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded;
  expect(atKill).toBeLessThan(N);

  startWorker();
  await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).status === "completed", { timeoutMs: 90_000, intervalMs: 100 });
  const rows = await db.$queryRaw<{ n: bigint; distinct_n: bigint }[]>`
    select count(*) as n, count(distinct index) as distinct_n from "Record" where "runId" = ${run.id}::uuid`;
  expect(Number(rows[0].n)).toBe(N);
  expect(Number(rows[0].distinct_n)).toBe(N);
  expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded).toBe(N);
}, 180_000);
