// Client-side pacing for one provider connection, shared by every request of the
// process that goes to it. The provider's own limits are learned from the
// x-ratelimit-* headers of its responses; until a response says there are limits,
// nothing is throttled beyond concurrency (local servers send no such headers).
//
// Model of the provider: per dimension (requests, tokens) a bucket of `limit` units
// that refills continuously at limit per window (a minute unless the headers show
// otherwise), like OpenAI and fake-llm/ratelimit.ts. We keep a local estimate of its
// level: refilled over time, charged on every dispatch, and re-anchored on every
// response to `remaining` minus what we sent too recently for the server to have
// counted. Because each response overwrites the estimate, errors in the refill rate
// or in token estimates never accumulate, and usage by other processes sharing the
// key shows up as a lower `remaining`.
//
// A 429 pauses the whole limiter (queued requests wait, nobody hammers) for the
// server's retry-after, then lets a trickle of probes out until one is answered, then
// ramps concurrency up (one more per success: slow start) instead of releasing the whole
// queue into a window that has just reopened, and multiplies a slowdown factor onto the
// refill rate that recovers linearly (AIMD). The pause outlives the process through an
// injected store: `pausedUntil` at creation, `honourPause` for pauses another process
// recorded, `onPause` to record ours (lib/runs/server/connection-runtime.ts persists it).
// A provider that sends 429s but no x-ratelimit-* headers gets a synthetic request
// budget instead: paced at the success rate measured before the 429, slowly raised
// until the next 429.
import { headerNumber, headerValue, parseDurationMs, retryAfterMsFromHeaders, type HeaderSource } from "./headers";

export type LimiterMode =
  /** No response yet: at most `initialBurst` requests in flight. */
  | "probing"
  /** Responses carry no rate-limit headers: only concurrency, 429 pauses and the pace learned from 429s apply. */
  | "unlimited"
  /** Rate-limit headers seen: requests are paced by the learned budgets. */
  | "limited";

export interface ReleaseResult {
  headers?: HeaderSource;
  /**
   * HTTP status; leave undefined when no response arrived (network error, timeout,
   * abort). 0 and 499 (client closed request) are read as "no response" too.
   */
  status?: number;
  /** Tokens the provider counted (prompt + completion), when known. */
  tokensUsed?: number;
  /** Overrides the retry-after headers of a 429. */
  retryAfterMs?: number;
  /**
   * Whether a 429 is a rate limit (default true). Pass false for 429s that waiting will
   * not fix (insufficient_quota, "Request too large") so they do not pause everyone.
   */
  rateLimited?: boolean;
}

export interface Permit {
  /** Idempotent; call exactly once per acquired permit, whatever the outcome. */
  release(result?: ReleaseResult): void;
}

export interface LearnedLimit {
  /** Bucket capacity from `x-ratelimit-limit-*`. */
  limit: number;
  /** Our estimate of what is left now (whole units; may be negative while catching up). */
  remaining: number;
  /** Refill rate in units per minute (limit per window). */
  perMinute: number;
}

export interface RateLimiterStats {
  inFlight: number;
  queued: number;
  maxConcurrency: number;
  /** Concurrency in effect now: `initialBurst` until the first response, else maxConcurrency. */
  concurrency: number;
  mode: LimiterMode;
  /** While a 429 pause lasts: when it ends, on the limiter's clock (Date.now by default). */
  pausedUntil: number | null;
  /** After a pause: probing, then growing concurrency back to maxConcurrency. */
  ramping: boolean;
  /** 1 = full speed; lower after 429s, recovering over time. */
  slowdown: number;
  /** Without rate-limit headers, the pace learned from 429s in requests per minute (null = none). */
  pacedPerMinute: number | null;
  requests: LearnedLimit | null;
  tokens: LearnedLimit | null;
  /** Permits granted since creation. */
  granted: number;
  /** Rate-limit 429s seen since creation. */
  rateLimited: number;
  /** Rate-limit 429s in the last minute (what the run page shows). */
  rateLimitedLastMinute: number;
  /**
   * Without rate-limit headers, the AIMD concurrency window (whole requests, 1..maxConcurrency):
   * grows by one per window of successes, shrinks on a 429 or a request that got no answer.
   * Null once headers pace the requests.
   */
  window: number | null;
}

