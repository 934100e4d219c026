// An OpenAI-compatible fake chat-completions server (node:http only), used by tests,
// benchmarks and `npm run fake-llm`. It is the project's only test double, so it
// mimics the real API closely: response shapes, SSE streaming, error bodies,
// parameter validation, x-ratelimit-* headers and 429s, plus injectable faults.
// See fake-llm/README.md for the behaviour and options.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { TokenBucket, formatDuration } from "./ratelimit";
import {
  type Rng,
  estimateTokens,
  extractKeywords,
  fnv1a,
  mixInt,
  mulberry32,
  paragraph,
  phrase,
  randInt,
  truncateToTokens,
} from "./random";
import { generateFromSchema } from "./schema/generate";
import { strictSchemaError } from "./schema/strict";
import { violateSchema } from "./schema/validate";

export const FAULT_KINDS = ["500", "503", "429", "hang", "broken-json", "wrong-schema", "disconnect"] as const;
/**
 * - "500": HTTP 500 with OpenAI's server_error body (after the normal latency).
 * - "503": HTTP 503 "engine overloaded" (after the normal latency).
 * - "429": HTTP 429 rate_limit_exceeded with retry-after (immediately).
 * - "hang": the request is accepted and never answered until the client goes away.
 * - "broken-json": JSON-mode answers are truncated mid-document (200, finish_reason "stop").
 * - "wrong-schema": JSON-mode answers are valid JSON that violates the schema.
 * - "disconnect": the response starts (headers and part of the body) and the socket is destroyed.
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
}

export interface FakeLlm {
  /** Base URL including /v1, e.g. http://127.0.0.1:54321/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): FakeStats;
  /** Clears stats, refills the rate-limit buckets and restarts faultSequence / faultSeed draws. */
  reset(): void;
  /** Changes options at runtime (port/host excepted). */
  configure(partial: Partial<FakeLlmOptions>): void;
  /**
   * Closes the key's rate-limit window for `ms`: every chat request until then gets a 429
   * whose retry-after(-ms) is the time left, as when another client drained the quota or a
   * provider's fixed window is spent. Requests already admitted finish normally.
   */
  closeWindow(ms: number): void;
}

export const DEFAULT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "llama3.1:8b"];

const KNOWN_PARAMS = new Set([
  "messages", "model", "audio", "frequency_penalty", "function_call", "functions", "logit_bias", "logprobs",
  "max_completion_tokens", "max_tokens", "metadata", "modalities", "moderation", "n", "parallel_tool_calls",
  "prediction", "presence_penalty", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention",
  "reasoning_effort", "response_format", "safety_identifier", "seed", "service_tier", "stop", "store", "stream",
  "stream_options", "temperature", "tool_choice", "tools", "top_logprobs", "top_p", "user", "verbosity",
  "web_search_options",
]);
const ROLES = ["system", "assistant", "user", "function", "tool", "developer"];
const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MODEL_CREATED = 1_715_367_049;
const RATE_LIMIT_DOCS = "Visit https://platform.openai.com/account/rate-limits to learn more.";

// ---------------------------------------------------------------------------------
// Errors

interface ApiError {
  status: number;
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

const invalid = (message: string, param: string | null = null, code: string | null = null, status = 400): ApiError => ({
  status,
  message,
  type: "invalid_request_error",
  param,
  code,
});

function errorJson(e: Omit<ApiError, "status">): string {
  return JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
}

function describeType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return Number.isInteger(v) ? "an integer" : "a decimal";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  if (typeof v === "object") return "an object";
  return typeof v;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const present = (v: unknown) => v !== undefined && v !== null;

function checkInt(body: Record<string, unknown>, name: string, min?: number, max?: number): ApiError | null {
  const v = body[name];
  if (!present(v)) return null;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    return invalid(`Invalid type for '${name}': expected an integer, but got ${describeType(v)} instead.`, name, "invalid_type");
  }
  if (min !== undefined && v < min) {
    return invalid(`Invalid '${name}': integer below minimum value. Expected a value >= ${min}, but got ${v} instead.`, name, "integer_below_min_value");
  }
  if (max !== undefined && v > max) {
    return invalid(`Invalid '${name}': integer above maximum value. Expected a value <= ${max}, but got ${v} instead.`, name, "integer_above_max_value");
  }
  return null;
}

function checkNumber(body: Record<string, unknown>, name: string, min: number, max: number): ApiError | null {
  const v = body[name];
  if (!present(v)) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    return invalid(`Invalid type for '${name}': expected a decimal, but got ${describeType(v)} instead.`, name, "invalid_type");
  }
  if (v < min) {
    return invalid(`Invalid '${name}': decimal below minimum value. Expected a value >= ${min}, but got ${v} instead.`, name, "decimal_below_min_value");
  }
  if (v > max) {
    return invalid(`Invalid '${name}': decimal above maximum value. Expected a value <= ${max}, but got ${v} instead.`, name, "decimal_above_max_value");
  }
  return null;
}

