import { afterAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai/core/error";
import { startFakeLlm, type FakeLlm } from "@/fake-llm/server";
import { backoffMs, classifyFailure, DEFAULT_RETRY_POLICY, shouldStopRun, type Failure, type Outcome } from "./retry";

const apiError = (status: number, error: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  APIError.generate(status, { error }, undefined, new Headers(headers));

describe("classifyFailure", () => {
  it.each([
    [401, {}, "fatal_auth", false, true],
    [403, {}, "fatal_auth", false, true],
    [404, { code: "model_not_found", message: "The model `gpt-9` does not exist" }, "fatal_model", false, true],
    [400, { message: "Invalid value for 'temperature'" }, "fatal_request", false, false],
    [422, {}, "fatal_request", false, false],
    [408, {}, "timeout", true, false],
    [409, {}, "server", true, false],
    [429, { code: "rate_limit_exceeded" }, "rate_limit", true, false],
    [500, {}, "server", true, false],
    [502, {}, "server", true, false],
    [503, { message: "The engine is currently overloaded" }, "server", true, false],
  ] as const)("HTTP %d -> %s", (status, body, kind, retryable, fatalForRun) => {
    const f = classifyFailure({ error: apiError(status, body) });
    expect(f).toMatchObject({ kind, retryable, fatalForRun });
    expect(classifyFailure({ status })).toMatchObject({ kind: status === 404 ? "fatal_request" : kind, retryable });
  });

  it("never keeps the key when a provider echoes it in its error", () => {
    const key = "local-server-secret-0042";
    const echoed = classifyFailure({ error: apiError(401, { message: `Key ${key} is not valid (you sent sk-proj-AbCdEf0123456789xyz)` }), secrets: [key] });
    expect(echoed.message).not.toContain(key);
    expect(echoed.message).not.toContain("sk-proj-AbCdEf");
    expect(echoed.message).toContain("Key •••• is not valid");
    const other = classifyFailure({ error: new Error(`connect failed for ${key}`), secrets: [key] });
    expect(other.message).not.toContain(key);
  });

  it("writes messages a user can act on, with the provider's words", () => {
    expect(classifyFailure({ error: apiError(401, { message: "Incorrect API key provided: sk-***1234." }) }).message).toBe(
      "The provider rejected the API key (401). Check the key in the connection settings: Incorrect API key provided: sk-***1234.",
    );
    expect(classifyFailure({ error: apiError(404, { code: "model_not_found", message: "The model `gpt-9` does not exist" }) }).message).toMatch(
      /does not know this model.*gpt-9/,
    );
    const long = classifyFailure({ error: apiError(400, { message: "x".repeat(1000) }) }).message;
    expect(long.length).toBeLessThan(400);
  });

  it("a 404 that is not about a model points at the base URL, and stops the run too", () => {
    expect(classifyFailure({ error: apiError(404, { message: "Invalid URL (POST /v1/chat/completion)" }) })).toMatchObject({
      kind: "fatal_request",
      fatalForRun: true,
      message: expect.stringContaining("base URL"),
    });
  });

  it("quota exhaustion is not a rate limit and stops the run", () => {
    expect(classifyFailure({ error: apiError(429, { code: "insufficient_quota", type: "insufficient_quota", message: "You exceeded your current quota" }) })).toMatchObject({
      kind: "fatal_auth",
      retryable: false,
      fatalForRun: true,
    });
  });

  it("a request larger than the TPM limit is not retried", () => {
    expect(classifyFailure({ error: apiError(429, { code: "rate_limit_exceeded", message: "Request too large for gpt-4o in organization org-x on tokens per min (TPM)" }) })).toMatchObject({
      kind: "fatal_request",
      retryable: false,
      fatalForRun: false,
    });
  });

  it("context overflow is a request error for that record only", () => {
    expect(classifyFailure({ error: apiError(400, { code: "context_length_exceeded", message: "maximum context length is 128000 tokens" }) })).toMatchObject({
      kind: "fatal_request",
      retryable: false,
      fatalForRun: false,
      message: expect.stringContaining("context window"),
    });
  });

  it("passes retry-after on", () => {
    const f = classifyFailure({ error: apiError(429, {}, { "retry-after-ms": "1200" }) });
    expect(f.retryAfterMs).toBe(1200);
    expect(classifyFailure({ error: apiError(503, {}, { "retry-after": "3" }) }).retryAfterMs).toBe(3000);
  });

  it("honours x-should-retry: false on server errors", () => {
    expect(classifyFailure({ error: apiError(500, {}, { "x-should-retry": "false" }) }).retryable).toBe(false);
  });

  it("classifies SDK connection errors and their causes", () => {
    expect(classifyFailure({ error: new APIConnectionTimeoutError() })).toMatchObject({ kind: "timeout", retryable: true });
    const refused = new APIConnectionError({ cause: Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }) }) });
    expect(classifyFailure({ error: refused })).toMatchObject({ kind: "network", retryable: true, message: expect.stringContaining("connection refused") });
    const reset = new APIConnectionError({ cause: Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }) });
    expect(classifyFailure({ error: reset })).toMatchObject({ kind: "network", retryable: true });
    expect(classifyFailure({ error: new APIConnectionError({ message: "Connection error." }) })).toMatchObject({ kind: "network", retryable: true });
    expect(classifyFailure({ error: new APIUserAbortError() })).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("classifies plain Node and undici errors by code", () => {
    expect(classifyFailure({ code: "ECONNRESET" })).toMatchObject({ kind: "network", retryable: true });
    expect(classifyFailure({ code: "UND_ERR_SOCKET" })).toMatchObject({ kind: "network", retryable: true });
    expect(classifyFailure({ code: "UND_ERR_HEADERS_TIMEOUT" })).toMatchObject({ kind: "timeout", retryable: true });
    expect(classifyFailure({ error: Object.assign(new Error("x"), { code: "ETIMEDOUT" }) })).toMatchObject({ kind: "timeout" });
    expect(classifyFailure({ error: new DOMException("signal timed out", "TimeoutError") })).toMatchObject({ kind: "timeout" });
    expect(classifyFailure({ error: new DOMException("aborted", "AbortError") })).toMatchObject({ kind: "timeout" });
  });

  it("invalid output is retried (re-asked) and never stops the run", () => {
    expect(classifyFailure({ code: "invalid_output", error: new Error("missing required property 'rating'") })).toMatchObject({
      kind: "invalid_output",
      retryable: true,
      fatalForRun: false,
      message: expect.stringContaining("rating"),
    });
  });

  it("unknown errors fail the record without retries", () => {
    expect(classifyFailure({ error: new TypeError("Cannot read properties of undefined") })).toMatchObject({
      kind: "fatal_request",
      retryable: false,
      fatalForRun: false,
      message: "Unexpected error: Cannot read properties of undefined",
    });
    expect(classifyFailure({})).toMatchObject({ kind: "fatal_request", message: "Unexpected error" });
  });
});