export interface RateLimiterOptions {
  maxConcurrency: number;
  /**
   * Requests allowed in flight before the first response tells us the limits (default 4).
   * Small because a drained bucket (another run just used the key) rejects all of them.
   */
  initialBurst?: number;
  /** Clock in ms (default Date.now). Tests pass a virtual clock with the timer functions. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Jitter of the fallback backoff when a 429 says nothing about when to retry. */
  random?: () => number;
  /**
   * A pause recorded earlier (by a process that was killed, or another worker), on this
   * limiter's clock: honoured as if this limiter had received the 429 itself.
   */
  pausedUntil?: number | null;
  /**
   * Called when a 429 starts or extends the pause, with its end on the limiter's clock, so
   * the caller can record it where other processes look. Not called for honoured pauses.
   */
  onPause?: (until: number) => void;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Multiplicative decrease per 429 episode. */
const SLOWDOWN_DECREASE = 0.8;
const SLOWDOWN_MIN = 0.05;
/** Additive increase: +2% per second after the pause ends (0.8 -> 1 in 10 s). */
const SLOWDOWN_RECOVERY_PER_MS = 0.02 / 1000;
/**
 * A synthetic pace grows faster (+5% of the measured rate per second, without bound):
 * the next 429 is its only signal, and isolated 429s should not starve it.
 */
const PACE_RECOVERY_PER_MS = 0.05 / 1000;
/** Window over which successes are counted to set the pace of a provider without headers. */
const SUCCESS_WINDOW_MS = 10_000;
/** At most one decrease per this interval: a burst of 429s is one overload, not many. */
const SLOWDOWN_MIN_INTERVAL_MS = 2000;
/**
 * AIMD on concurrency for providers that send no rate-limit headers (a hidden limit on
 * requests in flight is common behind gateways): the window shrinks to this share on a
 * 429 or an unanswered request. Gentler than TCP's 1/2 because each episode costs only a
 * short pause here, and the window oscillates between this share and 1 of the limit:
 * 0.85 keeps the mean near 92% of it.
 */
const WINDOW_DECREASE = 0.85;
/** Fallback pause for a 429 without retry-after: 1 s doubling to 30 s across consecutive episodes. */
const FALLBACK_PAUSE_MS = 1000;
const FALLBACK_PAUSE_MAX_MS = 30_000;
/** After a 429 pause, one more request may test the water every this many ms until one is answered. */
const RECOVERY_PROBE_INTERVAL_MS = 2000;
/**
 * Concurrency once a probe after a pause is answered; every further success adds one, so
 * it doubles per round trip (TCP's slow start) until maxConcurrency. Without it the whole
 * queue went out within a few ms of the window reopening (5 requests in 17 ms, issue 11).
 */
const RAMP_START = 2;
/**
 * A recorded pause that ended less than this long ago still starts a new limiter with a
 * probe and a ramp: the window has only just reopened, and it may be nearly empty.
 */
const RECENT_PAUSE_MS = 60_000;
/** Successes averaged in the running used/estimated token ratio. */
const TOKEN_RATIO_SAMPLES = 20;
/** Per success, the token reserve for overshooting answers shrinks by this factor. */
const TOKEN_SLACK_DECAY = 0.998;
/** Below this deficit the integer `remaining` is too coarse to infer the refill window from. */
const MIN_DEFICIT_FOR_WINDOW = 20;

/** One rate-limited dimension (requests or tokens) as seen from the client. */
class Budget {
  known = false;
  /** Made up from 429s because the provider sends no headers; capacity 1 = strict pacing. */
  synthetic = false;
  limit = 0;
  /** Units per ms (before the slowdown factor). */
  rate = 0;
  windowMs = MINUTE;
  level = 0;
  at = 0;

  refill(now: number, factor: number): void {
    const dt = now - this.at;
    if (dt > 0) {
      const l = this.level + dt * this.rate * factor;
      this.level = l < this.limit ? l : this.limit;
    }
    // Also covers a clock that went backwards: never refill for negative time.
    this.at = now;
  }

