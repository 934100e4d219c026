// Deterministic simulation for the rate limiter tests: a virtual clock with timers, a
// simulated provider (the token bucket of fake-llm/ratelimit.ts, or a strict sliding
// window) and a pool of workers that push requests through a RateLimiter. Nothing
// waits for real time; minutes of traffic run in well under a second.
import { formatDuration, TokenBucket } from "@/fake-llm/ratelimit";
import { mulberry32 } from "@/lib/blueprints/rng";
import { RateLimiter, type RateLimiterOptions } from "./rate-limiter";

interface TimerEvent {
  t: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Timers on a virtual clock; `run` advances time event by event, draining promise callbacks in between. */
export class VirtualClock {
  t = 0;
  private seq = 0;
  private heap: TimerEvent[] = [];

  readonly now = (): number => this.t;
  readonly setTimer = (fn: () => void, ms: number): unknown => {
    const ev: TimerEvent = { t: this.t + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(ev);
    return ev;
  };
  readonly clearTimer = (h: unknown): void => {
    (h as TimerEvent).cancelled = true;
  };

  /** Resolves after `ms` of virtual time. */
  sleep(ms: number): Promise<void> {
    return new Promise((r) => this.setTimer(r, ms));
  }

  /** Runs events until `until` (or until nothing is scheduled), then sets the clock to `until`. */
  async run(until: number): Promise<void> {
    await flush();
    while (this.heap.length > 0 && this.heap[0].t <= until) {
      const ev = this.pop();
      if (ev.cancelled) continue;
      this.t = ev.t;
      ev.fn();
      await flush();
    }
    if (until !== Infinity) this.t = Math.max(this.t, until);
  }

  pending(): number {
    return this.heap.filter((e) => !e.cancelled).length;
  }

  private less(a: TimerEvent, b: TimerEvent): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
  private push(ev: TimerEvent): void {
    const h = this.heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }
  private pop(): TimerEvent {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l], h[m])) m = l;
        if (r < h.length && this.less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Lets every pending promise callback run (the simulation has no real I/O). */
export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A provider's admission control: decides at arrival, reports x-ratelimit-* when answering. */
export interface SimLimits {
  /** 0 = admitted (and charged); otherwise ms until it would fit. */
  admit(now: number, tokens: number): number;
  headers(now: number): Record<string, string>;
  /** Called when an admitted request has been answered (for limits on requests in flight). */
  done?(now: number): void;
}

/**
 * A hidden limit on requests in flight, like fake-llm's maxInFlight: more are answered
 * 429 with a short retry-after (a slot frees when any answer goes out), and no
 * x-ratelimit-* headers are ever sent.
 */
export class ConcurrencyLimits implements SimLimits {
  inFlight = 0;
  constructor(
    readonly limit: number,
    readonly retryAfterMs = 100,
  ) {}
  admit(): number {
    if (this.inFlight >= this.limit) return this.retryAfterMs;
    this.inFlight++;
    return 0;
  }
  headers(): Record<string, string> {
    return {};
  }
  done(): void {
    this.inFlight--;
  }
}

/** fake-llm's accounting: token buckets of capacity limit, refilled at limit/60 s, charged on admission. */
export class BucketLimits implements SimLimits {
  readonly req: TokenBucket | null;
  readonly tok: TokenBucket | null;
  constructor(rpm: number | null, tpm: number | null, now = 0) {
    this.req = rpm ? new TokenBucket(rpm, now) : null;
    this.tok = tpm ? new TokenBucket(tpm, now) : null;
  }
  admit(now: number, tokens: number): number {
    const wait = Math.max(this.req ? this.req.waitMs(1, now) : 0, this.tok ? this.tok.waitMs(tokens, now) : 0);
    if (wait > 0) return wait;
    this.req?.take(1, now);
    this.tok?.take(tokens, now);
    return 0;
  }
  headers(now: number): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.req) {
      h["x-ratelimit-limit-requests"] = String(this.req.limit);
      h["x-ratelimit-remaining-requests"] = String(this.req.remaining(now));
      h["x-ratelimit-reset-requests"] = formatDuration(this.req.resetMs(now));
    }
    if (this.tok) {
      h["x-ratelimit-limit-tokens"] = String(this.tok.limit);
      h["x-ratelimit-remaining-tokens"] = String(this.tok.remaining(now));
      h["x-ratelimit-reset-tokens"] = formatDuration(this.tok.resetMs(now));
    }
    return h;
  }
}

/**
 * A strict sliding window: at most `limit` requests admitted in any 60 s. No burst
 * comes back gradually: capacity returns only as old requests leave the window.
 */
