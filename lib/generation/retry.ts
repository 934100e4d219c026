// What to do about a failed model call: retry it, give up on the record, or stop the
// whole run. The run executor calls classifyFailure on every failure; the messages are
// shown to users (run errors, record errors), so they say what to fix, not what threw.
import { redactSecrets } from "./redact";
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai/core/error";
import { headerValue, retryAfterMsFromHeaders, type HeaderSource } from "./headers";

export type FailureKind =
  | "rate_limit"
  | "server"
  | "timeout"
  | "network"
  | "fatal_auth"
  | "fatal_model"
  | "fatal_request"
  | "invalid_output";

export interface Failure {
  kind: FailureKind;
  /** Worth another attempt for the same record. */
  retryable: boolean;
  /** Every other request of the run would fail the same way: stop the run. */
  fatalForRun: boolean;
  /** Shown to the user. */
  message: string;
  /** From the response's retry-after headers, when present. */
  retryAfterMs?: number;
}

export interface FailureInput {
  status?: number;
  /** Whatever was thrown: an openai SDK error, a fetch/undici error, an AbortError... */
  error?: unknown;
  /** Provider error code (`model_not_found`), Node/undici code (`ECONNRESET`), or `invalid_output`. */
  code?: string;
  /** Secrets (the connection's key) to remove from the provider's text before it is kept. */
  secrets?: readonly (string | null | undefined)[];
}

export interface RetryPolicy {
  /** Attempts per request, the first one included. */
  maxAttempts: number;
  /** Per attempt; a hung request is aborted and retried after this. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 5, requestTimeoutMs: 120_000 });

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "ERR_STREAM_PREMATURE_CLOSE",
]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const MAX_DETAIL = 300;

function detail(text: string | undefined): string {
  if (!text) return "";
  const t = text.trim().replace(/\s+/g, " ");
  return t.length > MAX_DETAIL ? `${t.slice(0, MAX_DETAIL - 1)}…` : t;
}

interface Extracted {
  status?: number;
  codes: string[];
  /** The provider's error message (body), else the error's message. */
  message?: string;
  type?: string;
  headers?: HeaderSource;
  timeout: boolean;
  connection: boolean;
  aborted: boolean;
}

/** Walks the error and its `cause` chain, collecting status, codes and the best message. */
function extract(input: FailureInput): Extracted {
  const out: Extracted = { status: input.status, codes: [], timeout: false, connection: false, aborted: false };
  if (input.code) out.codes.push(input.code);
  let e: unknown = input.error;
  for (let depth = 0; e && typeof e === "object" && depth < 6; depth++) {
    const err = e as Record<string, unknown>;
    if (e instanceof APIConnectionTimeoutError) out.timeout = true;
    else if (e instanceof APIUserAbortError) out.aborted = true;
    else if (e instanceof APIConnectionError) out.connection = true;
    if (e instanceof APIError) {
      if (out.status === undefined && typeof e.status === "number") out.status = e.status;
      if (e.headers && !out.headers) out.headers = e.headers;
      const body = e.error as { message?: unknown } | undefined;
      if (out.message === undefined && body && typeof body.message === "string") out.message = body.message;
      if (typeof e.type === "string" && !out.type) out.type = e.type;
    } else if (out.status === undefined && typeof err.status === "number") {
      out.status = err.status;
    }
    if (typeof err.code === "string") out.codes.push(err.code);
    const name = typeof err.name === "string" ? err.name : "";
    if (name === "TimeoutError") out.timeout = true;
    if (name === "AbortError") out.aborted = true;
    if (name === "ConnectTimeoutError" || name === "HeadersTimeoutError" || name === "BodyTimeoutError") out.timeout = true;
    if (out.message === undefined && typeof err.message === "string" && !(e instanceof APIConnectionError)) out.message = err.message;
    e = err.cause;
  }
  if (out.message === undefined && input.error instanceof Error) out.message = input.error.message;
  return out;
}

const hasCode = (x: Extracted, ...codes: string[]) => x.codes.some((c) => codes.includes(c));