  /** Ms until `need` units are available (0 = now); call after refill(). */
  waitMs(need: number, factor: number): number {
    const missing = need - this.level;
    if (missing <= 1e-9) return 0;
    return missing / (this.rate * factor);
  }

  /** Re-anchors the estimate on a response's headers; `unaccounted` = what we sent that it may not count yet. */
  learn(limit: number, remaining: number, resetMs: number, unaccounted: number, now: number): void {
    if (this.synthetic) {
      this.synthetic = false;
      this.known = false;
    }
    this.limit = limit;
    const deficit = limit - remaining;
    if (deficit >= MIN_DEFICIT_FOR_WINDOW && resetMs > 0) {
      // A bucket refilling at limit/window needs deficit/limit*window to be full again, so
      // the reset tells the window. Snap it: daily request limits (some providers) must not
      // be mistaken for per-minute ones, while other readings are rounding noise.
      const w = (resetMs * limit) / deficit;
      this.windowMs = w < 30 * MINUTE ? MINUTE : w < 12 * HOUR ? HOUR : DAY;
    }
    this.rate = limit / this.windowMs;
    if (remaining >= 0) {
      this.level = (remaining < limit ? remaining : limit) - unaccounted;
      this.at = now;
    } else if (!this.known) {
      this.level = limit - unaccounted;
      this.at = now;
    }
    this.known = true;
  }

  /** A strict pace of `ratePerMs` (no burst), starting empty. */
  pace(ratePerMs: number, now: number): void {
    this.synthetic = true;
    this.known = true;
    this.limit = 1;
    this.rate = ratePerMs;
    this.level = 0;
    this.at = now;
  }

  snapshot(): LearnedLimit | null {
    if (!this.known || this.synthetic) return null;
    return { limit: this.limit, remaining: Math.floor(this.level), perMinute: (this.limit * MINUTE) / this.windowMs };
  }
}

/**
 * Times and cumulative estimated tokens of recent dispatches, in a ring buffer, to
 * answer "how much did we send after time t" without allocating per request.
 */
class DispatchLog {
  private times = new Float64Array(1024);
  private cum = new Float64Array(1024);
  private mask = 1023;
  private count = 0;
  private total = 0;
  private evictedCum = 0;
  /** Results of since(): requests and tokens dispatched at or after t. */
  requests = 0;
  tokens = 0;

  record(t: number, tokens: number, keepMs: number): void {
    if (this.count > this.mask) {
      const i = this.count & this.mask;
      // Grow rather than forget dispatches still inside the window we may be asked about.
      if (this.times[i] > t - keepMs && this.mask < (1 << 22) - 1) this.grow();
      else this.evictedCum = this.cum[i];
    }
    const i = this.count & this.mask;
    this.total += tokens;
    this.times[i] = t;
    this.cum[i] = this.total;
    this.count++;
  }

  since(t: number): void {
    const lo = this.count > this.mask ? this.count - this.mask - 1 : 0;
    let a = lo;
    let b = this.count;
    // First index whose time is >= t (simultaneous counts as unseen); times are non-decreasing.
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.times[mid & this.mask] >= t) b = mid;
      else a = mid + 1;
    }
    this.requests = this.count - a;
    const before = a === lo ? (lo === 0 ? 0 : this.evictedCum) : this.cum[(a - 1) & this.mask];
    this.tokens = this.total - before;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const times = new Float64Array(size);
    const cum = new Float64Array(size);
    const lo = this.count - this.mask - 1;
    for (let k = lo; k < this.count; k++) {
      times[k & (size - 1)] = this.times[k & this.mask];
      cum[k & (size - 1)] = this.cum[k & this.mask];
    }
    this.times = times;
    this.cum = cum;
    this.mask = size - 1;
  }
}

class Waiter {
  cancelled = false;
  onAbort: (() => void) | null = null;
  constructor(
    readonly tokens: number,
    readonly resolve: (p: Permit) => void,
    readonly reject: (e: unknown) => void,
    readonly signal: AbortSignal | undefined,
  ) {}
}