// ---------------------------------------------------------------------------------
// Request parsing / validation

interface ParsedChat {
  model: string;
  /** Text of each message (parts joined), for hashing and token estimates. */
  texts: string[];
  /** Index of the last user message (or last message). */
  lastUser: number;
  nameCount: number;
  n: number;
  maxTokens: number | undefined;
  seed: number | undefined;
  stream: boolean;
  includeUsage: boolean;
  stop: string[];
  format: "text" | "json_object" | "json_schema";
  schema: unknown;
  schemaText: string;
}

function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    let s = "";
    for (const part of content) {
      if (isObj(part) && typeof part.text === "string") s += (s ? "\n" : "") + part.text;
      else if (isObj(part) && typeof part.refusal === "string") s += (s ? "\n" : "") + part.refusal;
    }
    return s;
  }
  return "";
}

const PART_TYPES = ["text", "image_url", "input_audio", "file", "refusal"];

function validateChat(body: unknown, strictParams: boolean): ApiError | ParsedChat {
  if (!isObj(body)) {
    return invalid(`Invalid type for request body: expected an object, but got ${describeType(body)} instead.`, null, "invalid_type");
  }
  if (strictParams) {
    for (const key in body) {
      if (!KNOWN_PARAMS.has(key)) return invalid(`Unrecognized request argument supplied: ${key}`);
    }
  }
  const model = body.model;
  if (!present(model) || model === "") return invalid("you must provide a model parameter");
  if (typeof model !== "string") {
    return invalid(`Invalid type for 'model': expected a string, but got ${describeType(model)} instead.`, "model", "invalid_type");
  }
  const messages = body.messages;
  if (!present(messages)) return invalid("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
  if (!Array.isArray(messages)) {
    return invalid(`Invalid type for 'messages': expected an array of objects, but got ${describeType(messages)} instead.`, "messages", "invalid_type");
  }
  if (messages.length === 0) {
    return invalid(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  const texts: string[] = new Array(messages.length);
  let lastUser = -1;
  let nameCount = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const p = `messages[${i}]`;
    if (!isObj(m)) return invalid(`Invalid type for '${p}': expected an object, but got ${describeType(m)} instead.`, p, "invalid_type");
    const role = m.role;
    if (!present(role)) return invalid(`Missing required parameter: '${p}.role'.`, `${p}.role`, "missing_required_parameter");
    if (typeof role !== "string" || !ROLES.includes(role)) {
      return invalid(
        `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `${p}.role`,
        "invalid_value",
      );
    }
    const content = m.content;
    const contentOptional = role === "assistant" && (present(m.tool_calls) || present(m.function_call) || present(m.refusal) || present(m.audio));
    if (!present(content)) {
      if (!contentOptional) return invalid(`Missing required parameter: '${p}.content'.`, `${p}.content`, "missing_required_parameter");
    } else if (Array.isArray(content)) {
      for (let j = 0; j < content.length; j++) {
        const part = content[j];
        const pp = `${p}.content[${j}]`;
        if (!isObj(part)) return invalid(`Invalid type for '${pp}': expected an object, but got ${describeType(part)} instead.`, pp, "invalid_type");
        if (!present(part.type)) return invalid(`Missing required parameter: '${pp}.type'.`, `${pp}.type`, "missing_required_parameter");
        if (typeof part.type !== "string" || !PART_TYPES.includes(part.type)) {
          return invalid(
            `Invalid value: '${String(part.type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'file', and 'refusal'.`,
            `${pp}.type`,
            "invalid_value",
          );
        }
        if (part.type === "text" && typeof part.text !== "string") {
          if (!present(part.text)) return invalid(`Missing required parameter: '${pp}.text'.`, `${pp}.text`, "missing_required_parameter");
          return invalid(`Invalid type for '${pp}.text': expected a string, but got ${describeType(part.text)} instead.`, `${pp}.text`, "invalid_type");
        }
      }
    } else if (typeof content !== "string") {
      return invalid(
        `Invalid type for '${p}.content': expected one of a string or array of objects, but got ${describeType(content)} instead.`,
        `${p}.content`,
        "invalid_type",
      );
    }
    if (role === "tool" && !present(m.tool_call_id)) {
      return invalid(`Missing required parameter: '${p}.tool_call_id'.`, `${p}.tool_call_id`, "missing_required_parameter");
    }
    if (typeof m.name === "string") nameCount++;
    texts[i] = messageText(content);
    if (role === "user") lastUser = i;
  }
  if (lastUser < 0) lastUser = messages.length - 1;

  const err =
    checkInt(body, "n", 1, 128) ??
    checkInt(body, "max_tokens", 1) ??
    checkInt(body, "max_completion_tokens", 1) ??
    checkInt(body, "seed") ??
    checkNumber(body, "temperature", 0, 2) ??
    checkNumber(body, "top_p", 0, 1) ??
    checkNumber(body, "presence_penalty", -2, 2) ??
    checkNumber(body, "frequency_penalty", -2, 2);
  if (err) return err;

  const stream = body.stream;
  if (present(stream) && typeof stream !== "boolean") {
    return invalid(`Invalid type for 'stream': expected a boolean, but got ${describeType(stream)} instead.`, "stream", "invalid_type");
  }
  let includeUsage = false;
  if (present(body.stream_options)) {
    if (stream !== true) return invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
    if (!isObj(body.stream_options)) {
      return invalid(`Invalid type for 'stream_options': expected an object, but got ${describeType(body.stream_options)} instead.`, "stream_options", "invalid_type");
    }
    includeUsage = body.stream_options.include_usage === true;
  }

  let stop: string[] = [];
  if (present(body.stop)) {
    if (typeof body.stop === "string") stop = [body.stop];
    else if (Array.isArray(body.stop) && body.stop.every((s) => typeof s === "string")) {
      if (body.stop.length > 4) {
        return invalid(
          `Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length ${body.stop.length} instead.`,
          "stop",
          "array_above_max_length",
        );
      }
      stop = body.stop as string[];
    } else {
      return invalid(`Invalid type for 'stop': expected one of a string or array of strings, but got ${describeType(body.stop)} instead.`, "stop", "invalid_type");
    }
    stop = stop.filter((s) => s.length > 0);
  }

  let format: ParsedChat["format"] = "text";
  let schema: unknown;
  let schemaText = "";
  const rf = body.response_format;
  if (present(rf)) {
    if (!isObj(rf)) {
      return invalid(`Invalid type for 'response_format': expected an object, but got ${describeType(rf)} instead.`, "response_format", "invalid_type");
    }
    if (!present(rf.type)) return invalid("Missing required parameter: 'response_format.type'.", "response_format.type", "missing_required_parameter");
    if (rf.type === "json_schema") {
      const js = rf.json_schema;
      if (!present(js)) {
        return invalid("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
      }
      if (!isObj(js)) {
        return invalid(`Invalid type for 'response_format.json_schema': expected an object, but got ${describeType(js)} instead.`, "response_format.json_schema", "invalid_type");
      }
      if (!present(js.name)) {
        return invalid("Missing required parameter: 'response_format.json_schema.name'.", "response_format.json_schema.name", "missing_required_parameter");
      }
      if (typeof js.name !== "string" || !/^[a-zA-Z0-9_-]{1,64}$/.test(js.name)) {
        return invalid(
          "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
          "response_format.json_schema.name",
          "invalid_value",
        );
      }
      if (present(js.schema) && !isObj(js.schema)) {
        return invalid(`Invalid type for 'response_format.json_schema.schema': expected an object, but got ${describeType(js.schema)} instead.`, "response_format.json_schema.schema", "invalid_type");
      }
      schema = js.schema ?? {};
      if (js.strict === true) {
        const e = strictSchemaError(schema);
        if (e) return invalid(`Invalid schema for response_format '${js.name}': ${e}`, "response_format");
      }
      format = "json_schema";
      schemaText = JSON.stringify(schema);
    } else if (rf.type === "json_object") {
      if (!texts.some((t) => /json/i.test(t))) {
        return invalid("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", "messages");
      }
      format = "json_object";
    } else if (rf.type !== "text") {
      return invalid(
        `Invalid value: '${String(rf.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
        "response_format.type",
        "invalid_value",
      );
    }
  }

  return {
    model,
    texts,
    lastUser,
    nameCount,
    n: (body.n as number | undefined) ?? 1,
    maxTokens: (body.max_completion_tokens as number | undefined) ?? (body.max_tokens as number | undefined) ?? undefined,
    seed: (body.seed as number | undefined) ?? undefined,
    stream: stream === true,
    includeUsage,
    stop,
    format,
    schema,
    schemaText,
  };
}

// ---------------------------------------------------------------------------------
// Answer generation

interface Choice {
  content: string;
  finishReason: "stop" | "length";
}

interface Answer {
  choices: Choice[];
  promptTokens: number;
  completionTokens: number;
}

/** OpenAI-cookbook style estimate: 3 tokens per message, +1 per name, +3 priming, content at ~4 chars/token. */
function promptTokens(p: ParsedChat): number {
  let t = 3 + p.nameCount;
  for (const text of p.texts) t += 3 + estimateTokens(text);
  if (p.schemaText) t += estimateTokens(p.schemaText);
  return t;
}

function baseContent(p: ParsedChat, rng: Rng, keywords: string[]): string {
  if (p.format === "json_schema") return JSON.stringify(generateFromSchema(p.schema, rng, keywords));
  if (p.format === "json_object") {
    return JSON.stringify({
      answer: paragraph(rng, keywords),
      topic: phrase(rng, keywords, randInt(rng, 1, 3)),
      keywords: keywords.slice(0, randInt(rng, 0, Math.min(5, keywords.length))),
      score: randInt(rng, 1, 10),
    });
  }
  return paragraph(rng, keywords);
}

function breakJson(json: string): string {
  const cut = json.slice(0, Math.max(1, Math.floor(json.length * 0.6)));
  try {
    JSON.parse(cut);
  } catch {
    return cut;
  }
  return `{"truncated": ${cut}`;
}

function applyStopAndLimit(content: string, p: ParsedChat, perChoiceMax: number | undefined): Choice {
  for (const s of p.stop) {
    const at = content.indexOf(s);
    if (at >= 0) content = content.slice(0, at);
  }
  if (perChoiceMax !== undefined && estimateTokens(content) > perChoiceMax) {
    return { content: truncateToTokens(content, perChoiceMax), finishReason: "length" };
  }
  return { content, finishReason: "stop" };
}

// ---------------------------------------------------------------------------------
// Server

interface ResolvedOptions {
  apiKeys: Set<string> | null;
  models: string[];
  modelSet: Set<string>;
  latencyMs: number;
  jitterMs: number;
  rpm: number | undefined;
  tpm: number | undefined;
  failRate: number;
  rate429: number;
  hangRate: number;
  brokenJsonRate: number;
  wrongSchemaRate: number;
  disconnectRate: number;
  faultSeed: number | undefined;
  faultSequence: (FaultKind | null)[];
  headerFaults: boolean;
  fault429RetryAfterMs: number;
  maxStreamChunks: number;
  strictParams: boolean;
}

function resolve(base: ResolvedOptions | null, o: Partial<FakeLlmOptions>): ResolvedOptions {
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
    latencyMs: num("latencyMs", 0),
    jitterMs: num("jitterMs", 0),
    rpm: limit("rpm"),
    tpm: limit("tpm"),
    failRate: rate("failRate"),
    rate429: rate("rate429"),
    hangRate: rate("hangRate"),
    brokenJsonRate: rate("brokenJsonRate"),
    wrongSchemaRate: rate("wrongSchemaRate"),
    disconnectRate: rate("disconnectRate"),
    faultSeed: has("faultSeed") ? o.faultSeed : base?.faultSeed,
    faultSequence: has("faultSequence") ? [...(o.faultSequence ?? [])] : (base?.faultSequence ?? []),
    headerFaults: has("headerFaults") ? o.headerFaults !== false : (base?.headerFaults ?? true),
    fault429RetryAfterMs: num("fault429RetryAfterMs", 1000),
    maxStreamChunks: Math.max(1, Math.floor(num("maxStreamChunks", 16))),
    strictParams: has("strictParams") ? o.strictParams !== false : (base?.strictParams ?? true),
  };
}

function emptyStats(): FakeStats {
  return {
    totalRequests: 0,
    byStatus: {},
    chatCompletions: 0,
    streamed: 0,
    rateLimited: 0,
    faults: { "500": 0, "503": 0, "429": 0, hang: 0, "broken-json": 0, "wrong-schema": 0, disconnect: 0 },
    promptTokens: 0,
    completionTokens: 0,
    totalTokens: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
}

function maskKey(key: string): string {
  if (key.length <= 8) return "*".repeat(key.length);
  return `${key.slice(0, 3)}${"*".repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}

/** Splits `s` into about `parts` pieces without breaking surrogate pairs. */
function splitContent(s: string, parts: number): string[] {
  if (!s) return [];
  const size = Math.ceil(s.length / parts);
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(s.length, i + size);
    const c = s.charCodeAt(end - 1);
    if (end < s.length && c >= 0xd800 && c <= 0xdbff) end++;
    out.push(s.slice(i, end));
    i = end;
  }
  return out;
}

type Headers = Record<string, string | number>;

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  let opts = resolve(null, options);
  let stats = emptyStats();
  let reqBucket: TokenBucket | null = null;
  let tokBucket: TokenBucket | null = null;
  let faultRng: Rng = Math.random;
  let faultPos = 0;
  let counter = 0;
  let answerCounter = 0;
  const idPrefix = randomBytes(6).toString("hex");
  const fingerprint = `fp_${randomBytes(5).toString("hex")}`;
  let inFlight = 0;
  let onDrained: (() => void) | null = null;
  /** performance.now() until which the window is closed (closeWindow). */
  let closedUntil = 0;
  const closeWindow = (ms: number) => {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new TypeError("fake-llm: closeWindow expects a number of ms >= 0");
    closedUntil = Math.max(closedUntil, performance.now() + ms);
  };

  function resetLimits() {
    const now = performance.now();
    reqBucket = opts.rpm ? new TokenBucket(opts.rpm, now) : null;
    tokBucket = opts.tpm ? new TokenBucket(opts.tpm, now) : null;
  }
  function resetFaults() {
    faultRng = opts.faultSeed === undefined ? Math.random : mulberry32(opts.faultSeed);
    faultPos = 0;
  }
  resetLimits();
  resetFaults();

  const countStatus = (status: number) => {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  };

  function addRateHeaders(h: Headers): Headers {
    if (!reqBucket && !tokBucket) return h;
    const now = performance.now();
    if (reqBucket) {
      h["x-ratelimit-limit-requests"] = reqBucket.limit;
      h["x-ratelimit-remaining-requests"] = reqBucket.remaining(now);
      h["x-ratelimit-reset-requests"] = formatDuration(reqBucket.resetMs(now));
    }
    if (tokBucket) {
      h["x-ratelimit-limit-tokens"] = tokBucket.limit;
      h["x-ratelimit-remaining-tokens"] = tokBucket.remaining(now);
      h["x-ratelimit-reset-tokens"] = formatDuration(tokBucket.resetMs(now));
    }
    return h;
  }

  function baseHeaders(contentType: string, started: number, rateHeaders: boolean): Headers {
    const h: Headers = {
      "content-type": contentType,
      "x-request-id": `req_${idPrefix}${(++counter).toString(16)}`,
      "openai-processing-ms": Math.round(performance.now() - started),
      "openai-version": "2020-10-01",
    };
    return rateHeaders ? addRateHeaders(h) : h;
  }

  function sendJson(res: http.ServerResponse, status: number, body: string, started: number, rate = true, extra?: Headers) {
    if (res.destroyed || res.headersSent) return;
    const h = baseHeaders("application/json", started, rate);
    h["content-length"] = Buffer.byteLength(body);
    if (extra) Object.assign(h, extra);
    countStatus(status);
    res.writeHead(status, h);
    res.end(body);
  }

  function sendError(res: http.ServerResponse, e: ApiError, started: number, rate = true, extra?: Headers) {
    sendJson(res, e.status, errorJson(e), started, rate, extra);
  }

  function send429(res: http.ServerResponse, message: string, type: string, waitMs: number | undefined, started: number) {
    const extra: Headers | undefined =
      waitMs === undefined
        ? undefined
        : { "retry-after": Math.max(1, Math.ceil(waitMs / 1000)), "retry-after-ms": Math.max(1, Math.ceil(waitMs)) };
    sendError(res, { status: 429, message, type, param: null, code: "rate_limit_exceeded" }, started, true, extra);
  }

  /** Runs `fn` after `ms`, unless the response is closed first (no timer outlives its socket). */
  function later(res: http.ServerResponse, ms: number, fn: () => void) {
    if (ms <= 0) {
      fn();
      return;
    }
    const timer = setTimeout(fn, ms);
    res.once("close", () => clearTimeout(timer));
  }

  function pickFault(req: http.IncomingMessage, p: ParsedChat): FaultKind | null {
    if (opts.headerFaults) {
      const h = req.headers["x-fake-fault"];
      if (typeof h === "string" && h) {
        if ((FAULT_KINDS as readonly string[]).includes(h)) return h as FaultKind;
        if (h === "none") return null;
      }
    }
    if (faultPos < opts.faultSequence.length) return opts.faultSequence[faultPos++] ?? null;
    const o = opts;
    if (o.failRate + o.rate429 + o.hangRate + o.brokenJsonRate + o.wrongSchemaRate + o.disconnectRate === 0) return null;
    // One draw per admitted request keeps seeded fault patterns reproducible.
    let u = faultRng();
    if ((u -= o.failRate) < 0) return "500";
    if ((u -= o.rate429) < 0) return "429";
    if ((u -= o.hangRate) < 0) return "hang";
    if ((u -= o.disconnectRate) < 0) return "disconnect";
    if ((u -= o.brokenJsonRate) < 0) return p.format !== "text" ? "broken-json" : null;
    if ((u -= o.wrongSchemaRate) < 0) return p.format === "json_schema" ? "wrong-schema" : null;
    return null;
  }

  /** Hash of model + messages + format + seed; without a seed a counter is mixed in so answers vary. */
  function answerSeed(p: ParsedChat): number {
    let h = fnv1a(p.model);
    for (const t of p.texts) h = fnv1a(t, mixInt(h, t.length));
    h = fnv1a(p.format, h);
    if (p.seed === undefined) return mixInt(h, (++answerCounter * 0x9e3779b1) | 0);
    return mixInt(mixInt(h, p.seed), Math.floor(p.seed / 4294967296));
  }

  function generate(p: ParsedChat, h: number, fault: FaultKind | null): Answer {
    const keywords = extractKeywords(p.texts[p.lastUser] ?? "");
    const choices: Choice[] = new Array(p.n);
    let completionTokens = 0;
    for (let i = 0; i < p.n; i++) {
      const rng = mulberry32(mixInt(h, i + 1));
      let content = baseContent(p, rng, keywords);
      if (fault === "broken-json" && p.format !== "text") content = breakJson(content);
      else if (fault === "wrong-schema" && p.format === "json_schema") {
        content = JSON.stringify(violateSchema(JSON.parse(content), p.schema, rng));
      } else if (fault === "wrong-schema" && p.format === "json_object") content = JSON.stringify(["not", "an", "object"]);
      const choice = applyStopAndLimit(content, p, p.maxTokens);
      completionTokens += estimateTokens(choice.content);
      choices[i] = choice;
    }
    return { choices, promptTokens: promptTokens(p), completionTokens };
  }

  function completionBody(id: string, created: number, p: ParsedChat, a: Answer): string {
    let choices = "";
    for (let i = 0; i < a.choices.length; i++) {
      const c = a.choices[i]!;
      choices +=
        (i ? "," : "") +
        `{"index":${i},"message":{"role":"assistant","content":${JSON.stringify(c.content)},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"${c.finishReason}"}`;
    }
    return (
      `{"id":"${id}","object":"chat.completion","created":${created},"model":${JSON.stringify(p.model)},"choices":[${choices}],` +
      `"usage":${usageJson(a)},"service_tier":"default","system_fingerprint":"${fingerprint}"}`
    );
  }

  function usageJson(a: Answer): string {
    return (
      `{"prompt_tokens":${a.promptTokens},"completion_tokens":${a.completionTokens},"total_tokens":${a.promptTokens + a.completionTokens},` +
      `"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},` +
      `"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
    );
  }

  /** SSE payload grouped in time slots: [role chunks], [content chunk k]..., [finish (+usage) + DONE]. */
  function streamGroups(id: string, created: number, p: ParsedChat, a: Answer): string[] {
    const head = `data: {"id":"${id}","object":"chat.completion.chunk","created":${created},"model":${JSON.stringify(p.model)},"service_tier":"default","system_fingerprint":"${fingerprint}","choices":[`;
    const tail = p.includeUsage ? `],"usage":null}\n\n` : `]}\n\n`;
    const pieces = a.choices.map((c) =>
      splitContent(c.content, Math.min(opts.maxStreamChunks, Math.max(1, Math.ceil(c.content.length / 4)))),
    );
    const groups: string[] = [];
    let g = "";
    for (let i = 0; i < a.choices.length; i++) {
      g += `${head}{"index":${i},"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}${tail}`;
    }
    groups.push(g);
    const maxPieces = pieces.reduce((m, ps) => Math.max(m, ps.length), 0);
    for (let k = 0; k < maxPieces; k++) {
      g = "";
      for (let i = 0; i < pieces.length; i++) {
        const piece = pieces[i]![k];
        if (piece !== undefined) {
          g += `${head}{"index":${i},"delta":{"content":${JSON.stringify(piece)}},"logprobs":null,"finish_reason":null}${tail}`;
        }
      }
      groups.push(g);
    }
    g = "";
    for (let i = 0; i < a.choices.length; i++) {
      g += `${head}{"index":${i},"delta":{},"logprobs":null,"finish_reason":"${a.choices[i]!.finishReason}"}${tail}`;
    }
    if (p.includeUsage) g += `${head}],"usage":${usageJson(a)}}\n\n`;
    g += "data: [DONE]\n\n";
    groups.push(g);
    return groups;
  }

  function recordUsage(a: Answer) {
    stats.promptTokens += a.promptTokens;
    stats.completionTokens += a.completionTokens;
    stats.totalTokens += a.promptTokens + a.completionTokens;
  }

  function respondChat(
    res: http.ServerResponse,
    p: ParsedChat,
    a: Answer,
    fault: FaultKind | null,
    latency: number,
    started: number,
  ) {
    const id = `chatcmpl-${idPrefix}${(++counter).toString(36)}`;
    const created = Math.floor(Date.now() / 1000);
    if (!p.stream) {
      later(res, latency, () => {
        const body = completionBody(id, created, p, a);
        if (fault === "disconnect") {
          const h = baseHeaders("application/json", started, true);
          h["content-length"] = Buffer.byteLength(body);
          countStatus(200);
          res.writeHead(200, h);
          res.write(body.slice(0, body.length >> 1), () => res.destroy());
          return;
        }
        sendJson(res, 200, body, started);
        recordUsage(a);
      });
      return;
    }
    stats.streamed++;
    const groups = streamGroups(id, created, p, a);
    // Spread the latency over at most one tick per group, each at least ~4 ms apart.
    const ticks = latency > 0 ? Math.max(1, Math.min(groups.length, Math.floor(latency / 4))) : 1;
    const payloads: string[] = new Array(ticks).fill("");
    for (let gi = 0; gi < groups.length; gi++) payloads[Math.floor((gi * ticks) / groups.length)] += groups[gi];
    const lastTick = fault === "disconnect" ? Math.max(1, ticks >> 1) : ticks;
    if (fault === "disconnect" && ticks === 1) {
      // Single payload: cut it in half.
      payloads[0] = payloads[0]!.slice(0, payloads[0]!.length >> 1);
    }
    let t = 0;
    let timer: NodeJS.Timeout | undefined;
    const interval = latency / ticks;
    if (latency > 0) res.once("close", () => clearTimeout(timer));
    const step = () => {
      if (res.destroyed) return;
      if (t === 0) {
        const h = baseHeaders("text/event-stream; charset=utf-8", started, true);
        h["cache-control"] = "no-cache";
        countStatus(200);
        res.writeHead(200, h);
      }
      const chunk = payloads[t++]!;
      if (t >= lastTick) {
        if (fault === "disconnect") {
          res.write(chunk, () => res.destroy());
          return;
        }
        res.end(chunk);
        recordUsage(a);
        return;
      }
      res.write(chunk);
      timer = setTimeout(step, interval);
    };
    if (latency > 0) timer = setTimeout(step, interval);
    else step();
  }

  function handleChat(req: http.IncomingMessage, res: http.ServerResponse, raw: string, started: number) {
    stats.chatCompletions++;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      sendError(
        res,
        invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please visit https://platform.openai.com/docs/libraries or contact us through our help center at help.openai.com.)",
        ),
        started,
      );
      return;
    }
    const parsed = validateChat(body, opts.strictParams);
    if ("status" in parsed) {
      sendError(res, parsed, started);
      return;
    }
    if (!opts.modelSet.has(parsed.model)) {
      sendError(
        res,
        invalid(`The model \`${parsed.model}\` does not exist or you do not have access to it.`, null, "model_not_found", 404),
        started,
      );
      return;
    }

    const seedHash = answerSeed(parsed);
    const normal = generate(parsed, seedHash, null);
    const cost = normal.promptTokens + normal.completionTokens;
    const now = performance.now();
    if (now < closedUntil) {
      stats.rateLimited++;
      const wait = closedUntil - now;
      send429(
        res,
        `Rate limit reached for ${parsed.model} in organization org-fake on requests per min (RPM): Limit ${reqBucket?.limit ?? 10000}, Used ${reqBucket?.limit ?? 10000}, Requested 1. Please try again in ${formatDuration(wait)}. ${RATE_LIMIT_DOCS}`,
        "requests",
        wait,
        started,
      );
      return;
    }
    if (reqBucket || tokBucket) {
      if (tokBucket && cost > tokBucket.limit) {
        stats.rateLimited++;
        send429(
          res,
          `Request too large for ${parsed.model} in organization org-fake on tokens per min (TPM): Limit ${tokBucket.limit}, Requested ${cost}. The input or output tokens must be reduced in order to run successfully. ${RATE_LIMIT_DOCS}`,
          "tokens",
          undefined,
          started,
        );
        return;
      }
      const reqWait = reqBucket ? reqBucket.waitMs(1, now) : 0;
      const tokWait = tokBucket ? tokBucket.waitMs(cost, now) : 0;
      if (reqWait > 0 || tokWait > 0) {
        stats.rateLimited++;
        const wait = Math.max(reqWait, tokWait);
        const message =
          reqWait > 0
            ? `Rate limit reached for ${parsed.model} in organization org-fake on requests per min (RPM): Limit ${reqBucket!.limit}, Used ${reqBucket!.limit - reqBucket!.remaining(now)}, Requested 1. Please try again in ${formatDuration(wait)}. ${RATE_LIMIT_DOCS}`
            : `Rate limit reached for ${parsed.model} in organization org-fake on tokens per min (TPM): Limit ${tokBucket!.limit}, Used ${tokBucket!.limit - tokBucket!.remaining(now)}, Requested ${cost}. Please try again in ${formatDuration(wait)}. ${RATE_LIMIT_DOCS}`;
        send429(res, message, reqWait > 0 ? "requests" : "tokens", wait, started);
        return;
      }
      reqBucket?.take(1, now);
      tokBucket?.take(cost, now);
    }

    const fault = pickFault(req, parsed);
    if (fault) stats.faults[fault]++;
    let latency = opts.latencyMs + (opts.jitterMs > 0 ? Math.random() * opts.jitterMs : 0);
    if (opts.headerFaults) {
      const lh = req.headers["x-fake-latency-ms"];
      if (typeof lh === "string" && lh !== "" && Number(lh) >= 0) latency = Number(lh);
    }

    switch (fault) {
      case "hang":
        return; // Never answered; the response closes with its socket (client abort or close()).
      case "429":
        send429(
          res,
          `Rate limit reached for ${parsed.model} in organization org-fake on requests per min (RPM): Limit ${reqBucket?.limit ?? 10000}, Used ${reqBucket?.limit ?? 10000}, Requested 1. Please try again in ${formatDuration(opts.fault429RetryAfterMs)}. ${RATE_LIMIT_DOCS}`,
          "requests",
          opts.fault429RetryAfterMs,
          started,
        );
        return;
      case "500":
        later(res, latency, () =>
          sendError(
            res,
            {
              status: 500,
              message:
                "The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
              type: "server_error",
              param: null,
              code: null,
            },
            started,
          ),
        );
        return;
      case "503":
        later(res, latency, () =>
          sendError(
            res,
            { status: 503, message: "The engine is currently overloaded, please try again later.", type: "server_error", param: null, code: null },
            started,
          ),
        );
        return;
    }
    const answer = fault === "broken-json" || fault === "wrong-schema" ? generate(parsed, seedHash, fault) : normal;
    respondChat(res, parsed, answer, fault, latency, started);
  }

  function modelJson(id: string): string {
    return JSON.stringify({ id, object: "model", created: MODEL_CREATED, owned_by: id.includes(":") ? "library" : "system" });
  }

  const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 70_000 }, (req, res) => {
    const started = performance.now();
    // Out-of-band counters for benchmarks that run the server in another process; not
    // counted as traffic, and not part of the OpenAI API.
    if (req.url === "/fake/stats" && req.method === "GET") {
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
      return;
    }
    if (req.url?.startsWith("/fake/close-window?") && req.method === "POST") {
      req.resume();
      const ms = Number(new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1)).get("ms"));
      if (!(ms >= 0)) {
        res.writeHead(400, { "content-type": "application/json" }).end(`{"error":"ms must be a number >= 0"}`);
        return;
      }
      closeWindow(ms);
      res.writeHead(204).end();
      return;
    }
    stats.totalRequests++;
    inFlight++;
    if (inFlight > stats.maxInFlight) stats.maxInFlight = inFlight;
    res.once("close", () => {
      if (--inFlight === 0 && onDrained) onDrained();
    });
    req.on("error", () => {});

    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q >= 0 ? url.slice(0, q) : url;
    const method = req.method ?? "GET";

    let route: "chat" | "models" | "model" | "health" | null = null;
    if (method === "POST" && (path === "/v1/chat/completions" || path === "/v1/chat/completions/")) route = "chat";
    else if (method === "GET" && (path === "/v1/models" || path === "/v1/models/")) route = "models";
    else if (method === "GET" && path.startsWith("/v1/models/")) route = "model";
    else if (method === "GET" && (path === "/health" || path === "/healthz")) route = "health";

    if (route === null) {
      req.resume();
      sendError(res, invalid(`Invalid URL (${method} ${path})`, null, null, 404), started, false);
      return;
    }
    if (route === "health") {
      sendJson(res, 200, `{"status":"ok"}`, started, false);
      return;
    }

    const auth = req.headers.authorization;
    const m = typeof auth === "string" ? /^Bearer\s+(\S.*)$/i.exec(auth) : null;
    const key = m ? m[1]!.trim() : "";
    if (!key) {
      req.resume();
      sendError(
        res,
        invalid(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
          null,
          null,
          401,
        ),
        started,
        false,
      );
      return;
    }
    if (opts.apiKeys && !opts.apiKeys.has(key)) {
      req.resume();
      sendError(
        res,
        invalid(
          `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          null,
          "invalid_api_key",
          401,
        ),
        started,
        false,
      );
      return;
    }

    if (route === "models") {
      req.resume();
      sendJson(res, 200, `{"object":"list","data":[${opts.models.map(modelJson).join(",")}]}`, started);
      return;
    }
    if (route === "model") {
      req.resume();
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      if (opts.modelSet.has(id)) sendJson(res, 200, modelJson(id), started);
      else {
        sendError(
          res,
          invalid(`The model '${id}' does not exist`, "model", "model_not_found", 404),
          started,
        );
      }
      return;
    }

    // POST /v1/chat/completions
    let raw = "";
    let size = 0;
    let tooLarge = false;
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        raw = "";
        sendError(res, invalid("Request body too large.", null, null, 413), started);
        return;
      }
      raw += chunk;
    });
    req.on("end", () => {
      if (!tooLarge) handleChat(req, res, raw, started);
    });
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1", backlog: 4096 }, () => {
      server.off("error", reject);
      resolvePromise();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const host = options.host ?? "127.0.0.1";
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | null = null;

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    close() {
      if (!closed) {
        const serverClosed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        // Wait for every response's close handler too: they clear pending latency timers.
        const drained = new Promise<void>((resolveDrain) => {
          if (inFlight === 0) resolveDrain();
          else onDrained = resolveDrain;
        });
        // Destroys keep-alive and in-flight sockets, hanging requests included.
        server.closeAllConnections();
        closed = Promise.all([serverClosed, drained]).then(() => undefined);
      }
      return closed;
    },
    stats() {
      return {
        ...stats,
        byStatus: { ...stats.byStatus },
        faults: { ...stats.faults },
        inFlight,
      };
    },
    closeWindow,
    reset() {
      stats = emptyStats();
      stats.maxInFlight = inFlight;
      closedUntil = 0;
      resetLimits();
      resetFaults();
    },
    configure(partial) {
      const prev = opts;
      opts = resolve(prev, partial);
      if (opts.rpm !== prev.rpm || opts.tpm !== prev.tpm) resetLimits();
      if ("faultSeed" in partial || "faultSequence" in partial) resetFaults();
    },
  };
}