describe("classifyFailure with the real SDK against the fake server", () => {
  const servers: FakeLlm[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const failureOf = async (client: OpenAI, body: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}, options?: OpenAI.RequestOptions): Promise<Failure> => {
    try {
      await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], ...body }, options);
    } catch (error) {
      return classifyFailure({ error });
    }
    throw new Error("expected the call to fail");
  };

  it("bad key, unknown model, bad parameter, rate limit, hang, refused connection", async () => {
    const llm = await startFakeLlm({ apiKeys: ["good"], rpm: 1 });
    servers.push(llm);
    const good = new OpenAI({ baseURL: llm.url, apiKey: "good", maxRetries: 0 });
    expect(await failureOf(new OpenAI({ baseURL: llm.url, apiKey: "sk-bad-1234", maxRetries: 0 }))).toMatchObject({ kind: "fatal_auth", fatalForRun: true });
    expect(await failureOf(good, { model: "gpt-9" })).toMatchObject({ kind: "fatal_model", fatalForRun: true });
    expect(await failureOf(good, { temperature: 5 })).toMatchObject({ kind: "fatal_request", retryable: false, fatalForRun: false });
    await good.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
    const limited = await failureOf(good);
    expect(limited).toMatchObject({ kind: "rate_limit", retryable: true });
    expect(limited.retryAfterMs).toBeGreaterThan(1000);
    llm.configure({ rpm: undefined });
    expect(await failureOf(good, {}, { headers: { "x-fake-fault": "hang" }, timeout: 50 })).toMatchObject({ kind: "timeout", retryable: true });
    const port = llm.port;
    await llm.close();
    expect(await failureOf(new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: "good", maxRetries: 0 }))).toMatchObject({
      kind: "network",
      retryable: true,
    });
  });
});