class LimiterPermit implements Permit {
  released = false;
  /** Sent while recovering from a 429 pause. */
  probe = false;
  /** Grant number (1, 2, …): orders dispatches that share a millisecond. */
  seq = 0;
  constructor(
    private readonly limiter: RateLimiter,
    /** Dispatch time on the limiter's clock. */
    readonly at: number,
    /** The caller's estimate. */
    readonly tokens: number,
    /** What was taken from the token budget (the estimate, scaled up if estimates run low). */
    readonly charged: number,
  ) {}
  release(result?: ReleaseResult): void {
    if (this.released) return;
    this.released = true;
    this.limiter.onRelease(this, result);
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("The operation was aborted.", "AbortError");
}

export class RateLimiter {
  private max: number;
  private readonly initialBurst: number;
  private readonly clock: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly random: () => number;

  private mode: LimiterMode = "probing";
  private inFlight = 0;
  private readonly queue: (Waiter | undefined)[] = [];
  private qHead = 0;
  private queued = 0;
  private pumping = false;
  private timer: unknown = null;
  private timerDue = Infinity;
  private readonly onTimer = () => {
    this.timer = null;
    this.timerDue = Infinity;
    this.pump();
  };

  private pauseUntil = -Infinity;
  private fallbackLevel = 0;
  /** AIMD factor on the refill rates; recovers by SLOWDOWN_RECOVERY_PER_MS from factorAt on. */
  private factor = 1;
  private factorAt = 0;
  private lastDecreaseAt = -Infinity;
  /**
   * Set by a 429 until a response arrives after the pause. Meanwhile only a trickle of
   * probes goes out: when the pause ends, a whole queue released at once would mostly
   * be rejected again if the budget model was wrong (a strict window, another client).
   */
  private recovering = false;
  private probesInFlight = 0;
  /** Concurrency allowed while ramping up after recovery (Infinity = not ramping). */
  private rampCap = Infinity;
  private readonly onPause: ((until: number) => void) | undefined;

  private readonly req = new Budget();
  private readonly tok = new Budget();
  private readonly log = new DispatchLog();
  /** Successful responses, to set the pace of a provider that sends 429s without headers. */
  private readonly successes = new DispatchLog();
  private firstDispatchAt = -1;
  /**
   * Shortest response time seen: an upper bound on the network round trip, i.e. how
   * recently a request must have been sent for a response's `remaining` to miss it.
   */
  private lagMs = Infinity;
  /** Dispatches before this time are reflected in the latest headers. */
  private reconciledBefore = -Infinity;

  /**
   * Average of used / estimated tokens over recent successes. Estimates that run low
   * (a default output length shorter than the real answers) would overspend the token
   * budget between two responses, so they are scaled up by this; high ones are refunded.
   */
  private tokenRatio = 1;
  private ratioSamples = 0;
  /**
   * How far single answers recently overshot their (scaled) estimate: kept in reserve so
   * the one long answer does not find the provider's bucket a few tokens short.
   */
  private tokenSlack = 0;

  private granted = 0;
  private rateLimitedCount = 0;
  private readonly recent429 = new DispatchLog();
  /** AIMD concurrency window while no headers are seen (fractional; its floor applies). Starts at maxConcurrency. */
  private window: number;
  /** Grants up to this one were in flight at the last decrease: their failures are the same episode. */
  private lastWindowDecreaseSeq = 0;

  constructor(options: RateLimiterOptions) {
    this.max = RateLimiter.checkConcurrency(options.maxConcurrency);
    this.initialBurst = Math.max(1, Math.floor(options.initialBurst ?? 4));
    this.clock = options.now ?? Date.now;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.random = options.random ?? Math.random;
    this.onPause = options.onPause;
    // Optimistic: a provider without a hidden limit should see the run's concurrency at once.
    this.window = this.max;
    const recorded = options.pausedUntil;
    const now = this.clock();
    if (recorded != null && recorded > now) this.honourPause(recorded);
    else if (recorded != null && recorded > now - RECENT_PAUSE_MS) {
      // The window has only just reopened: start with a probe (counted from now) and a ramp.
      this.pauseUntil = now;
      this.recovering = true;
      this.rampCap = 1;
    }
  }

