// Batch mode against the fake Batch API: a run lands every record through batches (split
// at the limits, a later field in a later batch, at half price), expired and failed
// requests are sent again, and a run stopped mid-batch (even between creating a batch at
// the provider and storing its id) resumes with nothing lost and nothing asked twice.
import OpenAI from "openai";
import { expect, test } from "vitest";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";
import { testDb } from "@/lib/testing/db";
import { datasetOnFakeLlm, fakeLlmProject } from "@/lib/testing/runs";
import type { BatchExecuteOptions } from "./batch-executor";
import { executeRun } from "./executor";
import { launchRun } from "./runs";

const db = testDb();
const ctx = fakeLlmProject(db, "Batch", { batchStepMs: 0 });

const llm = (id: string, name: string, prompt: string): LlmField => ({ id, kind: "llm", name, system: "", prompt, model: "gpt-4o-mini", params: { max_tokens: 30 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } });
/** Two LLM fields, the second reading the first: two rounds of batches. */
const TWO_STEPS: Blueprint = {
  fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true }, llm("b", "story", "Tell a story about {{ n }}."), llm("c", "title", "Title for: {{ story }}")],
};

async function launch(records: number, blueprint = TWO_STEPS, settings: Record<string, unknown> = {}) {
  const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, blueprint);
  const run = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed: 5, settings: { batch: true, useCache: false, ...settings } }, async () => {});
  return { ...s, run };
}
const fast = (extra: BatchExecuteOptions = {}): BatchExecuteOptions => ({ pollMs: 5, ...extra });

test("a batch run lands every record, split across batches at the limits, at half the online price", async () => {
  ctx.fake.reset();
  ctx.fake.configure({ batchExpireRate: 0, batchFailRate: 0 });
  const { run } = await launch(30);
  await executeRun(db, run.id, fast({ limits: { requests: 8, bytes: 200 * 1024 * 1024 } }));
  const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(done.status).toBe("completed");
  expect(done.succeeded).toBe(30);
  const records = await db.record.findMany({ where: { runId: run.id } });
  expect(records.every((r) => typeof (r.values as Record<string, unknown>).title === "string")).toBe(true);
  // 30 stories then 30 titles, at most 8 requests a batch: 4 + 4 batches, and no chat request at all.
  const batches = await db.runBatch.findMany({ where: { runId: run.id } });
  expect(batches.length).toBe(8);
  expect(batches.every((b) => b.status === "ingested" && b.requests <= 8)).toBe(true);
  const stats = ctx.fake.stats();
  expect(stats.chatCompletions).toBe(0);
  expect(stats.batches.requests).toBe(60);
  // gpt-4o-mini online: $0.15 / $0.60 per M tokens; batch: half.
  const online = (done.tokensIn * 0.15 + done.tokensOut * 0.6) / 1e6;
  expect(done.costUsd).toBeCloseTo(online / 2, 10);
});

test("expired and failed requests are sent again in new batches until every record lands", async () => {
  ctx.fake.reset();
  ctx.fake.configure({ batchExpireRate: 0.2, batchFailRate: 0.1 });
  const { run } = await launch(40, { fields: TWO_STEPS.fields.slice(0, 2) }, { maxAttempts: 20 });
  await executeRun(db, run.id, fast());
  const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(done.status).toBe("completed");
  expect(done.succeeded).toBe(40);
  const stats = ctx.fake.stats();
  expect(stats.batches.expired).toBeGreaterThan(0);
  expect(stats.batches.created).toBeGreaterThan(1);
  const batches = await db.runBatch.findMany({ where: { runId: run.id } });
  expect(batches.some((b) => (b.requestCounts as { failed: number }).failed > 0)).toBe(true);
});

test("a request that keeps failing fails its record with the provider's reason after maxAttempts; the rest land", async () => {
  ctx.fake.reset();
  ctx.fake.configure({ batchExpireRate: 0, batchFailRate: 0 });
  // A model the provider does not serve: refused (404) in every batch.
  const bad = { ...llm("b", "story", "Tell a story about {{ n }}."), model: "gpt-retired" };
  const { run } = await launch(3, { fields: [TWO_STEPS.fields[0]!, bad] }, { maxAttempts: 2 });
  await executeRun(db, run.id, fast());
  const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(done.status).toBe("failed");
  expect(done.failed).toBe(3);
  const rec = await db.record.findFirstOrThrow({ where: { runId: run.id } });
  expect(rec.error).toMatch(/gpt-retired.*does not exist.*gave up after 2 batch attempts/);
});

