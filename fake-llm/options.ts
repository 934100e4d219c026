// The fake server's options (with their defaults and checks) and its counters.

export const FAULT_KINDS = ["500", "503", "429", "400", "hang", "broken-json", "wrong-schema", "disconnect", "odd-bytes"] as const;
/**
 * - "500": HTTP 500 with OpenAI's server_error body (after the normal latency).
 * - "503": HTTP 503 "engine overloaded" (after the normal latency).
 * - "429": HTTP 429 rate_limit_exceeded with retry-after (immediately).
 * - "400": HTTP 400 invalid_request_error, as for a request the provider refuses (content policy).
 * - "hang": the request is accepted and never answered until the client goes away.
 * - "broken-json": JSON-mode answers are truncated mid-document (200, finish_reason "stop").
 * - "wrong-schema": JSON-mode answers are valid JSON that violates the schema.
 * - "disconnect": the response starts (headers and part of the body) and the socket is destroyed.
 * - "odd-bytes": the answer carries a NUL (U+0000) and an unpaired surrogate (sent as the
 *   JSON escapes \u0000 and \ud800), which a real provider passes on from a model.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FakeLlmOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Accepted API keys; default: any non-empty bearer token. */
  apiKeys?: string[];
  /** Models served by /v1/models and accepted by chat completions. */
  models?: string[];
  /** Fixed latency of every chat completion (ms, default 0). Streams spread it over the chunks. */
  latencyMs?: number;
  /** Extra uniformly random latency in [0, jitterMs) ms (default 0). */
  jitterMs?: number;
  /** Requests per minute (token bucket refilled continuously); undefined = unlimited. */
  rpm?: number;
  /** Tokens per minute (prompt + completion of each request); undefined = unlimited. */
  tpm?: number;
  /**
   * A hidden limit on chat requests in flight per model (0 = none): more get a 429 with
   * retry-after-ms 100 and no x-ratelimit-* headers, like a gateway in front of a deployment.
   */
  maxInFlightPerModel?: number;
  /** Probability of an injected HTTP 500. */
  failRate?: number;
  /** Probability of an injected HTTP 429 (independent of rpm/tpm). */
  rate429?: number;
  /** Probability that a request hangs until the client disconnects. */
  hangRate?: number;
  /** Probability (JSON-mode requests only) of a truncated, invalid JSON answer. */
  brokenJsonRate?: number;
  /** Probability (json_schema requests only) of valid JSON that violates the schema. */
  wrongSchemaRate?: number;
  /** Probability of the connection being dropped mid-response. */
  disconnectRate?: number;
  /** Probability of an answer with a NUL character and an unpaired surrogate in it ("odd-bytes"). */
  oddBytesRate?: number;
  /** Probability of an injected HTTP 400 (a request the provider refuses). */
  rate400?: number;
  /**
   * Models that refuse `logprobs` with a 400, as OpenAI's reasoning models do
   * ("Unsupported parameter: 'logprobs' is not supported with this model."). Default none.
   */
  noLogprobsModels?: string[];
  /**
   * Put the full rejected key in 401 messages instead of OpenAI's masked one, as some
   * proxies and self-hosted servers do (default false).
   */
  echoKeyInErrors?: boolean;
  /** Seeds the fault draws so rate-based faults are reproducible (one draw per admitted request). */
  faultSeed?: number;
  /**
   * Faults for the next admitted chat requests, in order (null = no fault); takes
   * precedence over the rates. E.g. `Array(3).fill("500")` = the first 3 requests fail.
   */
  faultSequence?: (FaultKind | null)[];
  /** Honour the `x-fake-fault` and `x-fake-latency-ms` request headers (default true). */
  headerFaults?: boolean;
  /** retry-after of injected 429s, in ms (default 1000). */
  fault429RetryAfterMs?: number;
  /** Upper bound on content chunks per streamed choice (default 16). */
  maxStreamChunks?: number;
  /** Reject unknown top-level request parameters with 400, like OpenAI (default true). */
  strictParams?: boolean;
  /**
   * Told the messages of every valid chat request as received (before any fault), so a
   * test can compare what a client sent with what it says it sent. Observes only.
   */
  onChatRequest?: ((messages: unknown[]) => void) | null;
  /**
   * Batch API (fake-llm/batches.ts): wall time of each of a batch's steps (validating,
   * in_progress, finalizing), in ms (default 1000; 0 = a batch is done when first read).
   */
  batchStepMs?: number;
  /** Probability that a request of a batch expires (error file, `batch_expired`; the batch ends `expired`). */
  batchExpireRate?: number;
  /** Probability that a request of a batch fails with a 500 in the error file. */
  batchFailRate?: number;
  /** Largest batch input file accepted (bytes; default OpenAI's 200 MB): a larger upload gets a 400. */
  batchMaxFileBytes?: number;
}

export interface FakeStats {
  /** Every HTTP request received. */
  totalRequests: number;
  /** Responses by HTTP status code actually sent (hangs are not counted here). */
  byStatus: Record<number, number>;
  /** POST /v1/chat/completions requests received (any outcome). */
  chatCompletions: number;
  /** Chat completions answered as streams. */
  streamed: number;
  /** 429s caused by the rpm/tpm limits (injected 429s are in `faults`). */
  rateLimited: number;
  /** Injected faults by kind. */
  faults: Record<FaultKind, number>;
  /** Token usage of the successful (200) chat completions sent. */
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Requests received and not yet finished (hanging ones included). */
  inFlight: number;
  /** Highest `inFlight` seen since start / reset(). */
  maxInFlight: number;
  /** Batch API: batches created, requests they held (answered or not), requests expired. */
  batches: { created: number; requests: number; expired: number };
}