  private static checkConcurrency(n: number): number {
    if (!(n >= 1)) throw new RangeError(`maxConcurrency must be at least 1, got ${n}`);
    return n === Infinity ? n : Math.floor(n);
  }

  get maxConcurrency(): number {
    return this.max;
  }

  set maxConcurrency(n: number) {
    const wasFull = this.window >= this.max;
    this.max = RateLimiter.checkConcurrency(n);
    // A window at the old ceiling has met no limit: it follows the run's concurrency up.
    if (wasFull || this.window > this.max) this.window = this.max;
    this.pump();
  }

  /**
   * Waits for a slot: FIFO among waiters, bounded by the concurrency, paced by the
   * learned budgets, held back during a 429 pause. `estimatedTokens` should be what the
   * provider will count (prompt + max output); it is corrected when the permit is
   * released with `tokensUsed`. Rejects with the signal's reason on abort.
   */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const tokens = estimatedTokens > 0 ? estimatedTokens : 0;
    if (this.queued === 0) {
      const now = this.clock();
      if (this.slotWait(now) === 0 && this.waitFor(tokens, now) === 0) {
        return Promise.resolve(this.grant(tokens, now));
      }
    }
    return new Promise<Permit>((resolve, reject) => {
      const w = new Waiter(tokens, resolve, reject, signal);
      if (signal) {
        w.onAbort = () => this.cancel(w);
        signal.addEventListener("abort", w.onAbort, { once: true });
      }
      this.queue.push(w);
      this.queued++;
      this.pump();
    });
  }

  /**
   * Holds everyone back until `until` (this limiter's clock), like a 429 of our own with
   * that retry-after: a pause another process recorded for the same connection. Then
   * probes and ramps up as after any pause. An end in the past, or no later than the pause
   * in force, changes nothing, so reading back the pause this limiter recorded is harmless.
   */
  honourPause(until: number): void {
    if (!(until > this.pauseUntil) || !(until > this.clock())) return;
    this.pauseUntil = until;
    this.recovering = true;
    this.rampCap = 1;
    this.pump();
  }

  /** Rejects every queued waiter (e.g. the run was cancelled); in-flight permits are unaffected. */
  rejectAll(reason: unknown = new DOMException("The rate limiter was cleared.", "AbortError")): void {
    for (let i = this.qHead; i < this.queue.length; i++) {
      const w = this.queue[i];
      if (w && !w.cancelled) {
        w.cancelled = true;
        this.detach(w);
        w.reject(reason);
      }
    }
    this.queue.length = 0;
    this.qHead = 0;
    this.queued = 0;
    this.disarm();
  }

  stats(): RateLimiterStats {
    const now = this.clock();
    const f = this.slowdown(now);
    if (this.req.known) this.req.refill(now, f);
    if (this.tok.known) this.tok.refill(now, f);
    return {
      inFlight: this.inFlight,
      queued: this.queued,
      maxConcurrency: this.max,
      concurrency: this.concurrencyCap(),
      mode: this.mode,
      pausedUntil: this.pauseUntil > now ? this.pauseUntil : null,
      ramping: this.recovering || this.rampCap !== Infinity,
      slowdown: f < 1 ? f : 1,
      pacedPerMinute: this.req.synthetic ? this.req.rate * f * MINUTE : null,
      requests: this.req.snapshot(),
      tokens: this.tok.snapshot(),
      granted: this.granted,
      rateLimited: this.rateLimitedCount,
      rateLimitedLastMinute: this.recentRateLimited(now),
      window: this.mode === "limited" ? null : Math.floor(this.window),
    };
  }

  private recentRateLimited(now: number): number {
    this.recent429.since(now - MINUTE);
    return this.recent429.requests;
  }

