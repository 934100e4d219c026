// HTTP plumbing shared by every answer: the headers OpenAI sends (request id, processing
// time, rate-limit state), JSON and error bodies with their status counted, and timers
// that die with their socket.
import type http from "node:http";
import { randomBytes } from "node:crypto";
import { type ApiError, errorJson } from "./errors";
import type { RateLimits } from "./limits";
import type { FakeStats } from "./options";

export type Headers = Record<string, string | number>;

export class Responder {
  /** One counter for request ids and completion ids, as one sequence per server. */
  private counter = 0;
  readonly idPrefix = randomBytes(6).toString("hex");

  constructor(
    /** The current counters (reset() replaces them). */
    private readonly stats: () => FakeStats,
    private readonly limits: RateLimits,
  ) {}

  nextId(): number {
    return ++this.counter;
  }

  countStatus(status: number) {
    const stats = this.stats();
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  }

  baseHeaders(contentType: string, started: number, rateHeaders: boolean): Headers {
    const h: Headers = {
      "content-type": contentType,
      "x-request-id": `req_${this.idPrefix}${this.nextId().toString(16)}`,
      "openai-processing-ms": Math.round(performance.now() - started),
      "openai-version": "2020-10-01",
    };
    if (rateHeaders) this.limits.addHeaders(h);
    return h;
  }

  sendJson(res: http.ServerResponse, status: number, body: string, started: number, rate = true, extra?: Headers) {
    if (res.destroyed || res.headersSent) return;
    const h = this.baseHeaders("application/json", started, rate);
    h["content-length"] = Buffer.byteLength(body);
    if (extra) Object.assign(h, extra);
    this.countStatus(status);
    res.writeHead(status, h);
    res.end(body);
  }

  sendError(res: http.ServerResponse, e: ApiError, started: number, rate = true, extra?: Headers) {
    this.sendJson(res, e.status, errorJson(e), started, rate, extra);
  }

  send429(res: http.ServerResponse, message: string, type: string, waitMs: number | undefined, started: number) {
    const extra: Headers | undefined =
      waitMs === undefined
        ? undefined
        : { "retry-after": Math.max(1, Math.ceil(waitMs / 1000)), "retry-after-ms": Math.max(1, Math.ceil(waitMs)) };
    this.sendError(res, { status: 429, message, type, param: null, code: "rate_limit_exceeded" }, started, true, extra);
  }
}

/** Runs `fn` after `ms`, unless the response is closed first (no timer outlives its socket). */
export function later(res: http.ServerResponse, ms: number, fn: () => void) {
  if (ms <= 0) {
    fn();
    return;
  }
  const timer = setTimeout(fn, ms);
  res.once("close", () => clearTimeout(timer));
}

export function maskKey(key: string): string {
  if (key.length <= 8) return "*".repeat(key.length);
  return `${key.slice(0, 3)}${"*".repeat(Math.min(key.length - 7, 40))}${key.slice(-4)}`;
}
