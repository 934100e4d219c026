// The retry loop against the fake server on loopback (a real OpenAI client, faults
// injected by the fake), through a real RateLimiter.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { startFakeLlm, type FakeLlm } from "@/fake-llm/server";
import { newField } from "@/lib/blueprints/defaults";
import type { LlmField } from "@/lib/blueprints/schema";
import { ModelCallError, RecordInterrupted, type ModelAnswer, type ModelRequest } from "@/lib/generation/generate-record";
import { DEFAULT_PRICES } from "@/lib/generation/prices";
import { RateLimiter } from "@/lib/generation/rate-limiter";
import { until } from "@/lib/testing/until";
import { createModelCall, RATE_LIMITED_TRIES_PER_ATTEMPT, transportProbe, type CacheStore, type TransportOptions } from "./model-transport";

const field: LlmField = { ...newField("llm", "story"), model: "gpt-4o-mini", params: { max_tokens: 50 } };
const request = (position = 0, content = "Write a story about a cat."): ModelRequest => ({
  field,
  model: "gpt-4o-mini",
  messages: [{ role: "user", content }],
  params: field.params,
  record: { seed: 1, position },
});

let llm: FakeLlm;
beforeAll(async () => {
  llm = await startFakeLlm({ headerFaults: false });
});
afterAll(() => llm.close());
afterEach(() => {
  llm.reset();
  llm.configure({ faultSequence: [], fault429RetryAfterMs: 1000 });
  delete transportProbe.sent;
  delete transportProbe.rateLimited;
});

function transport(over: Partial<TransportOptions> = {}) {
  const limiter = new RateLimiter({ maxConcurrency: 4 });
  const options: TransportOptions = {
    client: new OpenAI({ baseURL: llm.url, apiKey: "test", maxRetries: 0 }),
    limiter,
    prices: DEFAULT_PRICES,
    maxAttempts: 3,
    requestTimeoutMs: 5000,
    ...over,
  };
  return { call: createModelCall(options), limiter };
}