  /** @internal Called by Permit.release. */
  onRelease(permit: LimiterPermit, result: ReleaseResult | undefined): void {
    this.inFlight--;
    if (permit.probe) this.probesInFlight--;
    const now = this.clock();
    if (result) {
      const raw = result.status;
      const status = raw !== undefined && raw >= 100 && raw !== 499 ? raw : undefined;
      const learned = result.headers ? this.learn(result.headers, now, permit) : false;
      if (!learned && status !== undefined && this.mode === "probing") this.mode = "unlimited";
      const used = result.tokensUsed;
      // Dispatches the latest headers already counted (this one, if its response had them)
      // are settled; correcting them again would count the difference twice.
      if (used !== undefined && used >= 0 && this.tok.known && !learned && permit.at >= this.reconciledBefore) {
        const l = this.tok.level + permit.charged - used;
        this.tok.level = l < this.tok.limit ? l : this.tok.limit;
      }
      if (used !== undefined && used > 0 && permit.tokens > 0 && status !== undefined && status < 400) {
        const r = used / permit.tokens;
        // A plain mean over the first answers converges fast; then a moving average.
        const weight = this.ratioSamples < TOKEN_RATIO_SAMPLES ? 1 / ++this.ratioSamples : 1 / TOKEN_RATIO_SAMPLES;
        this.tokenRatio += weight * ((r < 10 ? r : 10) - this.tokenRatio);
        const excess = used - permit.charged;
        this.tokenSlack = excess > this.tokenSlack * TOKEN_SLACK_DECAY ? excess : this.tokenSlack * TOKEN_SLACK_DECAY;
      }
      if (status === 429 && result.rateLimited !== false) this.onRateLimited(now, permit.at, permit.seq, result);
      else if (status === undefined) this.shrinkWindow(permit.seq);
      else if (status !== undefined) {
        if (status < 400) {
          this.fallbackLevel = 0;
          this.successes.record(now, 0, SUCCESS_WINDOW_MS);
          // Additive increase: +1 per window's worth of successes, i.e. one per round trip.
          if (this.mode !== "limited" && this.window < this.max) {
            const w = this.window + 1 / this.window;
            this.window = w < this.max ? w : this.max;
          }
          if (this.rampCap !== Infinity && !this.recovering) {
            this.rampCap++;
            // The ramp ends at the concurrency window when one applies: beyond it the window decides.
            const top = this.mode !== "limited" && this.window < this.max ? Math.floor(this.window) : this.max;
            if (this.rampCap >= top) this.rampCap = Infinity;
          }
        }
        // Any answer after the pause (with fresh headers, if the provider sends them) ends
        // recovery; the ramp then grows with each success.
        if (this.recovering && now >= this.pauseUntil) {
          this.recovering = false;
          this.rampCap = RAMP_START < this.max ? RAMP_START : Infinity;
        }
      }
    }
    this.pump();
  }

  private learn(headers: HeaderSource, now: number, permit: LimiterPermit): boolean {
    const limitReq = headerNumber(headers, "x-ratelimit-limit-requests");
    const limitTok = headerNumber(headers, "x-ratelimit-limit-tokens");
    const hasReq = limitReq > 0;
    const hasTok = limitTok > 0;
    if (!hasReq && !hasTok) return false;
    const latency = now - permit.at;
    if (latency >= 0 && latency < this.lagMs) this.lagMs = latency;
    const cutoff = now - this.lagMs;
    this.log.since(cutoff);
    if (permit.at >= cutoff) {
      // The request these headers answer was certainly counted.
      this.log.requests -= 1;
      this.log.tokens -= permit.charged;
    }
    if (hasReq) {
      this.req.learn(
        limitReq,
        headerNumber(headers, "x-ratelimit-remaining-requests"),
        parseDurationMs(headerValue(headers, "x-ratelimit-reset-requests")),
        this.log.requests,
        now,
      );
    } else if (this.req.synthetic) {
      // Real token limits now pace us; a made-up request pace would only get in the way.
      this.req.synthetic = false;
      this.req.known = false;
    }
    if (hasTok) {
      this.tok.learn(
        limitTok,
        headerNumber(headers, "x-ratelimit-remaining-tokens"),
        parseDurationMs(headerValue(headers, "x-ratelimit-reset-tokens")),
        this.log.tokens,
        now,
      );
    }
    if (cutoff > this.reconciledBefore) this.reconciledBefore = cutoff;
    this.mode = "limited";
    return true;
  }

