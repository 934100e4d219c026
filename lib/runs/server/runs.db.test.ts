// Runs end to end: real PostgreSQL, the real executor and transport, and the fake
// OpenAI-compatible server on loopback (the only test double).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { syncHealthFields } from "@/lib/quality/health/server/health";
import { trackedFields } from "@/lib/quality/health/shape";
import { testDb, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { estimateRun } from "./estimate";
import { executeRun } from "./executor";
import { streamSamples } from "./live-samples";
import { cancelRun, launchRun, pauseRun, resumeRun, retryFailed } from "./runs";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;
const noQueue = async () => {};

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  projectId = (await createProject(db, { name: uniqueName("Runs") })).id;
});
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

function storyBlueprint(output: "text" | "json" = "text"): Blueprint {
  return {
    fields: [
      { id: "a", kind: "category", name: "topic", options: ["space", "sea", "forest", "city", "desert"].map((value) => ({ value, weight: 1 })) },
      { id: "b", kind: "number", name: "n", min: 1, max: 1000, integer: true },
      {
        id: "c",
        kind: "llm",
        name: "story",
        system: "",
        prompt: "Write about {{ topic }} number {{ n }}.",
        model: "gpt-4o-mini",
        params: { temperature: 1, max_tokens: 60 },
        output: output === "text" ? { type: "text" } : { type: "json", schema: JSON.stringify({ type: "object", properties: { title: { type: "string" }, rating: { type: "integer", minimum: 1, maximum: 5 } }, required: ["title", "rating"] }) },
        fewShot: { examples: [], k: 0, mode: "turns" },
      },
      { id: "d", kind: "expression", name: "label", template: "{{ topic }}" },
    ],
  };
}

async function setup(opts: { blueprint?: Blueprint; key?: string; maxConcurrency?: number } = {}) {
  const dataset = await createDataset(db, { projectId, name: uniqueName("ds") });
  await saveDraft(db, dataset.id, opts.blueprint ?? storyBlueprint(), 0);
  const conn = await createConnection(
    db,
    ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: opts.key ?? "sk-test-right", defaultModel: "gpt-4o-mini", maxConcurrency: opts.maxConcurrency ?? 64 }),
  );
  return { datasetId: dataset.id, connectionId: conn.id };
}

async function launch(s: { datasetId: string; connectionId: string }, records: number, settings: Record<string, unknown> = {}, seed?: number) {
  return launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed, settings: { concurrency: 16, ...settings } }, noQueue);
}

