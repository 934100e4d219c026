// "N good records" runs against the fake OpenAI-compatible server. The fake picks each
// judge score uniformly among the levels from a hash of the request, so a 1-5 criterion
// with a threshold of 4 passes 40% of records at random, and the same seed gives the same
// scores (lib/runs/target.ts, README "N good records").
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint, JudgeCriterion } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { exportFilter } from "@/lib/export/server/export";
import { createProject } from "@/lib/projects/server/projects";
import type { RecordFilter } from "@/lib/records/filter";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import { ownDatabase, uniqueName } from "@/lib/testing/db";
import { datasetOnFakeLlm } from "@/lib/testing/runs";
import { until } from "@/lib/testing/until";
import { spawnWorker } from "@/lib/testing/workers";
import type { TargetSettings } from "../schemas";
import { YIELD_PROBE_ATTEMPTS } from "../target";
import { executeRun } from "./executor";
import { runProgress } from "./progress";
import { enqueueRun, stopQueue } from "./queue";
import { launchRun } from "./runs";

// Its worker processes join any running run in their database: on one of the file's own
// they meet only this file's runs (ownDatabase in lib/testing/db.ts).
const own = ownDatabase("target", { processWide: true });
let db: Db;
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = own.get().db;
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  projectId = (await createProject(db, { name: uniqueName("Target") })).id;
});
beforeEach(() => fake.configure({ latencyMs: 0, wrongSchemaRate: 0 }));
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await stopQueue();
  await fake.close();
  await db.$disconnect();
});

const FIVE: JudgeCriterion = { name: "simple", description: "Only simple words.", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: `level ${value}` })) };
const BLUEPRINT: Blueprint = {
  fields: [
    { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true },
    { id: "b", kind: "llm", name: "story", system: "", prompt: "Write about {{ n }}.", model: "gpt-4o-mini", params: { max_tokens: 30 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
    { id: "j", kind: "judge", name: "quality", over: ["story"], criteria: [FIVE], model: "gpt-4o-mini", params: {} },
  ],
};
const FORTY_PERCENT: TargetSettings = { good: 0, thresholds: { quality: { simple: { min: 4 } } } };

async function launch(good: number, attempts: number, seed: number, concurrency = 16, enqueue = async (_id: string) => {}) {
  const s = await datasetOnFakeLlm(db, projectId, fake.url, BLUEPRINT);
  return launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: attempts, seed, settings: { concurrency, useCache: false, target: { ...FORTY_PERCENT, good } } }, enqueue);
}

/** Launches and executes a target run in this process; the run row as it ended. */
async function runToEnd(good: number, attempts: number, seed: number, concurrency = 16) {
  const run = await launch(good, attempts, seed, concurrency);
  await executeRun(db, run.id);
  return db.run.findUniqueOrThrow({ where: { id: run.id } });
}

async function marks(runId: string) {
  const rows = await db.$queryRaw<{ target: string | null; n: bigint }[]>`select target::text, count(*) as n from "Record" where "runId" = ${runId}::uuid group by 1`;
  return Object.fromEntries(rows.map((r) => [r.target ?? "none", Number(r.n)]));
}