  private onRateLimited(now: number, dispatchedAt: number, seq: number, result: ReleaseResult): void {
    this.rateLimitedCount++;
    this.recent429.record(now, 0, MINUTE);
    let wait = result.retryAfterMs ?? retryAfterMsFromHeaders(result.headers);
    if (!(wait >= 0)) {
      const base = Math.min(FALLBACK_PAUSE_MAX_MS, FALLBACK_PAUSE_MS * 2 ** this.fallbackLevel);
      wait = base * (0.5 + 0.5 * this.random());
      if (this.fallbackLevel < 16) this.fallbackLevel++;
    }
    if (now + wait > this.pauseUntil) {
      this.pauseUntil = now + wait;
      this.onPause?.(this.pauseUntil);
    }
    this.recovering = true;
    this.rampCap = 1;
    this.shrinkWindow(seq);
    // One decrease per episode: 429s for requests sent before the last decrease, or
    // right after it, are echoes of the same overload rather than new evidence.
    if (dispatchedAt < this.lastDecreaseAt || now - this.lastDecreaseAt < SLOWDOWN_MIN_INTERVAL_MS) return;
    const f = this.slowdown(now);
    this.lastDecreaseAt = now;
    if (this.mode !== "limited") {
      // No headers: the concurrency window (shrunk above) is the controller. Pacing on top
      // fought it: a window probing a hidden limit meets a 429 every few round trips, and
      // each one cut the pace by 20% while it recovered 5% a second (7.5% of a 40-wide
      // limit's throughput in the simulation). Only a window already down to one request
      // has nothing left to give, and then the request rate is paced.
      if (this.window > 1 && !this.req.synthetic) return;
      // Pace at the success rate seen just before, slowed down like any 429, and raised
      // without bound until the next 429 says where the limit is.
      const span = Math.min(SUCCESS_WINDOW_MS, Math.max(1000, now - this.firstDispatchAt));
      this.successes.since(now - span);
      const measured = this.successes.requests / span;
      const current = this.req.synthetic ? this.req.rate * f : Infinity;
      const rate = measured < current ? measured : current;
      if (rate > 0) {
        this.req.pace(rate, now);
        this.factor = SLOWDOWN_DECREASE;
        this.factorAt = this.pauseUntil;
      }
      return;
    }
    const next = f * SLOWDOWN_DECREASE;
    this.factor = next > SLOWDOWN_MIN ? next : SLOWDOWN_MIN;
    this.factorAt = this.pauseUntil;
  }

  /**
   * Multiplicative decrease of the concurrency window, once per episode: answers to
   * requests sent before the last decrease are echoes of the overload it already handled.
   */
  private shrinkWindow(seq: number): void {
    if (this.mode === "limited" || seq <= this.lastWindowDecreaseSeq) return;
    this.lastWindowDecreaseSeq = this.granted;
    const w = Math.floor(this.window) * WINDOW_DECREASE;
    this.window = w > 1 ? w : 1;
  }

  /** The AIMD factor now: at most 1 on learned budgets, unbounded on a synthetic pace. */
  private slowdown(now: number): number {
    const capped = !this.req.synthetic;
    if (this.factor >= 1 && capped) return 1;
    const since = now - this.factorAt;
    if (since <= 0) return this.factor;
    const f = this.factor + since * (capped ? SLOWDOWN_RECOVERY_PER_MS : PACE_RECOVERY_PER_MS);
    if (f >= 1 && capped) {
      this.factor = 1;
      return 1;
    }
    return f;
  }

  private concurrencyCap(): number {
    let cap = this.mode === "probing" && this.max > this.initialBurst ? this.initialBurst : this.max;
    if (this.mode !== "limited" && this.window < cap) cap = this.window < 1 ? 1 : Math.floor(this.window);
    // While recovering, the probe trickle below decides; the ramp applies after it.
    return !this.recovering && this.rampCap < cap ? this.rampCap : cap;
  }