describe("runs", () => {
  test("generate every record once with full provenance and totals that match the records", async () => {
    fake.configure({ latencyMs: 0 });
    const s = await setup();
    const run = await launch(s, 120);
    await executeRun(db, run.id);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("completed");
    const records = await db.record.findMany({ where: { runId: run.id }, orderBy: { index: "asc" } });
    expect(records.map((r) => r.index)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(after.succeeded).toBe(120);
    expect(after.tokensIn).toBe(records.reduce((a, r) => a + r.tokensIn, 0));
    expect(after.tokensOut).toBe(records.reduce((a, r) => a + r.tokensOut, 0));
    expect(after.costUsd).toBeCloseTo(records.reduce((a, r) => a + r.costUsd, 0), 9);
    expect(after.costUsd).toBeGreaterThan(0);
    const r0 = records[0];
    const values = r0.values as Record<string, unknown>;
    expect(values.label).toBe(values.topic);
    expect(typeof values.story).toBe("string");
    for (const r of records) expect(r.nonTextFields).toEqual(["n"]); // the number sampler's value; the rest are text
    const prov = r0.provenance as { blueprintVersion: number; sampled: Record<string, unknown>; llm: Record<string, { model: string; params: unknown; messages: { content: string }[]; tokensIn: number; latencyMs: number; attempts: number; cached: boolean }> };
    expect(prov.blueprintVersion).toBe(1);
    expect(prov.sampled.topic).toBe(values.topic);
    expect(prov.llm.story).toMatchObject({ model: "gpt-4o-mini", params: { temperature: 1, max_tokens: 60 }, attempts: 1, cached: false });
    expect(prov.llm.story.messages.at(-1)!.content).toBe(`Write about ${values.topic} number ${values.n}.`);
  });

  test("a second identical run is served from the cache without calling the model", async () => {
    const s = await setup();
    const first = await launch(s, 30, {}, 77);
    await executeRun(db, first.id);
    const before = fake.stats().chatCompletions;
    const second = await launch(s, 30, {}, 77);
    await executeRun(db, second.id);
    expect(fake.stats().chatCompletions).toBe(before);
    const cached = await db.record.findMany({ where: { runId: second.id } });
    expect(cached).toHaveLength(30);
    expect(cached.every((r) => (r.provenance as { llm: { story: { cached: boolean } } }).llm.story.cached)).toBe(true);
    const noCache = await launch(s, 30, { useCache: false }, 77);
    await executeRun(db, noCache.id);
    expect(fake.stats().chatCompletions).toBe(before + 30);
  });

  test("two runs of one dataset draw different records and number them on from each other", async () => {
    const s = await setup();
    const first = await launch(s, 50);
    await executeRun(db, first.id);
    const served = fake.stats().chatCompletions;
    const second = await launch(s, 50);
    await executeRun(db, second.id);
    const [a, b] = await Promise.all([first, second].map((r) => db.run.findUniqueOrThrow({ where: { id: r.id } })));
    expect(a.seed).not.toBe(b.seed);
    expect([a.firstIndex, b.firstIndex]).toEqual([0, 50]);
    const draws = async (runId: string) =>
      (await db.record.findMany({ where: { runId }, orderBy: { index: "asc" } })).map((r) => {
        const v = r.values as { topic: string; n: number; story: string };
        return { index: r.index, draw: `${v.topic}/${v.n}`, story: v.story };
      });
    const [ra, rb] = [await draws(first.id), await draws(second.id)];
    expect(ra.map((r) => r.index)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(rb.map((r) => r.index)).toEqual(Array.from({ length: 50 }, (_, i) => 50 + i));
    // Position by position the second run is a new draw (n alone is 1 of 1,000).
    const same = ra.filter((r, i) => r.draw === rb[i].draw).length;
    expect(same).toBeLessThan(3);
    // New records are new requests: none was answered from the first run's cache.
    expect(fake.stats().chatCompletions - served).toBe(50);
    expect(new Set([...ra, ...rb].map((r) => r.story)).size).toBe(100);
  });

  test("the cache never answers a different record, even when the prompts are the same", async () => {
    // One option and no other sampler: every record renders exactly the same prompt.
    const bp = storyBlueprint();
    bp.fields = [
      { id: "a", kind: "category", name: "topic", options: [{ value: "space", weight: 1 }] },
      { ...(bp.fields[2] as Extract<Blueprint["fields"][number], { kind: "llm" }>), prompt: "Write about {{ topic }}." },
    ];
    const s = await setup({ blueprint: bp });
    const before = fake.stats().chatCompletions;
    const first = await launch(s, 20, { concurrency: 1 });
    await executeRun(db, first.id);
    const second = await launch(s, 20, { concurrency: 4 });
    await executeRun(db, second.id);
    expect(fake.stats().chatCompletions - before).toBe(40);
    const records = await db.record.findMany({ where: { run: { datasetId: s.datasetId } } });
    expect(records).toHaveLength(40);
    expect(records.some((r) => (r.provenance as { llm: { story: { cached: boolean } } }).llm.story.cached)).toBe(false);
    expect(new Set(records.map((r) => (r.values as { story: string }).story)).size).toBe(40);
    // The same record again (a re-run with the first run's seed) is what the cache is for.
    const again = await launch(s, 20, {}, (await db.run.findUniqueOrThrow({ where: { id: first.id } })).seed);
    await executeRun(db, again.id);
    expect(fake.stats().chatCompletions - before).toBe(40);
  });

  test("the estimate gives the expected cost from answer lengths seen, beside the worst case", async () => {
    const bp = storyBlueprint();
    (bp.fields[2] as { params: { max_tokens: number } }).params.max_tokens = 2000;
    const s = await setup({ blueprint: bp });
    const before = await estimateRun(db, s.datasetId, bp, 1000, 5);
    expect(before.expected).toBeNull();
    expect(before.tokensOut).toBe(2000 * 1000);

    // Live samples are remembered per field...
    await streamSamples(db, { datasetId: s.datasetId, blueprint: bp, connectionId: s.connectionId, count: 3, seed: 9 }, () => {}, new AbortController().signal);
    const lengths = (await db.dataset.findUniqueOrThrow({ where: { id: s.datasetId } })).outputLengths as Record<string, { tokensOut: number[] }>;
    expect(lengths.story.tokensOut).toHaveLength(3);
    const fromSamples = await estimateRun(db, s.datasetId, bp, 1000, 5);
    expect(fromSamples.expected!.basis).toEqual([{ field: "story", answers: 3, meanTokensOut: expect.any(Number), from: ["live samples"] }]);

    // ...and so are the answers of earlier runs; the expectation lands near what a run spends.
    const run = await launch(s, 40, { useCache: false });
    await executeRun(db, run.id);
    const spent = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const est = await estimateRun(db, s.datasetId, bp, 40, 123);
    expect(est.expected!.basis[0]).toMatchObject({ field: "story", answers: 43, from: ["live samples", "earlier runs"] });
    expect(est.expected!.tokensOut).toBeLessThan(est.tokensOut / 10);
    expect(est.expected!.costUsd).toBeLessThan(est.costUsd);
    expect(Math.abs(est.expected!.costUsd - spent.costUsd) / spent.costUsd).toBeLessThan(0.5);
  });

  test("5xx and 429 faults are retried; every record succeeds", async () => {
    // With rate-limit headers, as OpenAI always sends them; headerless 429 pacing is
    // covered by the limiter's own tests.
    fake.configure({ failRate: 0.2, rate429: 0.1, faultSeed: 5, fault429RetryAfterMs: 50, rpm: 100_000 });
    try {
      const s = await setup();
      // 30% of requests fail: with 10 attempts a record fails outright with p = 0.3^10.
      const run = await launch(s, 60, { useCache: false, maxAttempts: 10 });
      await executeRun(db, run.id);
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after).toMatchObject({ status: "completed", succeeded: 60, failed: 0 });
      const attempts = (await db.record.findMany({ where: { runId: run.id } })).reduce((a, r) => a + r.attempts, 0);
      expect(attempts).toBeGreaterThan(60);
    } finally {
      fake.configure({ failRate: 0, rate429: 0, rpm: undefined });
    }
  });

  test("JSON answers that break the schema are re-asked and end up valid", async () => {
    fake.configure({ wrongSchemaRate: 0.3, brokenJsonRate: 0.1, faultSeed: 9 });
    try {
      const s = await setup({ blueprint: storyBlueprint("json") });
      const run = await launch(s, 40, { useCache: false, maxReasks: 5 });
      await executeRun(db, run.id);
      const records = await db.record.findMany({ where: { runId: run.id } });
      expect(records.every((r) => r.status === "succeeded")).toBe(true);
      for (const r of records) {
        const story = (r.values as { story: { title: unknown; rating: unknown } }).story;
        expect(typeof story.title).toBe("string");
        expect(Number.isInteger(story.rating)).toBe(true);
        expect(r.nonTextFields).toContain("story");
      }
      const reasks = records.reduce((a, r) => a + (r.provenance as { llm: { story: { reasks: number } } }).llm.story.reasks, 0);
      expect(reasks).toBeGreaterThan(0);
    } finally {
      fake.configure({ wrongSchemaRate: 0, brokenJsonRate: 0 });
    }
  });

  test("a bad key stops the run early with the reason instead of failing every record", async () => {
    const s = await setup({ key: "sk-wrong" });
    const before = fake.stats().totalRequests;
    const run = await launch(s, 500, { useCache: false });
    await executeRun(db, run.id);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("failed");
    expect(after.stopReason).toMatch(/key/i);
    expect(fake.stats().totalRequests - before).toBeLessThan(40);
  });

  test("an answer holding a NUL or an unpaired surrogate fails only its record; no answer is bought twice", async () => {
    fake.configure({ oddBytesRate: 0.1, faultSeed: 11 });
    try {
      const s = await setup();
      const before = fake.stats();
      const run = await launch(s, 100, { useCache: false, concurrency: 8 });
      await executeRun(db, run.id);
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      const odd = fake.stats().faults["odd-bytes"] - before.faults["odd-bytes"];
      expect(odd).toBeGreaterThan(0);
      expect(after).toMatchObject({ status: "partial", succeeded: 100 - odd, failed: odd });
      expect(fake.stats().chatCompletions - before.chatCompletions).toBe(100);
      const failed = await db.record.findMany({ where: { runId: run.id, status: "failed" } });
      expect(failed).toHaveLength(odd);
      for (const r of failed) {
        expect(r.error).toMatch(/the answer contained 1 NUL character \(U\+0000\) and 1 unpaired UTF-16 surrogate/);
        expect((r.values as { story: string }).story).toContain("\uFFFD\uFFFD");
      }
      expect(Object.keys(after.errorCounts as object).join()).toMatch(/NUL/);
    } finally {
      fake.configure({ oddBytesRate: 0 });
    }
  });

  test("three identical refusals stop the run instead of failing every record", async () => {
    fake.configure({ rate400: 1 });
    try {
      const s = await setup();
      const before = fake.stats().chatCompletions;
      const run = await launch(s, 500, { useCache: false, concurrency: 4 });
      await executeRun(db, run.id);
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after.status).toBe("failed");
      expect(after.stopReason).toMatch(/safety system.*first 3 requests all failed the same way/);
      expect(fake.stats().chatCompletions - before).toBeLessThan(20);
    } finally {
      fake.configure({ rate400: 0 });
    }
  });

  test("a provider that echoes the key in its error: the key is stored nowhere", async () => {
    const key = "sk-echoed-secret-0123456789abcdef";
    fake.configure({ echoKeyInErrors: true });
    try {
      const s = await setup({ key });
      const run = await launch(s, 50, { useCache: false });
      await executeRun(db, run.id);
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after.status).toBe("failed");
      expect(after.stopReason).toMatch(/401/);
      const stored = JSON.stringify([after, await db.record.findMany({ where: { runId: run.id } })]);
      expect(stored).not.toContain(key);
      expect(stored).not.toContain("0123456789abcdef");
    } finally {
      fake.configure({ echoKeyInErrors: false });
    }
  });

  test("an unknown model stops the run early", async () => {
    const bp = storyBlueprint();
    (bp.fields[2] as { model: string }).model = "gpt-does-not-exist";
    const s = await setup({ blueprint: bp });
    const run = await launch(s, 300, { useCache: false });
    await executeRun(db, run.id);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("failed");
    expect(after.stopReason).toMatch(/gpt-does-not-exist|model/i);
  });

  test("cancel stops a running run, keeps what was made, and adds nothing afterwards", async () => {
    fake.configure({ latencyMs: 20 });
    try {
      const s = await setup();
      const run = await launch(s, 2000, { useCache: false, concurrency: 8 });
      const exec = executeRun(db, run.id);
      await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded >= 20, { timeoutMs: 20_000, intervalMs: 25 });
      await cancelRun(db, run.id);
      await exec;
      const count = await db.record.count({ where: { runId: run.id } });
      expect(count).toBeGreaterThanOrEqual(20);
      expect(count).toBeLessThan(2000);
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after.status).toBe("cancelled");
      expect(await db.record.count({ where: { runId: run.id } })).toBe(count);
    } finally {
      fake.configure({ latencyMs: 0 });
    }
  });

  test("pause then resume finishes with every record exactly once", async () => {
    fake.configure({ latencyMs: 10 });
    try {
      const s = await setup();
      const run = await launch(s, 400, { useCache: false, concurrency: 8 });
      const exec = executeRun(db, run.id);
      await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded >= 20, { timeoutMs: 20_000, intervalMs: 25 });
      await pauseRun(db, run.id);
      await exec;
      expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("paused");
      await resumeRun(db, run.id, noQueue);
      await executeRun(db, run.id);
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after).toMatchObject({ status: "completed", succeeded: 400 });
      expect(await db.record.count({ where: { runId: run.id } })).toBe(400);
    } finally {
      fake.configure({ latencyMs: 0 });
    }
  });

  test("records that still fail keep their error; retry failed redoes only them", async () => {
    // The first requests all fail with 500; one attempt per request leaves those records failed.
    fake.configure({ faultSequence: Array(5).fill("500") });
    try {
      const s = await setup();
      // Counted fields registered first: the run's batch inserts keep the health tallies themselves.
      await syncHealthFields(db, s.datasetId, trackedFields(storyBlueprint()));
      const run = await launch(s, 30, { useCache: false, maxAttempts: 1, concurrency: 1 });
      await executeRun(db, run.id);
      let after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after).toMatchObject({ status: "partial", succeeded: 25, failed: 5 });
      const failed = await db.record.findMany({ where: { runId: run.id, status: "failed" } });
      expect(failed.every((r) => r.error && r.attempts === 1)).toBe(true);
      expect(Object.values(after.errorCounts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(5);
      const served = fake.stats().chatCompletions;
      await retryFailed(db, run.id, noQueue);
      await executeRun(db, run.id);
      after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      expect(after).toMatchObject({ status: "completed", succeeded: 30, failed: 0 });
      expect(fake.stats().chatCompletions - served).toBe(5);
      const tallies = await db.healthTally.findMany({ where: { datasetId: s.datasetId, count: { not: 0 }, kind: { in: ["status", "run", "value"] } } });
      const topics = await db.$queryRaw<{ v: string; n: number }[]>`
        select values->>'topic' as v, count(*)::int as n from "Record" where "runId" = ${run.id}::uuid group by 1`;
      expect(tallies.map((t) => `${t.kind}|${t.field}|${t.value}|${t.count}`).filter((k) => !k.startsWith("value|n|")).sort()).toEqual(
        [`status||succeeded|30`, `run||${run.id}|30`, ...topics.map((t) => `value|topic|${t.v}|${t.n}`)].sort(),
      );
    } finally {
      fake.configure({ faultSequence: [] });
    }
  });

  test("a budget cap stops the run cleanly", async () => {
    const s = await setup();
    const run = await launch(s, 5000, { useCache: false, budgetUsd: 0.0005, concurrency: 4 });
    await executeRun(db, run.id);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after.status).toBe("partial");
    expect(after.stopReason).toMatch(/budget/i);
    expect(after.succeeded).toBeLessThan(5000);
    // Overshoot is bounded by the requests in flight when the cap was reached.
    expect(after.costUsd).toBeLessThan(0.0005 * 2);
  });

  test("launch refuses a blueprint with errors", async () => {
    const s = await setup({ blueprint: { fields: [{ id: "x", kind: "expression", name: "x", template: "{{ missing }}" }] } });
    await expect(launch(s, 10)).rejects.toThrow(/error\(s\) to fix/);
  });
});
