// Turns what an OpenAI-compatible server (or the network) answered into one plain
// sentence saying what works or exactly what is wrong. Pure, so it is unit-tested.
import { redactSecrets } from "@/lib/generation/redact";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";

export type TestProblem = "bad_key" | "unreachable" | "timeout" | "model_missing" | "rate_limited" | "http_error" | "not_openai" | "stored_key";

export type TestResult = {
  ok: boolean;
  /** success = green, warning = works with a caveat, error = red. */
  tone: "success" | "warning" | "error";
  problem?: TestProblem;
  message: string;
  modelCount?: number;
  latencyMs?: number;
  /** Close model names when the model is missing. */
  suggestions?: string[];
};

/** Network-level error codes anywhere in an error's cause chain (undici nests them). */
export function networkCode(e: unknown, depth = 0): string | undefined {
  if (!e || typeof e !== "object" || depth > 6) return undefined;
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof err.code === "string" && /^[A-Z][A-Z0-9_]+$/.test(err.code)) return err.code;
  const fromCause = networkCode(err.cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(err.errors)) for (const inner of err.errors) {
    const c = networkCode(inner, depth + 1);
    if (c) return c;
  }
  return undefined;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "the connection was refused. Is the server running, and on this port?",
  ENOTFOUND: "the host name was not found (DNS). Check the spelling of the URL.",
  EAI_AGAIN: "the host name could not be resolved right now (DNS). Check your network.",
  ECONNRESET: "the server closed the connection. Check http:// versus https://.",
  EHOSTUNREACH: "the host is unreachable from this machine.",
  ENETUNREACH: "the network is unreachable from this machine.",
  ETIMEDOUT: "the connection timed out.",
  UND_ERR_CONNECT_TIMEOUT: "the connection timed out.",
  UND_ERR_SOCKET: "the connection broke. Check http:// versus https://.",
  EPROTO: "the TLS handshake failed. Check http:// versus https://.",
  ERR_SSL_WRONG_VERSION_NUMBER: "the TLS handshake failed: the server probably speaks plain http://.",
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired.",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed and not trusted.",
  SELF_SIGNED_CERT_IN_CHAIN: "the server's TLS certificate chain is not trusted.",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate could not be verified.",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host name.",
};

/** Removes the key (and its obvious variants) from text that came from a server. */
export function redact(text: string, apiKey: string | null | undefined): string {
  const out = redactSecrets(text, [apiKey]);
  return out.length > 400 ? `${out.slice(0, 400)}…` : out;
}

/** The server's own error message, without the SDK's "404 " status prefix. */
export function serverMessage(e: APIError, apiKey: string | null): string {
  const body = e.error as { message?: unknown } | undefined;
  const raw = typeof body?.message === "string" ? body.message : e.message.replace(/^\d{3}\s+/, "");
  return redact(raw.trim() || "(no message)", apiKey);
}

export function isModelMissingError(e: APIError): boolean {
  if (e.code === "model_not_found") return true;
  const msg = `${(e.error as { message?: unknown } | undefined)?.message ?? e.message}`.toLowerCase();
  if (e.status !== 404 && e.status !== 400) return false;
  return /model/.test(msg) && /(not found|does not exist|not exist|not a valid model|no such model|unknown model|not available|invalid model|try pulling)/.test(msg);
}

/** Up to `limit` model names close to `wanted`: same family, substring or small edit distance. */
export function closeModelNames(wanted: string, available: string[], limit = 3): string[] {
  const w = wanted.toLowerCase();
  const tail = (s: string) => s.toLowerCase().split(/[/]/).pop()!;
  const scored = available.map((name) => {
    const n = name.toLowerCase();
    let score = editDistance(w, n);
    score = Math.min(score, editDistance(tail(w), tail(n)) + 1);
    if (n.includes(w) || w.includes(n)) score = Math.min(score, Math.abs(n.length - w.length) / 4);
    return { name, score };
  });
  const threshold = Math.max(3, Math.ceil(w.length / 3));
  return scored
    .filter((s) => s.score <= threshold)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** Edit distance counting a swap of two neighbours as one edit (typos like "mnii"). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

const quote = (s: string) => `"${s}"`;

export function modelMissing(model: string, models: string[] | null, serverText?: string): TestResult {
  const suggestions = models ? closeModelNames(model, models) : [];
  let message = `The server does not have the model ${quote(model)}.`;
  if (suggestions.length) message += ` Did you mean ${suggestions.map(quote).join(" or ")}?`;
  else if (models && models.length > 0 && models.length <= 6) message += ` It serves: ${models.map(quote).join(", ")}.`;
  else if (models && models.length === 0) message += " It lists no models at all: load or pull one first.";
  else if (serverText) message += ` It said: ${serverText}`;
  return { ok: false, tone: "error", problem: "model_missing", message, suggestions };
}

/**
 * Explains a failed request. `what` names the request ("GET /models", "the test completion")
 * and `url` is the base URL shown to the user.
 */
export function explainFailure(
  e: unknown,
  ctx: { url: string; model: string; models: string[] | null; apiKey: string | null; timeoutMs: number; what: string },
): TestResult {
  const seconds = Math.round(ctx.timeoutMs / 100) / 10;
  if (e instanceof APIConnectionTimeoutError) {
    return {
      ok: false,
      tone: "error",
      problem: "timeout",
      message: `${ctx.url} did not answer ${ctx.what} within ${seconds} s. The server may be overloaded or still loading the model; try again.`,
    };
  }
  if (e instanceof APIConnectionError) {
    const code = networkCode(e);
    const reason = (code && NETWORK_REASONS[code]) ?? `the request failed${code ? ` (${code})` : ""}: ${redact((e.cause as Error | undefined)?.message ?? e.message, ctx.apiKey)}`;
    return { ok: false, tone: "error", problem: code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT" ? "timeout" : "unreachable", message: `Cannot reach ${ctx.url}: ${reason}` };
  }
  if (e instanceof APIError && typeof e.status === "number") {
    const text = serverMessage(e, ctx.apiKey);
    if (e.status === 401) {
      return {
        ok: false,
        tone: "error",
        problem: "bad_key",
        message: ctx.apiKey
          ? `The API key was rejected (401): ${text}`
          : `The server requires an API key (401). Add one to this connection. It said: ${text}`,
      };
    }
    if (e.status === 403) {
      return { ok: false, tone: "error", problem: "bad_key", message: `The API key is not allowed to do this (403): ${text}` };
    }
    if (isModelMissingError(e)) return modelMissing(ctx.model, ctx.models, text);
    if (e.status === 404) {
      return {
        ok: false,
        tone: "error",
        problem: "not_openai",
        message: `${ctx.url} answered 404 to ${ctx.what}: it does not look like an OpenAI-compatible API. Check the base URL (it usually ends in /v1). It said: ${text}`,
      };
    }
    if (e.status === 429) {
      return { ok: false, tone: "error", problem: "rate_limited", message: `The server refused with 429 (rate limit or quota): ${text}` };
    }
    return { ok: false, tone: "error", problem: "http_error", message: `The server answered ${ctx.what} with HTTP ${e.status}: ${text}` };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return { ok: false, tone: "error", problem: "http_error", message: `${ctx.what} failed: ${redact(msg, ctx.apiKey)}` };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