  /** 0 if a request may start as far as concurrency goes; else ms until that may change (Infinity = at a release). */
  private slotWait(now: number): number {
    if (this.inFlight >= this.concurrencyCap()) return Infinity;
    if (this.recovering && now >= this.pauseUntil) {
      const since = now - this.pauseUntil;
      const allowed = 1 + Math.floor(since / RECOVERY_PROBE_INTERVAL_MS);
      if (this.probesInFlight >= allowed) return RECOVERY_PROBE_INTERVAL_MS - (since % RECOVERY_PROBE_INTERVAL_MS);
    }
    return 0;
  }

  /** Ms until a request of `tokens` may start, ignoring concurrency (0 = now). */
  private waitFor(tokens: number, now: number): number {
    let wait = this.pauseUntil - now;
    if (wait < 0) wait = 0;
    if (!this.req.known && !this.tok.known) return wait;
    const f = this.slowdown(now);
    if (this.req.known) {
      this.req.refill(now, f);
      const w = this.req.waitMs(1, f);
      if (w > wait) wait = w;
    }
    if (this.tok.known && tokens > 0) {
      this.tok.refill(now, f);
      // A request larger than the whole bucket would wait forever; the provider will say so.
      // The reserve never takes more than a quarter of the bucket, whatever one answer did.
      const slack = this.tokenSlack < this.tok.limit / 4 ? this.tokenSlack : this.tok.limit / 4;
      const need = this.scaled(tokens) + slack;
      const w = this.tok.waitMs(need < this.tok.limit ? need : this.tok.limit, f);
      if (w > wait) wait = w;
    }
    return wait;
  }

  private scaled(tokens: number): number {
    return this.tokenRatio > 1 ? tokens * this.tokenRatio : tokens;
  }

  private grant(tokens: number, now: number): LimiterPermit {
    this.inFlight++;
    this.granted++;
    if (this.firstDispatchAt < 0) this.firstDispatchAt = now;
    const charged = this.scaled(tokens);
    if (this.req.known) this.req.level -= 1;
    if (this.tok.known) this.tok.level -= charged;
    this.log.record(now, charged, this.lagMs === Infinity ? MINUTE : this.lagMs);
    const permit = new LimiterPermit(this, now, tokens, charged);
    permit.seq = this.granted;
    if (this.recovering) {
      permit.probe = true;
      this.probesInFlight++;
    }
    return permit;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queued > 0) {
        let w = this.queue[this.qHead];
        while (w === undefined || w.cancelled) {
          this.queue[this.qHead++] = undefined;
          w = this.queue[this.qHead];
        }
        const now = this.clock();
        const slot = this.slotWait(now);
        if (slot > 0) {
          if (slot !== Infinity) this.arm(slot, now);
          break;
        }
        const wait = this.waitFor(w.tokens, now);
        if (wait > 0) {
          this.arm(wait, now);
          break;
        }
        this.queue[this.qHead++] = undefined;
        this.queued--;
        this.detach(w);
        w.resolve(this.grant(w.tokens, now));
      }
      if (this.queued === 0) this.disarm();
      this.compact();
    } finally {
      this.pumping = false;
    }
  }

  private cancel(w: Waiter): void {
    if (w.cancelled) return;
    w.cancelled = true;
    this.queued--;
    this.detach(w);
    w.reject(abortReason(w.signal!));
    // The head may have been what blocked the others.
    this.pump();
  }

  private detach(w: Waiter): void {
    if (w.signal && w.onAbort) w.signal.removeEventListener("abort", w.onAbort);
    w.onAbort = null;
  }

  private compact(): void {
    if (this.queued === 0) {
      this.queue.length = 0;
      this.qHead = 0;
    } else if (this.qHead > 1024 && this.qHead * 2 > this.queue.length) {
      this.queue.splice(0, this.qHead);
      this.qHead = 0;
    }
  }

  private arm(waitMs: number, now: number): void {
    const due = now + waitMs;
    if (this.timer !== null && this.timerDue <= due) return;
    this.disarm();
    this.timerDue = due;
    // Whole milliseconds, rounded up, so the budget is there when the timer fires.
    this.timer = this.setTimer(this.onTimer, Math.max(1, Math.ceil(waitMs)));
  }

  private disarm(): void {
    if (this.timer !== null) {
      this.clearTimer(this.timer);
      this.timer = null;
      this.timerDue = Infinity;
    }
  }
}