describe("backoffMs", () => {
  it("grows exponentially with full jitter, capped", () => {
    expect(backoffMs(1, { random: () => 1 })).toBe(500);
    expect(backoffMs(2, { random: () => 1 })).toBe(1000);
    expect(backoffMs(4, { random: () => 1 })).toBe(4000);
    expect(backoffMs(20, { random: () => 1 })).toBe(30_000);
    expect(backoffMs(3, { random: () => 0.5 })).toBe(1000);
    expect(backoffMs(3, { random: () => 0 })).toBe(0);
    expect(backoffMs(2, { baseMs: 100, maxMs: 150, random: () => 1 })).toBe(150);
  });

  it("never retries before retry-after, and adds a little jitter on top", () => {
    expect(backoffMs(1, { retryAfterMs: 2000, random: () => 0 })).toBe(2000);
    expect(backoffMs(1, { retryAfterMs: 2000, random: () => 1 })).toBe(2200);
    expect(backoffMs(1, { retryAfterMs: 60_000, random: () => 1 })).toBe(61_000);
    expect(backoffMs(1, { retryAfterMs: 0, random: () => 1 })).toBe(0);
  });

  it("stays in range with Math.random", () => {
    for (let a = 1; a < 10; a++) {
      const d = backoffMs(a);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(30_000);
    }
  });

  it("has the documented default policy", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 5, requestTimeoutMs: 120_000 });
  });
});

describe("shouldStopRun", () => {
  const fail = (status: number, body: Record<string, unknown> = {}): Outcome => ({ ok: false, failure: classifyFailure({ error: apiError(status, body) }) });
  const ok: Outcome = { ok: true };
  const unknownModel = fail(404, { code: "model_not_found", message: "The model `gpt-9` does not exist" });

  it("stops at once on a rejected key, even after successes", () => {
    expect(shouldStopRun([fail(401)])).toMatchObject({ stop: true, kind: "fatal_auth" });
    expect(shouldStopRun([ok, ok, ok, fail(401)])).toMatchObject({ stop: true, kind: "fatal_auth", reason: expect.stringContaining("API key") });
  });

  it("stops when the first three requests all fail with the same run-fatal reason", () => {
    expect(shouldStopRun([unknownModel, unknownModel])).toEqual({ stop: false });
    expect(shouldStopRun([unknownModel, unknownModel, unknownModel])).toMatchObject({
      stop: true,
      kind: "fatal_model",
      reason: expect.stringContaining("gpt-9"),
    });
  });

  it("does not stop when the setup worked for one of the first requests", () => {
    expect(shouldStopRun([unknownModel, ok, unknownModel, unknownModel])).toEqual({ stop: false });
    expect(shouldStopRun([ok, unknownModel, unknownModel, unknownModel])).toEqual({ stop: false });
  });

  it("does not stop for transient failures", () => {
    expect(shouldStopRun([fail(500), fail(500), fail(429)])).toEqual({ stop: false });
    expect(shouldStopRun([fail(500), fail(500), fail(500)])).toEqual({ stop: false });
  });

  it("stops when every first request gets the same 400 (a parameter the model does not take)", () => {
    const unsupported = fail(400, { message: "Unsupported value: 'temperature' does not support 0.2 with this model." });
    expect(shouldStopRun([unsupported, unsupported, unsupported])).toMatchObject({ stop: true, kind: "fatal_request" });
    const differs = [fail(400, { message: "too long: 130001 tokens" }), fail(400, { message: "too long: 130555 tokens" }), fail(400, { message: "too long: 140000 tokens" })];
    expect(shouldStopRun(differs)).toEqual({ stop: false });
  });

  it("firstN is configurable", () => {
    expect(shouldStopRun([unknownModel], { firstN: 1 })).toMatchObject({ stop: true });
  });
});