export const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "llama3.1:8b"];

export interface ResolvedOptions {
  apiKeys: Set<string> | null;
  models: string[];
  modelSet: Set<string>;
  noLogprobs: Set<string>;
  latencyMs: number;
  jitterMs: number;
  rpm: number | undefined;
  tpm: number | undefined;
  maxInFlightPerModel: number;
  failRate: number;
  rate429: number;
  hangRate: number;
  brokenJsonRate: number;
  wrongSchemaRate: number;
  disconnectRate: number;
  oddBytesRate: number;
  rate400: number;
  echoKeyInErrors: boolean;
  faultSeed: number | undefined;
  faultSequence: (FaultKind | null)[];
  headerFaults: boolean;
  fault429RetryAfterMs: number;
  maxStreamChunks: number;
  strictParams: boolean;
  onChatRequest: ((messages: unknown[]) => void) | null;
  batchStepMs: number;
  batchExpireRate: number;
  batchFailRate: number;
  batchMaxFileBytes: number;
}

export function resolveOptions(base: ResolvedOptions | null, o: Partial<FakeLlmOptions>): ResolvedOptions {
  const has = (k: keyof FakeLlmOptions) => Object.prototype.hasOwnProperty.call(o, k);
  const num = (k: keyof FakeLlmOptions, def: number): number => {
    const v = o[k];
    if (has(k) && v !== undefined) {
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new TypeError(`fake-llm: ${k} must be a number >= 0`);
      return v;
    }
    return has(k) ? def : ((base?.[k as keyof ResolvedOptions] as number | undefined) ?? def);
  };
  const rate = (k: keyof FakeLlmOptions): number => {
    const v = num(k, 0);
    if (v > 1) throw new TypeError(`fake-llm: ${k} must be a probability in [0, 1]`);
    return v;
  };
  const limit = (k: "rpm" | "tpm"): number | undefined => {
    if (!has(k)) return base?.[k];
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "number" || !(v > 0)) throw new TypeError(`fake-llm: ${k} must be a positive number`);
    return v;
  };
  const models = has("models") && o.models ? [...o.models] : (base?.models ?? DEFAULT_MODELS);
  if (o.faultSequence) {
    for (const f of o.faultSequence) {
      if (f !== null && !(FAULT_KINDS as readonly string[]).includes(f)) throw new TypeError(`fake-llm: unknown fault '${f}'`);
    }
  }
  return {
    apiKeys: has("apiKeys") ? (o.apiKeys ? new Set(o.apiKeys) : null) : (base?.apiKeys ?? null),
    models,
    modelSet: new Set(models),
    noLogprobs: new Set(has("noLogprobsModels") ? (o.noLogprobsModels ?? []) : (base?.noLogprobs ?? [])),
    latencyMs: num("latencyMs", 0),
    jitterMs: num("jitterMs", 0),
    rpm: limit("rpm"),
    tpm: limit("tpm"),
    maxInFlightPerModel: num("maxInFlightPerModel", 0),
    failRate: rate("failRate"),
    rate429: rate("rate429"),
    hangRate: rate("hangRate"),
    brokenJsonRate: rate("brokenJsonRate"),
    wrongSchemaRate: rate("wrongSchemaRate"),
    disconnectRate: rate("disconnectRate"),
    oddBytesRate: rate("oddBytesRate"),
    rate400: rate("rate400"),
    echoKeyInErrors: has("echoKeyInErrors") ? o.echoKeyInErrors === true : (base?.echoKeyInErrors ?? false),
    faultSeed: has("faultSeed") ? o.faultSeed : base?.faultSeed,
    faultSequence: has("faultSequence") ? [...(o.faultSequence ?? [])] : (base?.faultSequence ?? []),
    headerFaults: has("headerFaults") ? o.headerFaults !== false : (base?.headerFaults ?? true),
    fault429RetryAfterMs: num("fault429RetryAfterMs", 1000),
    maxStreamChunks: Math.max(1, Math.floor(num("maxStreamChunks", 16))),
    onChatRequest: has("onChatRequest") ? (o.onChatRequest ?? null) : (base?.onChatRequest ?? null),
    strictParams: has("strictParams") ? o.strictParams !== false : (base?.strictParams ?? true),
    batchStepMs: num("batchStepMs", 1000),
    batchExpireRate: rate("batchExpireRate"),
    batchFailRate: rate("batchFailRate"),
    batchMaxFileBytes: num("batchMaxFileBytes", 200 * 1024 * 1024),
  };
}

export function emptyStats(): FakeStats {
  return {
    totalRequests: 0,
    byStatus: {},
    chatCompletions: 0,
    streamed: 0,
    rateLimited: 0,
    faults: { "500": 0, "503": 0, "429": 0, "400": 0, hang: 0, "broken-json": 0, "wrong-schema": 0, disconnect: 0, "odd-bytes": 0 },
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    inFlight: 0,
    maxInFlight: 0,
    batches: { created: 0, requests: 0, expired: 0 },
  };
}