test("stopped mid-batch, even before the batch id was stored, the resumed run loses nothing and asks nothing twice", async () => {
  ctx.fake.reset();
  ctx.fake.configure({ batchExpireRate: 0.05, batchFailRate: 0, batchStepMs: 30 });
  const N = 200;
  const { run } = await launch(N, undefined, { maxAttempts: 20 });
  // First process: stopped (as a worker shutting down) right after its second batch was created.
  const stop = new AbortController();
  let submitted = 0;
  await executeRun(db, run.id, fast({ signal: stop.signal, limits: { requests: 50, bytes: 1e9 }, onSubmitted: () => ++submitted === 2 && stop.abort() }));
  expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("running");
  // As if it had died between creating the batch and storing its id: the row knows only its positions.
  const last = await db.runBatch.findFirstOrThrow({ where: { runId: run.id, providerBatchId: { not: null } }, orderBy: { createdAt: "desc" } });
  await db.runBatch.update({ where: { id: last.id }, data: { providerBatchId: null, status: "preparing" } });

  await executeRun(db, run.id, fast());
  const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(done.status).toBe("completed");
  const rows = await db.$queryRaw<{ n: bigint; distinct_n: bigint }[]>`select count(*) as n, count(distinct index) as distinct_n from "Record" where "runId" = ${run.id}::uuid`;
  expect(Number(rows[0]!.n)).toBe(N);
  expect(Number(rows[0]!.distinct_n)).toBe(N);
  // The orphaned row was found at the provider by its metadata, not submitted again.
  expect((await db.runBatch.findUniqueOrThrow({ where: { id: last.id } })).status).toBe("ingested");
  // Every request answered exactly once: two per record (story, title); expired ones were not answered.
  const stats = ctx.fake.stats();
  expect(stats.batches.expired).toBeGreaterThan(0);
  expect(stats.batches.requests - stats.batches.expired).toBe(2 * N);
  ctx.fake.configure({ batchExpireRate: 0, batchStepMs: 0 });
}, 60_000);

test("a batch file the provider refuses fails only its records, with the provider's reason; the run goes on with the rest", async () => {
  ctx.fake.reset();
  ctx.fake.configure({ batchExpireRate: 0, batchFailRate: 0, batchMaxFileBytes: 1_500 });
  const long = "x".repeat(3_000);
  const blueprint: Blueprint = {
    fields: [{ id: "a", kind: "category", name: "topic", options: [{ value: "penguins", weight: 1 }, { value: long, weight: 1 }] }, llm("b", "story", "Tell a story about {{ topic }}.")],
  };
  const { run } = await launch(12, blueprint, { maxAttempts: 2 });
  // One record a file: a record with the long topic makes a file over the provider's limit.
  await executeRun(db, run.id, fast({ limits: { requests: 1, bytes: 1e9 } }));
  const done = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  const records = await db.record.findMany({ where: { runId: run.id } });
  const longOnes = records.filter((r) => (r.values as { topic: string }).topic === long);
  expect(longOnes.length).toBeGreaterThan(0);
  expect(longOnes.length).toBeLessThan(12);
  expect(records.length).toBe(12);
  for (const r of records) {
    if ((r.values as { topic: string }).topic === long) {
      expect(r.status).toBe("failed");
      expect(r.error).toMatch(/File is too large.*gave up after 2 batch attempts/);
    } else expect(r.status).toBe("succeeded");
  }
  expect(done.status).toBe("partial");
  const rejected = await db.runBatch.count({ where: { runId: run.id, status: "rejected" } });
  expect(rejected).toBe(2 * longOnes.length);
  ctx.fake.configure({ batchMaxFileBytes: 200 * 1024 * 1024 });
});

test("cancelling a batch run cancels its batches at the provider", async () => {
  ctx.fake.reset();
  ctx.fake.configure({ batchExpireRate: 0, batchFailRate: 0, batchStepMs: 60_000 });
  const { run } = await launch(5);
  const running = executeRun(db, run.id, fast({ onSubmitted: () => void db.run.update({ where: { id: run.id }, data: { status: "cancelled", stopReason: "Cancelled by the user." } }).then(() => {}) }));
  await running;
  const [row] = await db.runBatch.findMany({ where: { runId: run.id } });
  expect(row!.status).toBe("cancelled");
  const client = new OpenAI({ baseURL: ctx.fake.url, apiKey: "sk-test-right" });
  expect((await client.batches.retrieve(row!.providerBatchId!)).status).toBe("cancelled");
  ctx.fake.configure({ batchStepMs: 0 });
});

test("batch mode is refused for a connection whose preset has no Batch API", async () => {
  const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, TWO_STEPS);
  const ollama = await db.providerConnection.update({ where: { id: s.connectionId }, data: { preset: "ollama" } });
  await expect(launchRun(db, { datasetId: s.datasetId, connectionId: ollama.id, records: 1, settings: { batch: true } }, async () => {})).rejects.toThrow(/has no Batch API/);
});