export class SlidingWindowLimits implements SimLimits {
  private times: number[] = [];
  constructor(readonly limit: number) {}
  private prune(now: number) {
    let i = 0;
    while (i < this.times.length && this.times[i] <= now - 60_000) i++;
    if (i > 0) this.times.splice(0, i);
  }
  admit(now: number): number {
    this.prune(now);
    if (this.times.length < this.limit) {
      this.times.push(now);
      return 0;
    }
    return this.times[this.times.length - this.limit] + 60_000 - now;
  }
  headers(now: number): Record<string, string> {
    this.prune(now);
    const n = this.times.length;
    return {
      "x-ratelimit-limit-requests": String(this.limit),
      "x-ratelimit-remaining-requests": String(this.limit - n),
      // Time until the window is empty again ("resets to its initial state").
      "x-ratelimit-reset-requests": formatDuration(n === 0 ? 0 : this.times[n - 1] + 60_000 - now),
    };
  }
}

export interface SimOptions {
  limits: SimLimits | null;
  concurrency: number;
  durationMs: number;
  seed?: number;
  /** Server time per admitted request. */
  latencyMs: (rand: () => number) => number;
  /** One-way network delay. */
  networkMs?: number;
  /** Tokens the server charges, and what the client estimates before sending. */
  tokens?: (rand: () => number) => { actual: number; estimate: number };
  limiter?: Partial<RateLimiterOptions>;
  /** Answer without x-ratelimit-* headers even though limits apply (providers that hide them). */
  hideHeaders?: boolean;
  /** Share of admitted requests answered with an injected 429 (retry-after 1 s), like fake-llm's rate429. */
  fault429Rate?: number;
  /** Hook per completed response (e.g. to change concurrency mid-run). */
  onResponse?: (sim: { clock: VirtualClock; limiter: RateLimiter; ok: number }) => void;
}

export interface SimResult {
  ok: number;
  rejected: number;
  tokensOk: number;
  maxInFlight: number;
  limiter: RateLimiter;
  clock: VirtualClock;
}

/** Runs `concurrency` workers that send requests back to back (retrying 429s) for `durationMs`. */
export async function simulate(o: SimOptions): Promise<SimResult> {
  const clock = new VirtualClock();
  const rand = mulberry32(o.seed ?? 1);
  const limiter = new RateLimiter({
    maxConcurrency: o.concurrency,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: rand,
    ...o.limiter,
  });
  const net = o.networkMs ?? 0;
  const res: SimResult = { ok: 0, rejected: 0, tokensOk: 0, maxInFlight: 0, limiter, clock };
  let inFlight = 0;
  let stopped = false;

  const send = (actual: number) =>
    new Promise<{ status: number; headers: Record<string, string>; tokensUsed: number }>((resolve) => {
      clock.setTimer(() => {
        const wait = o.limits ? o.limits.admit(clock.t, actual) : 0;
        if (wait > 0) {
          const headers = { ...(o.hideHeaders ? {} : o.limits!.headers(clock.t)), "retry-after-ms": String(Math.ceil(wait)), "retry-after": String(Math.ceil(wait / 1000)) };
          clock.setTimer(() => resolve({ status: 429, headers, tokensUsed: 0 }), net);
          return;
        }
        if (o.fault429Rate && rand() < o.fault429Rate) {
          o.limits?.done?.(clock.t);
          const headers = { ...(o.limits && !o.hideHeaders ? o.limits.headers(clock.t) : {}), "retry-after-ms": "1000", "retry-after": "1" };
          clock.setTimer(() => resolve({ status: 429, headers, tokensUsed: 0 }), net);
          return;
        }
        clock.setTimer(() => {
          o.limits?.done?.(clock.t);
          const headers = o.limits && !o.hideHeaders ? o.limits.headers(clock.t) : {};
          clock.setTimer(() => resolve({ status: 200, headers, tokensUsed: actual }), net);
        }, o.latencyMs(rand));
      }, net);
    });

  const worker = async () => {
    let job: { actual: number; estimate: number } | null = null;
    while (!stopped) {
      job ??= o.tokens ? o.tokens(rand) : { actual: 0, estimate: 0 };
      let permit;
      try {
        permit = await limiter.acquire(job.estimate);
      } catch {
        return;
      }
      inFlight++;
      res.maxInFlight = Math.max(res.maxInFlight, inFlight);
      const r = await send(job.actual);
      inFlight--;
      permit.release({ status: r.status, headers: r.headers, tokensUsed: r.tokensUsed });
      if (clock.t > o.durationMs) continue;
      if (r.status === 429) res.rejected++;
      else {
        res.ok++;
        res.tokensOk += job.actual;
        job = null;
        o.onResponse?.({ clock, limiter, ok: res.ok });
      }
    }
  };
  const workers = Array.from({ length: o.concurrency }, worker);
  await clock.run(o.durationMs);
  stopped = true;
  limiter.rejectAll();
  await clock.run(Infinity);
  await Promise.all(workers);
  return res;
}