/** Sorts a failure into what the executor should do about it. */
export function classifyFailure(input: FailureInput): Failure {
  const x = extract(input);
  const status = x.status;
  // Redacted before anything else sees it: this text is stored on records and runs.
  const msg = detail(x.message === undefined ? undefined : redactSecrets(x.message, input.secrets));
  const suffix = msg ? `: ${msg}` : "";
  const retryAfter = x.headers ? retryAfterMsFromHeaders(x.headers) : NaN;
  const withRetryAfter = (f: Failure): Failure => (retryAfter >= 0 ? { ...f, retryAfterMs: retryAfter } : f);
  // The server can veto retries of what it knows will fail again (the SDK honours this too).
  const serverSaysNo = x.headers ? headerValue(x.headers, "x-should-retry") === "false" : false;

  if (hasCode(x, "invalid_output")) {
    return { kind: "invalid_output", retryable: true, fatalForRun: false, message: `The answer did not match the expected output${suffix}` };
  }

  if (status !== undefined) {
    if (status === 401) {
      return { kind: "fatal_auth", retryable: false, fatalForRun: true, message: `The provider rejected the API key (401). Check the key in the connection settings${suffix}` };
    }
    if (status === 403) {
      return { kind: "fatal_auth", retryable: false, fatalForRun: true, message: `The API key is not allowed to do this (403): check its permissions and the model's availability${suffix}` };
    }
    if (status === 404) {
      const aboutModel = hasCode(x, "model_not_found") || /\bmodel\b/i.test(x.message ?? "");
      if (aboutModel) {
        return { kind: "fatal_model", retryable: false, fatalForRun: true, message: `The provider does not know this model (404). Check the model name${suffix}` };
      }
      return { kind: "fatal_request", retryable: false, fatalForRun: true, message: `The endpoint was not found (404). Check the connection's base URL${suffix}` };
    }
    if (status === 429) {
      if (hasCode(x, "insufficient_quota") || x.type === "insufficient_quota") {
        return { kind: "fatal_auth", retryable: false, fatalForRun: true, message: `The account has run out of credit (429 insufficient_quota). Check billing with the provider${suffix}` };
      }
      if (/request too large/i.test(x.message ?? "")) {
        return { kind: "fatal_request", retryable: false, fatalForRun: false, message: `The request is larger than the tokens-per-minute limit allows; shorten the prompt or lower max_tokens${suffix}` };
      }
      return withRetryAfter({ kind: "rate_limit", retryable: true, fatalForRun: false, message: `Rate limited by the provider (429)${suffix}` });
    }
    if (status === 408) {
      return withRetryAfter({ kind: "timeout", retryable: !serverSaysNo, fatalForRun: false, message: `The provider timed out (408)${suffix}` });
    }
    if (status === 409 || status >= 500) {
      return withRetryAfter({ kind: "server", retryable: !serverSaysNo, fatalForRun: false, message: `Provider error (${status})${suffix}` });
    }
    if (status === 400 || status === 413 || status === 422) {
      if (hasCode(x, "context_length_exceeded")) {
        return { kind: "fatal_request", retryable: false, fatalForRun: false, message: `The prompt is longer than the model's context window${suffix}` };
      }
      return { kind: "fatal_request", retryable: false, fatalForRun: false, message: `The provider rejected the request (${status})${suffix}` };
    }
    if (status >= 400) {
      return { kind: "fatal_request", retryable: false, fatalForRun: false, message: `The provider rejected the request (${status})${suffix}` };
    }
  }

  if (x.timeout || hasCode(x, ...TIMEOUT_CODES)) {
    return { kind: "timeout", retryable: true, fatalForRun: false, message: "The request timed out" };
  }
  if (x.aborted) {
    // Our own per-attempt timeout aborts through a signal; a cancelled run is the caller's to tell apart.
    return { kind: "timeout", retryable: true, fatalForRun: false, message: "The request was aborted before an answer arrived" };
  }
  const networkCode = x.codes.find((c) => NETWORK_CODES.has(c) || c.startsWith("UND_ERR"));
  if (x.connection || networkCode) {
    const why = networkCode === "ECONNREFUSED" ? " (connection refused: is the server running?)" : networkCode === "ENOTFOUND" ? " (host not found: check the base URL)" : networkCode ? ` (${networkCode})` : "";
    return { kind: "network", retryable: true, fatalForRun: false, message: `Could not reach the provider${why}` };
  }
  return { kind: "fatal_request", retryable: false, fatalForRun: false, message: msg ? `Unexpected error: ${msg}` : "Unexpected error" };
}

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** The server's retry-after: never retry earlier than this. */
  retryAfterMs?: number;
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (1 = the first retry). "Full jitter": uniform in
 * [0, min(maxMs, baseMs * 2^(attempt-1))], so many records failing together do not
 * retry in lockstep. A retry-after from the server is a floor, plus up to 10% (at most
 * 1 s) of jitter for the same reason; it is not capped by maxMs, since retrying earlier
 * only earns another 429.
 */
export function backoffMs(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, maxMs = 30_000, retryAfterMs, random = Math.random } = options;
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return retryAfterMs + random() * Math.min(1000, retryAfterMs * 0.1);
  }
  const n = Math.max(1, Math.floor(attempt));
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(n - 1, 30));
  return random() * cap;
}

/** One completed request of a run, in completion order. */
export type Outcome = { ok: true } | { ok: false; failure: Pick<Failure, "kind" | "fatalForRun" | "message" | "retryable"> };

export type StopDecision = { stop: false } | { stop: true; kind: FailureKind; reason: string };

/**
 * "A run whose first requests fail for a reason that will not go away stops early with
 * that reason." Stops when:
 * - any request failed with fatal_auth (a bad or revoked key, no credit): nothing else can succeed;
 * - the first `firstN` completed requests all failed with the same run-fatal kind (unknown model,
 *   wrong base URL);
 * - the first `firstN` all failed, not retryably, with the very same message (e.g. a parameter
 *   this model does not support: every record would get that 400).
 * `outcomes` are the run's completed requests in order (at least the first `firstN`, then the
 * latest); a success among the first `firstN` means the setup works.
 */
export function shouldStopRun(outcomes: readonly Outcome[], options: { firstN?: number } = {}): StopDecision {
  const firstN = options.firstN ?? 3;
  for (const o of outcomes) {
    if (!o.ok && o.failure.kind === "fatal_auth") return { stop: true, kind: "fatal_auth", reason: o.failure.message };
  }
  if (outcomes.length < firstN) return { stop: false };
  const first = outcomes[0];
  if (first.ok) return { stop: false };
  let sameKind = first.failure.fatalForRun;
  let sameMessage = !first.failure.retryable;
  for (let i = 1; i < firstN; i++) {
    const o = outcomes[i];
    if (o.ok) return { stop: false };
    if (!o.failure.fatalForRun || o.failure.kind !== first.failure.kind) sameKind = false;
    if (o.failure.retryable || o.failure.message !== first.failure.message) sameMessage = false;
  }
  if (sameKind || sameMessage) return { stop: true, kind: first.failure.kind, reason: first.failure.message };
  return { stop: false };
}