describe("createModelCall", () => {
  it("answers with the content, usage and one attempt", async () => {
    const answer = await transport().call(request());
    expect(answer.content.length).toBeGreaterThan(0);
    expect(answer).toMatchObject({ attempts: 1, cached: false });
    expect(answer.costUsd).toBeGreaterThan(0);
    expect(answer.tokensIn).toBeGreaterThan(0);
    expect(answer.tokensOut).toBeGreaterThan(0);
    expect(llm.stats().chatCompletions).toBe(1);
  });

  it("after a 429 with retry-after, nothing is sent through the limiter until it has passed", async () => {
    llm.configure({ faultSequence: ["429"], fault429RetryAfterMs: 600 });
    const sent: number[] = [];
    let window: { at: number; ms: number } | undefined;
    transportProbe.sent = (at) => sent.push(at);
    transportProbe.rateLimited = (at, ms) => (window ??= { at, ms });
    const { call, limiter } = transport();
    const first = call(request(0));
    await until(async () => limiter.stats().pausedUntil !== null, { timeoutMs: 5000, intervalMs: 5 });
    // Another record of the same run, asking while the window is open.
    const second = call(request(1));
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.attempts)).toEqual([2, 1]);
    expect(window).toEqual({ at: expect.any(Number), ms: 600 });
    expect(sent).toHaveLength(3);
    for (const at of sent.slice(1)) expect(at).toBeGreaterThanOrEqual(window!.at + window!.ms);
    expect(llm.stats().faults["429"]).toBe(1);
  });

  it("429s have a budget of their own (RATE_LIMITED_TRIES_PER_ATTEMPT × maxAttempts): a record met by more 429s than attempts still succeeds", async () => {
    llm.configure({ faultSequence: ["429", "429", "429", "429"], fault429RetryAfterMs: 20 });
    const ok = await transport({ maxAttempts: 3 }).call(request());
    expect(ok.attempts).toBe(5);

    // A 5xx between them still spends the maxAttempts budget: 500, 429, 500, 500 fails at the third 500.
    llm.reset();
    llm.configure({ faultSequence: ["500", "429", "500", "500"], fault429RetryAfterMs: 20 });
    const mixed = await transport({ maxAttempts: 3 }).call(request()).catch((e: unknown) => e);
    expect(mixed).toMatchObject({ attempts: 4, message: expect.stringContaining("gave up after 4 attempts") });

    // 429s without end fail the record once their budget is spent, saying so.
    llm.reset();
    const tries = 2 * RATE_LIMITED_TRIES_PER_ATTEMPT;
    llm.configure({ faultSequence: Array(tries + 1).fill("429"), fault429RetryAfterMs: 20 });
    const limited = await transport({ maxAttempts: 2 }).call(request()).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ModelCallError);
    expect(limited).toMatchObject({ attempts: tries, fatalForRun: false, message: expect.stringMatching(/Rate limited.*gave up after 8 attempts/) });
    expect(llm.stats().chatCompletions).toBe(tries);
  });

  it("retries 5xx up to maxAttempts, then fails the record saying so", async () => {
    llm.configure({ faultSequence: ["500", "503"] });
    const ok = await transport({ maxAttempts: 3 }).call(request());
    expect(ok.attempts).toBe(3);

    llm.reset();
    llm.configure({ faultSequence: ["500", "503", "500", "500"] });
    const failed = await transport({ maxAttempts: 3 }).call(request()).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ModelCallError);
    expect(failed).toMatchObject({ attempts: 3, fatalForRun: false, message: expect.stringContaining("gave up after 3 attempts") });
    expect(llm.stats().chatCompletions).toBe(3);
  });

  it("does not retry what cannot heal: a rejected request fails at once, a bad key stops the run", async () => {
    const bad = await transport()
      .call({ ...request(), params: { temperature: 5 } })
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ModelCallError);
    expect(bad).toMatchObject({ attempts: 1, fatalForRun: false });
    expect(llm.stats().chatCompletions).toBe(1);

    const locked = await startFakeLlm({ apiKeys: ["the-right-key"] });
    try {
      const client = new OpenAI({ baseURL: locked.url, apiKey: "a-wrong-key", maxRetries: 0 });
      const denied = await transport({ client }).call(request()).catch((e: unknown) => e);
      expect(denied).toMatchObject({ attempts: 1, fatalForRun: true });
      expect(locked.stats().totalRequests).toBe(1);
    } finally {
      await locked.close();
    }
  });

  it("a request that times out is retried", async () => {
    llm.configure({ faultSequence: ["hang"] });
    const answer = await transport({ requestTimeoutMs: 300 }).call(request());
    expect(answer.attempts).toBe(2);
    expect(llm.stats().faults.hang).toBe(1);

    llm.reset();
    llm.configure({ faultSequence: ["hang", "hang"] });
    const failed = await transport({ requestTimeoutMs: 200, maxAttempts: 2 }).call(request()).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ModelCallError);
    expect(failed).toMatchObject({ attempts: 2, message: "The request timed out (gave up after 2 attempts)" });
  });

  it("stopping the run while a request is in flight gives RecordInterrupted, and frees its slot", async () => {
    llm.configure({ faultSequence: ["hang"] });
    const stop = new AbortController();
    // One attempt only: an abort must not be mistaken for a failure of the request.
    const { call, limiter } = transport({ signal: stop.signal, maxAttempts: 1 });
    const pending = call(request()).catch((e: unknown) => e);
    await until(async () => llm.stats().inFlight === 1, { timeoutMs: 5000, intervalMs: 5 });
    stop.abort(new Error("run paused"));
    const err = await pending;
    expect(err).toBeInstanceOf(RecordInterrupted);
    expect((err as Error).message).toBe("run paused");
    expect(limiter.stats().inFlight).toBe(0);
  });

  it("stopping the run while it waits out a retry-after gives RecordInterrupted without another request", async () => {
    llm.configure({ faultSequence: ["429"], fault429RetryAfterMs: 10_000 });
    const stop = new AbortController();
    const { call, limiter } = transport({ signal: stop.signal });
    const pending = call(request()).catch((e: unknown) => e);
    await until(async () => limiter.stats().pausedUntil !== null, { timeoutMs: 5000, intervalMs: 5 });
    stop.abort(new Error("run cancelled"));
    expect(await pending).toBeInstanceOf(RecordInterrupted);
    expect(llm.stats().chatCompletions).toBe(1);
  });

  it("a cache hit makes no call and costs nothing; another record is not a hit", async () => {
    const stored = new Map<string, ModelAnswer>();
    const cache: CacheStore = { get: async (k) => stored.get(k), put: (k, a) => void stored.set(k, a) };
    const { call } = transport({ cache, cacheNamespace: "dataset-1|http://fake" });
    const first = await call(request(0));
    expect(llm.stats().chatCompletions).toBe(1);
    const again = await call(request(0));
    expect(llm.stats().chatCompletions).toBe(1);
    expect(again).toMatchObject({ content: first.content, cached: true, costUsd: 0, latencyMs: 0, attempts: 0 });
    await call(request(1));
    expect(llm.stats().chatCompletions).toBe(2);
  });
});