describe("N good records", () => {
  test("a run ends with exactly N good records, each meeting the threshold, and reports its yield", async () => {
    const run = await runToEnd(40, 400, 11);
    const after = run;
    expect(after.status).toBe("completed");
    expect(after.good).toBe(40);
    const m = await marks(run.id);
    expect(m.good).toBe(40);
    const records = await db.record.findMany({ where: { runId: run.id }, select: { target: true, values: true } });
    for (const r of records) {
      const score = (r.values as { quality: { simple: { score: number } } }).quality.simple.score;
      expect(r.target === null).toBe(score < 4);
    }
    // It drew more than 40 attempts (40% yield) but stopped long before its cap.
    expect(records.length).toBeGreaterThan(60);
    expect(records.length).toBeLessThan(200);
    const p = await runProgress(db, run.id);
    expect(p.target).toMatchObject({ good: 40, of: 40 });
    expect(p.target!.yield).toBeCloseTo((m.good + (m.over ?? 0)) / records.length, 5);
    expect(p.target!.costPerGood).toBeCloseTo(after.costUsd / 40, 8);

    // Over-target records: kept, shown by the grid's filter, left out of exports by default.
    const [{ id: overId }] = await db.$queryRaw<{ id: string }[]>`select id from "Record" where "runId" = ${run.id}::uuid and target is null limit 1`;
    await db.$executeRaw`update "Record" set target = 'over' where id = ${overId}::uuid`;
    const count = async (filter: RecordFilter) => Number((await db.$queryRaw<{ n: bigint }[]>`select count(*) as n from "Record" r where ${recordFilterSql(run.datasetId, filter)}`)[0].n);
    expect(await count({ target: "good" })).toBe(40);
    const over = (m.over ?? 0) + 1;
    expect(await count({ target: "over" })).toBe(over);
    expect(await count(exportFilter({ filter: {}, includeRejected: false }))).toBe(records.length - over);
    expect(await count(exportFilter({ filter: { target: "over" }, includeRejected: false }))).toBe(over);
  });

  test("two processes executing one run together never overshoot: exactly N good, the rest marked over", async () => {
    const run = await launch(50, 500, 12, 32);
    await Promise.all([executeRun(db, run.id), executeRun(db, run.id)]);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("completed");
    expect(after.good).toBe(50);
    expect((await marks(run.id)).good).toBe(50);
  });

  test("a run with no good record in its first 200 attempts stops with a message saying so", async () => {
    // Every judge answer breaks the schema: every record ends "judge failed".
    fake.configure({ wrongSchemaRate: 1 });
    const after = await runToEnd(10, 2000, 13);
    expect(after.status).toBe("failed");
    expect(after.stopReason).toContain(`none of the first ${YIELD_PROBE_ATTEMPTS} attempts was a good record`);
    expect(after.good).toBe(0);
    const stored = after.succeeded + after.failed;
    expect(stored).toBeGreaterThanOrEqual(YIELD_PROBE_ATTEMPTS);
    expect(stored).toBeLessThan(YIELD_PROBE_ATTEMPTS + 64);
  });

  test("a run that runs out of attempts is partial and says how many good records it has", async () => {
    const after = await runToEnd(30, 30, 14);
    expect(after.status).toBe("partial");
    expect(after.good).toBeLessThan(30);
    expect(after.stopReason).toContain(`with ${after.good} of 30 good records`);
  });

  test("the launch refuses thresholds that name no judge or level, and a cap below the target", async () => {
    const s = await datasetOnFakeLlm(db, projectId, fake.url, BLUEPRINT);
    const base = { datasetId: s.datasetId, connectionId: s.connectionId, seed: 1 };
    await expect(launchRun(db, { ...base, records: 5, settings: { target: { good: 10, thresholds: {} } } }, async () => {})).rejects.toThrow(/attempt cap \(5\) must be at least/);
    await expect(launchRun(db, { ...base, records: 50, settings: { target: { good: 10, thresholds: { nope: {} } } } }, async () => {})).rejects.toThrow(/"nope", which is not a judge/);
    await expect(launchRun(db, { ...base, records: 50, settings: { target: { good: 10, thresholds: { quality: { simple: { accept: [9] } } } } } }, async () => {})).rejects.toThrow(/not one of its levels/);
  });

  test("a worker killed mid-run is replaced and the run still ends at exactly N good", async () => {
    fake.configure({ latencyMs: 5 });
    const N = 400;
    const run = await launch(N, N * 10, 15, 32, (id) => enqueueRun(process.env.DATABASE_URL!, id));
    const start = () => {
      const { child } = spawnWorker();
      children.push(child);
      return child;
    };
    const first = start();
    await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).good >= N / 4, { timeoutMs: 60_000, intervalMs: 50 });
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).good).toBeLessThan(N);
    start();
    await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).status === "completed", { timeoutMs: 90_000, intervalMs: 100 });
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).good).toBe(N);
    expect((await marks(run.id)).good).toBe(N);
  }, 180_000);
});
