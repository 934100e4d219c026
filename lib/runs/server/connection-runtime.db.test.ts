// A provider's 429 window outlives the process that received it: a runtime with fresh
// process state (what a restarted process or another worker gets) for the same
// connection waits out the pause recorded in the database instead of sending into it.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { LlmField } from "@/lib/blueprints/schema";
import { RecordInterrupted, type ModelRequest } from "@/lib/generation/generate-record";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { testDb, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { connectionRuntime, freshConnectionRuntime } from "./connection-runtime";
import { createModelCall } from "./model-transport";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
beforeAll(async () => {
  fake = await startFakeLlm();
});
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

const field: LlmField = { id: "b", kind: "llm", name: "text", system: "", prompt: "Say hello.", model: "gpt-4o-mini", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } };
const request: ModelRequest = { field, model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hello." }], params: {}, record: { seed: 1, position: 0 } };

test("a new runtime for the same connection waits out a pause another process recorded", async () => {
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 8 }));
  const windowMs = 3000;
  fake.closeWindow(windowMs);
  const closedAt = Date.now();

  const first = await freshConnectionRuntime(db, conn.id);
  const gone = new AbortController();
  const call1 = createModelCall({ client: first.client, limiter: first.limiterFor, prices: first.prices, maxAttempts: 1, requestTimeoutMs: 10_000, signal: gone.signal });
  const pending = call1(request).catch((e: unknown) => e);
  // Once this process has learned the window (the fake counts its 429 before the answer arrives).
  await until(async () => first.limiterFor("gpt-4o-mini").stats().pausedUntil !== null, { timeoutMs: 5000, intervalMs: 5 });
  // The process that got the 429 goes away while it waits the window out (a 429 does not
  // spend the record's attempt, so it would have retried after it).
  gone.abort(new Error("process gone"));
  expect(await pending).toBeInstanceOf(RecordInterrupted);
  expect(fake.stats().rateLimited).toBe(1);
  // Recorded for the connection (asynchronously: the 429 path does not wait for the database).
  await until(async () => (await db.providerConnection.findUniqueOrThrow({ where: { id: conn.id } })).rateLimitedUntil !== null, { timeoutMs: 5000, intervalMs: 20 });

  // "Restart": the first runtime's memory is gone; the second knows only the database.
  const second = await freshConnectionRuntime(db, conn.id);
  expect(second.limiterFor("gpt-4o-mini").stats().pausedUntil).toBeGreaterThanOrEqual(closedAt + windowMs - 50);
  const call2 = createModelCall({ client: second.client, limiter: second.limiterFor, prices: second.prices, maxAttempts: 1, requestTimeoutMs: 10_000 });
  const answers = await Promise.all([call2(request), call2(request), call2(request)]);
  expect(answers.every((a) => a.content.length > 0)).toBe(true);
  // Nothing was sent into the window: the only 429 is the first runtime's.
  expect(fake.stats().rateLimited).toBe(1);
  expect(Date.now()).toBeGreaterThanOrEqual(closedAt + windowMs);
});

test("two runs on one (connection, model) share its concurrency window; another model keeps its own", async () => {
  const limited = await startFakeLlm({ maxInFlightPerModel: 4, latencyMs: 150 });
  try {
    const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: limited.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 16 }));
    // Each run gets the runtime from connectionRuntime at its start (executor.ts).
    const runA = await connectionRuntime(db, conn.id);
    const runB = await connectionRuntime(db, conn.id);
    const callA = createModelCall({ client: runA.client, limiter: runA.limiterFor, prices: runA.prices, maxAttempts: 20, requestTimeoutMs: 10_000 });
    const callB = createModelCall({ client: runB.client, limiter: runB.limiterFor, prices: runB.prices, maxAttempts: 20, requestTimeoutMs: 10_000 });
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? callA : callB)(request)));
    expect(answers).toHaveLength(24);
    // Run A's 429s narrowed the window run B sends through, and the reverse: one window.
    const shared = runA.limiterFor("gpt-4o-mini");
    expect(runB.limiterFor("gpt-4o-mini")).toBe(shared);
    expect(shared.stats().window).toBeLessThan(16);
    expect(shared.stats().rateLimited).toBe(limited.stats().rateLimited);
    // A model of the same key that met no limit is not held back by the other's.
    expect(runB.limiterFor("gpt-4o").stats()).toMatchObject({ window: 16, rateLimited: 0 });
  } finally {
    await limited.close();
  }
});
