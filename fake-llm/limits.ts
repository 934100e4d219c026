// Rate-limit accounting: the rpm and tpm token buckets, a window closed on purpose
// (closeWindow), the 429 each one answers, and the x-ratelimit-* headers they report.
import { TokenBucket, formatDuration } from "./ratelimit";

const RATE_LIMIT_DOCS = "Visit https://platform.openai.com/account/rate-limits to learn more.";

/** Why a request gets a 429; `waitMs` becomes retry-after(-ms), none when waiting cannot help. */
export interface Refusal {
  message: string;
  type: "requests" | "tokens";
  waitMs: number | undefined;
}

export class RateLimits {
  private reqBucket: TokenBucket | null = null;
  private tokBucket: TokenBucket | null = null;
  /** performance.now() until which the window is closed (closeWindow). */
  private closedUntil = 0;

  /** Full buckets for these limits (undefined = unlimited). */
  reset(rpm: number | undefined, tpm: number | undefined) {
    const now = performance.now();
    this.reqBucket = rpm ? new TokenBucket(rpm, now) : null;
    this.tokBucket = tpm ? new TokenBucket(tpm, now) : null;
  }

  reopenWindow() {
    this.closedUntil = 0;
  }

  closeWindow(ms: number) {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new TypeError("fake-llm: closeWindow expects a number of ms >= 0");
    this.closedUntil = Math.max(this.closedUntil, performance.now() + ms);
  }

  /** Admits a request costing `cost` tokens and charges it, or says why not. */
  admit(model: string, cost: number, now: number): Refusal | null {
    const reqBucket = this.reqBucket;
    const tokBucket = this.tokBucket;
    if (now < this.closedUntil) {
      const wait = this.closedUntil - now;
      return {
        message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit ${reqBucket?.limit ?? 10000}, Used ${reqBucket?.limit ?? 10000}, Requested 1. Please try again in ${formatDuration(wait)}. ${RATE_LIMIT_DOCS}`,
        type: "requests",
        waitMs: wait,
      };
    }
    if (!reqBucket && !tokBucket) return null;
    if (tokBucket && cost > tokBucket.limit) {
      return {
        message: `Request too large for ${model} in organization org-fake on tokens per min (TPM): Limit ${tokBucket.limit}, Requested ${cost}. The input or output tokens must be reduced in order to run successfully. ${RATE_LIMIT_DOCS}`,
        type: "tokens",
        waitMs: undefined,
      };
    }
    const reqWait = reqBucket ? reqBucket.waitMs(1, now) : 0;
    const tokWait = tokBucket ? tokBucket.waitMs(cost, now) : 0;
    if (reqWait > 0 || tokWait > 0) {
      const wait = Math.max(reqWait, tokWait);
      const message =
        reqWait > 0
          ? `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit ${reqBucket!.limit}, Used ${reqBucket!.limit - reqBucket!.remaining(now)}, Requested 1. Please try again in ${formatDuration(wait)}. ${RATE_LIMIT_DOCS}`
          : `Rate limit reached for ${model} in organization org-fake on tokens per min (TPM): Limit ${tokBucket!.limit}, Used ${tokBucket!.limit - tokBucket!.remaining(now)}, Requested ${cost}. Please try again in ${formatDuration(wait)}. ${RATE_LIMIT_DOCS}`;
      return { message, type: reqWait > 0 ? "requests" : "tokens", waitMs: wait };
    }
    reqBucket?.take(1, now);
    tokBucket?.take(cost, now);
    return null;
  }

  /** The injected "429" fault: looks like a spent request quota, with the configured wait. */
  injected(model: string, retryAfterMs: number): Refusal {
    const limit = this.reqBucket?.limit ?? 10000;
    return {
      message: `Rate limit reached for ${model} in organization org-fake on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${formatDuration(retryAfterMs)}. ${RATE_LIMIT_DOCS}`,
      type: "requests",
      waitMs: retryAfterMs,
    };
  }

  /** Adds the x-ratelimit-* headers of the limited dimensions, read from the buckets now. */
  addHeaders(h: Record<string, string | number>) {
    const { reqBucket, tokBucket } = this;
    if (!reqBucket && !tokBucket) return;
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
  }
}
