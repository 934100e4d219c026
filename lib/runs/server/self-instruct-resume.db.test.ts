// The pool's crash guarantee, tested the way it happens (as resume.db.test.ts does for
// plain runs): a worker growing a Self-Instruct pool is killed with SIGKILL while a round
// is in flight, another one starts, and the run reaches its target with every pool member
// and every record stored exactly once.
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import type { PoolRoundStats } from "@/lib/recipes/self-instruct";
import { SELF_INSTRUCT_SEEDS } from "@/lib/recipes/self-instruct-seeds";
import { ownDatabase, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { spawnWorker } from "@/lib/testing/workers";
import { enqueueRun, stopQueue } from "./queue";
import { launchRun } from "./runs";

// Its worker processes join any running run in their database: on one of the file's own
// they meet only this file's runs (ownDatabase in lib/testing/db.ts).
const own = ownDatabase("pool_resume", { processWide: true });
let db: Db;
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = own.get().db;
  fake = await startFakeLlm({ latencyMs: 20 });
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

const TARGET = 150;
const committed = (rounds: PoolRoundStats[]) => ({ candidates: rounds.reduce((n, r) => n + r.candidates, 0), kept: rounds.reduce((n, r) => n + r.kept, 0) });
const roundsOf = async (runId: string) => ((await db.run.findUniqueOrThrow({ where: { id: runId } })).poolRounds ?? []) as unknown as PoolRoundStats[];
const poolRows = (tableId: string) => db.seedRow.findMany({ where: { seedTableId: tableId }, orderBy: { index: "asc" }, select: { index: true, data: true } });

test("a worker killed in the middle of a round is replaced and the pool reaches its target with no member lost or duplicated", async () => {
  const project = await createProject(db, { name: uniqueName("PoolResume") });
  const dataset = await createDataset(db, { projectId: project.id, name: "pool-resume", starter: "self-instruct" });
  const draft = dataset.draft as Blueprint;
  const blueprint: Blueprint = { fields: draft.fields.map((f) => (f.kind === "pool" ? { ...f, targetSize: TARGET, perRound: 20 } : f)) };
  await saveDraft(db, dataset.id, blueprint, dataset.draftRevision);
  const tableId = blueprint.fields.flatMap((f) => (f.kind === "pool" ? [f.seedTableId] : []))[0];
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 8 }));
  const run = await launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records: 400, seed: 9, settings: { concurrency: 4, useCache: false } }, (id) => enqueueRun(process.env.DATABASE_URL!, id));

  const first = startWorker();
  // Calls beyond those of the stored rounds (candidates, plus a response per kept one) mean
  // a round is in flight: the rounds are read after the calls, so a round that landed in
  // between raises the stored count and the wait goes on.
  await until(
    async () => {
      const calls = fake.stats().chatCompletions;
      const rounds = await roundsOf(run.id);
      const c = committed(rounds);
      return rounds.length >= 2 && calls > c.candidates + c.kept + 5;
    },
    { timeoutMs: 90_000, intervalMs: 20 },
  );
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));

  // Only whole rounds were stored: the cut round left no pool row and no record.
  const atKill = committed(await roundsOf(run.id));
  const rowsAtKill = await poolRows(tableId);
  expect(rowsAtKill).toHaveLength(SELF_INSTRUCT_SEEDS.length + atKill.kept);
  expect(await db.record.count({ where: { runId: run.id } })).toBe(atKill.candidates);
  expect(rowsAtKill.length).toBeLessThan(TARGET);

  startWorker();
  await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).status === "completed", { timeoutMs: 120_000, intervalMs: 100 });
  const rounds = await roundsOf(run.id);
  expect(rounds.map((r) => r.round)).toEqual(rounds.map((_, i) => i + 1));
  const rows = await poolRows(tableId);
  expect(rows.map((r) => r.index)).toEqual(rows.map((_, i) => i));
  expect(rows.length).toBeGreaterThanOrEqual(TARGET);
  expect(rows.length).toBe(SELF_INSTRUCT_SEEDS.length + committed(rounds).kept);
  // Nothing stored before the kill was lost or rewritten, and no instruction is in the pool twice.
  expect(rows.slice(0, rowsAtKill.length)).toEqual(rowsAtKill);
  const instructions = rows.map((r) => (r.data as { instruction: string }).instruction);
  expect(new Set(instructions).size).toBe(instructions.length);
  const recs = await db.$queryRaw<{ n: bigint; distinct_n: bigint }[]>`
    select count(*) as n, count(distinct index) as distinct_n from "Record" where "runId" = ${run.id}::uuid`;
  expect(Number(recs[0].n)).toBe(committed(rounds).candidates);
  expect(Number(recs[0].distinct_n)).toBe(committed(rounds).candidates);
}, 240_000);
