import { afterAll, describe, expect, it } from "vitest";
import OpenAI, { APIError } from "openai";
import { startFakeLlm, type FakeLlm } from "@/fake-llm/server";
import { RateLimiter, type Permit, type RateLimiterOptions } from "./rate-limiter";
import { BucketLimits, ConcurrencyLimits, SlidingWindowLimits, VirtualClock, flush, simulate, type SimResult } from "./rate-limiter-sim.test-helpers";

function make(opts: Partial<RateLimiterOptions> = {}) {
  const clock = new VirtualClock();
  const limiter = new RateLimiter({
    maxConcurrency: 4,
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: () => 1,
    ...opts,
  });
  return { clock, limiter };
}

/** Acquires and records when (virtual time) each permit was granted. */
function track(limiter: RateLimiter, clock: VirtualClock, n: number, tokens = 0) {
  const granted: { at: number; permit: Permit }[] = [];
  const order: number[] = [];
  const promises = Array.from({ length: n }, (_, i) =>
    limiter.acquire(tokens).then((permit) => {
      granted.push({ at: clock.t, permit });
      order.push(i);
      return permit;
    }),
  );
  return { granted, order, promises };
}

const share429 = (r: SimResult) => r.rejected / (r.ok + r.rejected);
const RATE_HEADERS = {
  "x-ratelimit-limit-requests": "600",
  "x-ratelimit-remaining-requests": "599",
  "x-ratelimit-reset-requests": "100ms",
};

describe("RateLimiter: concurrency and fairness", () => {
  it("never has more than maxConcurrency permits out, and grants in FIFO order", async () => {
    const { clock, limiter } = make({ maxConcurrency: 3, initialBurst: 3 });
    const t = track(limiter, clock, 10);
    await flush();
    expect(t.granted).toHaveLength(3);
    expect(limiter.stats()).toMatchObject({ inFlight: 3, queued: 7 });
    t.granted[0].permit.release({ status: 200 });
    await flush();
    expect(t.granted).toHaveLength(4);
    for (let i = 1; i < 4; i++) t.granted[i].permit.release({ status: 200 });
    await flush();
    expect(t.granted).toHaveLength(7);
    expect(t.order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(limiter.stats().inFlight).toBe(3);
  });

  it("sends only initialBurst requests before the first response", async () => {
    const { clock, limiter } = make({ maxConcurrency: 64, initialBurst: 4 });
    const t = track(limiter, clock, 20);
    await flush();
    expect(t.granted).toHaveLength(4);
    expect(limiter.stats().mode).toBe("probing");
    // A response without rate-limit headers: a local server, full concurrency from now on.
    t.granted[0].permit.release({ status: 200, headers: { "content-type": "application/json" } });
    await flush();
    expect(limiter.stats().mode).toBe("unlimited");
    expect(t.granted).toHaveLength(20);
  });

  it("a release without a response (network error) keeps probing", async () => {
    const { clock, limiter } = make({ maxConcurrency: 8, initialBurst: 2 });
    const t = track(limiter, clock, 5);
    await flush();
    t.granted[0].permit.release();
    t.granted[1].permit.release({ status: 0 });
    await flush();
    expect(limiter.stats().mode).toBe("probing");
    expect(t.granted).toHaveLength(4);
    t.granted[2].permit.release({ status: 499 });
    await flush();
    expect(limiter.stats().mode).toBe("probing");
  });

  it("release is idempotent", async () => {
    const { clock, limiter } = make({ maxConcurrency: 1, initialBurst: 1 });
    const t = track(limiter, clock, 3);
    await flush();
    t.granted[0].permit.release({ status: 200 });
    t.granted[0].permit.release({ status: 200 });
    await flush();
    expect(t.granted).toHaveLength(2);
    expect(limiter.stats().inFlight).toBe(1);
  });

  it("maxConcurrency can change at runtime", async () => {
    const { clock, limiter } = make({ maxConcurrency: 1, initialBurst: 100 });
    const t = track(limiter, clock, 6);
    await flush();
    expect(t.granted).toHaveLength(1);
    limiter.maxConcurrency = 4;
    await flush();
    expect(t.granted).toHaveLength(4);
    limiter.maxConcurrency = 2;
    for (const g of t.granted.slice(0, 3)) g.permit.release({ status: 200 });
    await flush();
    // 1 still out; the cap of 2 lets one more in.
    expect(limiter.stats().inFlight).toBe(2);
    expect(() => (limiter.maxConcurrency = 0)).toThrow(RangeError);
  });

  it("an aborted waiter leaves the queue and the next one gets its turn", async () => {
    const { clock, limiter } = make({ maxConcurrency: 1, initialBurst: 1 });
    const first = await limiter.acquire(0);
    const ac = new AbortController();
    const aborted = limiter.acquire(0, ac.signal);
    const t = track(limiter, clock, 1);
    await flush();
    expect(limiter.stats().queued).toBe(2);
    ac.abort(new Error("run cancelled"));
    await expect(aborted).rejects.toThrow("run cancelled");
    expect(limiter.stats().queued).toBe(1);
    first.release({ status: 200 });
    await flush();
    expect(t.granted).toHaveLength(1);
    expect(limiter.stats()).toMatchObject({ inFlight: 1, queued: 0 });
  });

  it("rejects at once when the signal is already aborted", async () => {
    const { limiter } = make();
    const ac = new AbortController();
    ac.abort();
    await expect(limiter.acquire(0, ac.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(limiter.stats().inFlight).toBe(0);
  });

  it("rejectAll empties the queue but leaves in-flight permits alone", async () => {
    const { limiter } = make({ maxConcurrency: 1, initialBurst: 1 });
    const first = await limiter.acquire(0);
    const waiting = [limiter.acquire(0), limiter.acquire(0)];
    limiter.rejectAll(new Error("stop"));
    for (const w of waiting) await expect(w).rejects.toThrow("stop");
    expect(limiter.stats()).toMatchObject({ inFlight: 1, queued: 0 });
    first.release({ status: 200 });
    expect(limiter.stats().inFlight).toBe(0);
  });
});

describe("RateLimiter: without rate-limit headers", () => {
  it("does not throttle beyond concurrency (local servers)", async () => {
    const r = await simulate({ limits: null, concurrency: 64, durationMs: 10_000, latencyMs: () => 100 });
    // 64 in flight for 10 s at 100 ms each, minus the first 100 ms of probing.
    expect(r.maxInFlight).toBe(64);
    expect(r.ok).toBeGreaterThanOrEqual(64 * 99 - 1);
    expect(r.limiter.stats()).toMatchObject({ mode: "unlimited", requests: null, tokens: null, pacedPerMinute: null });
  });

  it("ignores estimated tokens when the provider states no token limit", async () => {
    const { limiter } = make({ maxConcurrency: 2, initialBurst: 2 });
    const a = await limiter.acquire(1e12);
    a.release({ status: 200, headers: RATE_HEADERS, tokensUsed: 5 });
    const b = await limiter.acquire(1e12);
    expect(limiter.stats().tokens).toBeNull();
    b.release({ status: 200 });
  });

  it("narrows concurrency (AIMD) when a provider sends 429s without headers", async () => {
    const limits = new BucketLimits(600, null);
    const r = await simulate({ limits, concurrency: 64, durationMs: 5 * 60_000, latencyMs: (rand) => 300 + 1200 * rand(), networkMs: 20, hideHeaders: true });
    expect(r.ok).toBeGreaterThanOrEqual(0.95 * 3000);
    // Unpaced, about two requests in three would be rejected.
    expect(share429(r)).toBeLessThan(0.1);
    // 600 a minute at about 0.95 s a request is about 10 in flight.
    expect(r.limiter.stats().window).toBeLessThan(20);
  });
});

describe("RateLimiter: AIMD concurrency without headers", () => {
  const latencyMs = (rand: () => number) => 500 + 1000 * rand();

  it("finds a hidden limit of 40 in flight: ≥ 85% of its throughput, < 3% 429s", async () => {
    const limits = new ConcurrencyLimits(40);
    const r = await simulate({ limits, concurrency: 64, durationMs: 60_000, latencyMs, networkMs: 20 });
    // What 40 requests in flight back to back achieve with these latencies (mean 1 s + 40 ms).
    const ideal = await simulate({ limits: null, concurrency: 40, durationMs: 60_000, latencyMs, networkMs: 20 });
    expect(r.ok / ideal.ok).toBeGreaterThanOrEqual(0.85);
    expect(share429(r)).toBeLessThan(0.03);
    expect(r.limiter.stats().rateLimitedLastMinute).toBeLessThanOrEqual(r.limiter.stats().rateLimited);
    expect(r.limiter.stats().window).toBeGreaterThanOrEqual(20);
    expect(r.limiter.stats().window).toBeLessThanOrEqual(40);
  });

  it("grows back to the run's concurrency when the limit goes away, never above it", async () => {
    const limits = new ConcurrencyLimits(10);
    let lifted = false;
    const r = await simulate({
      limits,
      concurrency: 32,
      durationMs: 120_000,
      latencyMs: () => 1000,
      onResponse: ({ clock }) => {
        if (!lifted && clock.t > 30_000) {
          lifted = true;
          (limits as { limit: number }).limit = Infinity;
        }
      },
    });
    expect(r.maxInFlight).toBe(32);
    expect(r.limiter.stats().window).toBe(32);
  });

  it("shrinks towards a floor of 1 on requests that get no answer (timeouts), one decrease per episode", async () => {
    const { limiter } = make({ maxConcurrency: 16, initialBurst: 16 });
    const first = await Promise.all(Array.from({ length: 16 }, () => limiter.acquire(0)));
    for (const p of first) p.release({ status: 200 });
    expect(limiter.stats().window).toBe(16);
    // A burst of timeouts from one wave is one episode.
    const wave = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire(0)));
    for (const p of wave) p.release({});
    expect(limiter.stats().window).toBe(13);
    for (let i = 0; i < 40; i++) (await limiter.acquire(0)).release({});
    expect(limiter.stats().window).toBe(1);
    expect(limiter.stats().concurrency).toBe(1);
  });

  it("leaves concurrency to the learned budgets once headers arrive", async () => {
    const { limiter } = make({ maxConcurrency: 8, initialBurst: 8 });
    (await limiter.acquire(0)).release({});
    (await limiter.acquire(0)).release({ status: 200, headers: RATE_HEADERS });
    expect(limiter.stats()).toMatchObject({ window: null, concurrency: 8 });
  });
});

describe("RateLimiter: 429 pauses", () => {
  it("a 429 pauses everyone for retry-after-ms, then probes one request at a time", async () => {
    const { clock, limiter } = make({ maxConcurrency: 4, initialBurst: 4 });
    const t = track(limiter, clock, 10);
    await flush();
    expect(t.granted).toHaveLength(4);
    t.granted[0].permit.release({ status: 429, headers: { "retry-after-ms": "5000", "retry-after": "5" } });
    await flush();
    expect(limiter.stats().pausedUntil).toBe(5000);
    // Slots are free, but nobody may go during the pause.
    t.granted[1].permit.release({ status: 200 });
    t.granted[2].permit.release({ status: 200 });
    await clock.run(4999);
    expect(t.granted).toHaveLength(4);
    await clock.run(5000);
    expect(t.granted).toHaveLength(5);
    expect(t.granted[4].at).toBe(5000);
    // Until one is answered, another probe only every 2 s.
    await clock.run(6999);
    expect(t.granted).toHaveLength(5);
    await clock.run(7000);
    expect(t.granted).toHaveLength(6);
    t.granted[4].permit.release({ status: 200 });
    await flush();
    // Answered: the ramp starts at 2 in flight (the other probe and #3 are still out).
    expect(limiter.stats().inFlight).toBe(2);
    expect(limiter.stats().pausedUntil).toBeNull();
  });

  it("when the window reopens, ramps up from one probe (one more per success) instead of releasing the queue", async () => {
    const { clock, limiter } = make({ maxConcurrency: 16, initialBurst: 16 });
    const t = track(limiter, clock, 60);
    await flush();
    expect(t.granted).toHaveLength(16);
    for (const g of t.granted.slice()) g.permit.release({ status: 429, headers: { "retry-after-ms": "5000" } });
    await clock.run(5000);
    expect(t.granted).toHaveLength(17);
    expect(limiter.stats().ramping).toBe(true);
    // Each answer lets one replacement and one more out: 2, 3, 4, ... in flight, up to the
    // concurrency window, which the 429 episode shrank from 16 to 13 (no headers here).
    expect(limiter.stats().window).toBe(13);
    let answered = 16;
    for (let expected = 2; expected <= 13; expected++) {
      t.granted[answered++].permit.release({ status: 200 });
      await flush();
      expect(limiter.stats().inFlight).toBe(expected);
      expect(t.granted).toHaveLength(answered + expected);
    }
    // A window's worth of successes later, additive increase has added one.
    t.granted[answered++].permit.release({ status: 200 });
    await flush();
    expect(limiter.stats().inFlight).toBe(14);
    expect(limiter.stats().ramping).toBe(false);
  });

  it("a 429 during the ramp starts over from a probe", async () => {
    const { clock, limiter } = make({ maxConcurrency: 8, initialBurst: 8 });
    const t = track(limiter, clock, 30);
    await flush();
    for (const g of t.granted.slice()) g.permit.release({ status: 429, headers: { "retry-after-ms": "1000" } });
    await clock.run(1000);
    t.granted[8].permit.release({ status: 200 });
    await flush();
    expect(limiter.stats().inFlight).toBe(2);
    t.granted[9].permit.release({ status: 429, headers: { "retry-after-ms": "1000" } });
    await clock.run(1999);
    expect(limiter.stats().inFlight).toBe(1);
    await clock.run(2000);
    expect(limiter.stats().inFlight).toBe(2);
  });
});

describe("RateLimiter: a pause recorded by another process", () => {
  it("a new limiter honours a pause loaded from the store, then probes", async () => {
    const { clock, limiter } = make({ maxConcurrency: 8, initialBurst: 8, pausedUntil: 5000 });
    expect(limiter.stats().pausedUntil).toBe(5000);
    const t = track(limiter, clock, 8);
    await clock.run(4999);
    expect(t.granted).toHaveLength(0);
    await clock.run(5000);
    expect(t.granted).toHaveLength(1);
    t.granted[0].permit.release({ status: 200 });
    await flush();
    expect(t.granted).toHaveLength(3);
  });

  it("a pause that ended moments ago still opens with a probe; an old one is ignored", async () => {
    const recent = make({ maxConcurrency: 8, initialBurst: 8, pausedUntil: -10_000 });
    const a = track(recent.limiter, recent.clock, 8);
    await flush();
    expect(a.granted).toHaveLength(1);
    const old = make({ maxConcurrency: 8, initialBurst: 8, pausedUntil: -120_000 });
    const b = track(old.limiter, old.clock, 8);
    await flush();
    expect(b.granted).toHaveLength(8);
  });

  it("honourPause holds back a running limiter; an earlier end changes nothing", async () => {
    const { clock, limiter } = make({ maxConcurrency: 4, initialBurst: 4 });
    (await limiter.acquire(0)).release({ status: 200 });
    limiter.honourPause(3000);
    limiter.honourPause(1000);
    const t = track(limiter, clock, 3);
    await clock.run(2999);
    expect(t.granted).toHaveLength(0);
    await clock.run(3000);
    expect(t.granted).toHaveLength(1);
  });

  it("reports each pause it starts or extends, and not the ones it honours", async () => {
    const recorded: number[] = [];
    const { limiter } = make({ maxConcurrency: 4, initialBurst: 4, onPause: (u) => recorded.push(u) });
    const permits = await Promise.all([0, 1, 2].map(() => limiter.acquire(0)));
    permits[0].release({ status: 429, headers: { "retry-after-ms": "2500" } });
    permits[1].release({ status: 429, headers: { "retry-after-ms": "1000" } });
    permits[2].release({ status: 429, headers: { "retry-after-ms": "4000" } });
    limiter.honourPause(9000);
    expect(recorded).toEqual([2500, 4000]);
  });

  it("reads retry-after in seconds, and backs off on its own without it", async () => {
    const { clock, limiter } = make({ maxConcurrency: 1, initialBurst: 1 });
    (await limiter.acquire(0)).release({ status: 429, headers: { "retry-after": "2" } });
    expect(limiter.stats().pausedUntil).toBe(2000);
    await clock.run(2000);
    (await limiter.acquire(0)).release({ status: 429 });
    // random() = 1: the whole fallback of 1 s, doubling on the next one.
    expect(limiter.stats().pausedUntil).toBe(3000);
    await clock.run(3000);
    (await limiter.acquire(0)).release({ status: 429 });
    expect(limiter.stats().pausedUntil).toBe(5000);
  });

  it("an explicit retryAfterMs wins, and rateLimited: false does not pause", async () => {
    const { limiter } = make({ maxConcurrency: 2, initialBurst: 2 });
    (await limiter.acquire(0)).release({ status: 429, retryAfterMs: 250, headers: { "retry-after": "9" } });
    expect(limiter.stats().pausedUntil).toBe(250);
    const { limiter: other } = make();
    (await other.acquire(0)).release({ status: 429, rateLimited: false });
    expect(other.stats().pausedUntil).toBeNull();
    expect(other.stats().rateLimited).toBe(0);
  });

  it("slows the learned rate down after a 429 and recovers gradually", async () => {
    const { clock, limiter } = make({ maxConcurrency: 1, initialBurst: 1 });
    (await limiter.acquire(0)).release({ status: 200, headers: RATE_HEADERS });
    (await limiter.acquire(0)).release({ status: 429, headers: { ...RATE_HEADERS, "retry-after-ms": "1000" } });
    expect(limiter.stats().slowdown).toBeCloseTo(0.8);
    await clock.run(6000);
    expect(limiter.stats().slowdown).toBeCloseTo(0.9);
    await clock.run(20_000);
    expect(limiter.stats().slowdown).toBe(1);
  });

  it("429s from one overload count as one slowdown", async () => {
    const { limiter } = make({ maxConcurrency: 8, initialBurst: 8 });
    const permits = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire(0)));
    permits[0].release({ status: 200, headers: RATE_HEADERS });
    for (const p of permits.slice(1)) p.release({ status: 429, headers: { ...RATE_HEADERS, "retry-after-ms": "100" } });
    expect(limiter.stats().slowdown).toBeCloseTo(0.8);
    expect(limiter.stats().rateLimited).toBe(7);
  });
});

describe("RateLimiter: learning from headers", () => {
  it("learns request and token limits, accepting a Headers object", async () => {
    const { limiter } = make();
    const p = await limiter.acquire(500);
    p.release({
      status: 200,
      tokensUsed: 300,
      headers: new Headers({
        "x-ratelimit-limit-requests": "5000",
        "x-ratelimit-remaining-requests": "4999",
        "x-ratelimit-reset-requests": "12ms",
        "x-ratelimit-limit-tokens": "2000000",
        "x-ratelimit-remaining-tokens": "1999700",
        "x-ratelimit-reset-tokens": "9ms",
      }),
    });
    expect(limiter.stats()).toMatchObject({
      mode: "limited",
      requests: { limit: 5000, remaining: 4999, perMinute: 5000 },
      tokens: { limit: 2_000_000, remaining: 1_999_700, perMinute: 2_000_000 },
    });
  });

  it("subtracts what it sent too recently for the server to have counted", async () => {
    const { clock, limiter } = make({ maxConcurrency: 10, initialBurst: 10 });
    const first = await limiter.acquire(0);
    await clock.run(100);
    const later = await Promise.all([limiter.acquire(0), limiter.acquire(0)]);
    await clock.run(150);
    // Answered after 150 ms: the two requests of the last 50 ms may not be counted yet.
    first.release({ status: 200, headers: { ...RATE_HEADERS, "x-ratelimit-remaining-requests": "100" } });
    expect(limiter.stats().requests?.remaining).toBe(98);
    for (const p of later) p.release({ status: 200 });
  });

  it("refunds the difference between estimated and used tokens only for requests the headers had not counted", async () => {
    const { clock, limiter } = make({ maxConcurrency: 10, initialBurst: 10 });
    const tokHeaders = (remaining: number) => ({
      "x-ratelimit-limit-tokens": "100000",
      "x-ratelimit-remaining-tokens": String(remaining),
      "x-ratelimit-reset-tokens": "1s",
    });
    const a = await limiter.acquire(1000);
    await clock.run(50);
    a.release({ status: 200, tokensUsed: 1000, headers: tokHeaders(50_000) });
    expect(limiter.stats().tokens?.remaining).toBe(50_000);
    const b = await limiter.acquire(1000);
    expect(limiter.stats().tokens?.remaining).toBe(49_000);
    // b was sent after the last headers: its estimate stood in for its cost, now corrected.
    b.release({ tokensUsed: 200 });
    expect(limiter.stats().tokens?.remaining).toBe(49_800);
  });

  it("infers a daily window from the reset time", async () => {
    const { limiter } = make();
    (await limiter.acquire(0)).release({
      status: 200,
      headers: { "x-ratelimit-limit-requests": "14400", "x-ratelimit-remaining-requests": "14000", "x-ratelimit-reset-requests": "40m0s" },
    });
    expect(limiter.stats().requests?.perMinute).toBeCloseTo(10);
  });

  it("waits for the budget to refill when it is used up", async () => {
    const { clock, limiter } = make({ maxConcurrency: 10, initialBurst: 10 });
    (await limiter.acquire(0)).release({
      status: 200,
      headers: { "x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "2", "x-ratelimit-reset-requests": "58s" },
    });
    const t = track(limiter, clock, 4);
    await flush();
    expect(t.granted.map((g) => g.at)).toEqual([0, 0]);
    await clock.run(5000);
    // One request per second at 60 per minute.
    expect(t.granted.map((g) => g.at)).toEqual([0, 0, 1000, 2000]);
  });
});

describe("RateLimiter: simulated 600 RPM provider (fake-llm accounting)", () => {
  const minutes = 5;
  const base = {
    concurrency: 64,
    durationMs: minutes * 60_000,
    latencyMs: (rand: () => number) => 300 + 1200 * rand(),
    networkMs: 20,
  };

  it("with a full bucket: >= 95% of the limit, < 1% 429s", async () => {
    const r = await simulate({ ...base, limits: new BucketLimits(600, null) });
    expect(r.ok).toBeGreaterThanOrEqual(0.95 * 600 * minutes);
    expect(share429(r)).toBeLessThan(0.01);
  });

  it("with a bucket another run just drained", async () => {
    const limits = new BucketLimits(600, null);
    limits.req!.take(600, 0);
    const r = await simulate({ ...base, limits });
    expect(r.ok).toBeGreaterThanOrEqual(0.95 * 600 * minutes);
    expect(r.ok).toBeLessThanOrEqual(600 * minutes + 1);
    expect(share429(r)).toBeLessThan(0.01);
  });

  it("with long-tailed latencies and no network delay", async () => {
    const limits = new BucketLimits(600, null);
    limits.req!.take(300, 0);
    const r = await simulate({ ...base, limits, networkMs: 0, latencyMs: (rand) => 50 + 8000 * rand() ** 4, seed: 7 });
    expect(r.ok).toBeGreaterThanOrEqual(0.95 * 600 * minutes);
    expect(share429(r)).toBeLessThan(0.01);
  });

  it("when tokens per minute are the binding limit, with over-estimated tokens", async () => {
    const limits = new BucketLimits(600, 100_000);
    limits.tok!.take(100_000, 0);
    const r = await simulate({
      ...base,
      limits,
      tokens: (rand) => {
        const prompt = 200 + Math.floor(400 * rand());
        // Estimates assume the whole max_tokens (300) is used; answers use less.
        return { actual: prompt + Math.floor(300 * rand()), estimate: prompt + 300 };
      },
    });
    expect(r.tokensOk).toBeGreaterThanOrEqual(0.95 * 100_000 * minutes);
    expect(share429(r)).toBeLessThan(0.01);
  });

  it("learns when token estimates run low (no allowance for the answer)", async () => {
    const limits = new BucketLimits(600, 100_000);
    limits.tok!.take(100_000, 0);
    const r = await simulate({
      ...base,
      limits,
      tokens: (rand) => {
        const prompt = 200 + Math.floor(400 * rand());
        return { actual: prompt + Math.floor(300 * rand()), estimate: prompt };
      },
    });
    expect(r.tokensOk).toBeGreaterThanOrEqual(0.95 * 100_000 * minutes);
    // Not the 1% target: the first answers teach the limiter how low the estimates are.
    expect(share429(r)).toBeLessThan(0.05);
  });

  it("against a strict 60 s sliding window too", async () => {
    const r = await simulate({ ...base, limits: new SlidingWindowLimits(600) });
    expect(r.ok).toBeGreaterThanOrEqual(0.95 * 600 * minutes);
    expect(share429(r)).toBeLessThan(0.01);
  });

  it("keeps most of the throughput when the provider also injects random 429s", async () => {
    const limits = new BucketLimits(600, null);
    limits.req!.take(600, 0);
    const r = await simulate({ ...base, limits, fault429Rate: 0.01 });
    expect(r.ok).toBeGreaterThanOrEqual(0.9 * 600 * minutes);
  });
});

describe("RateLimiter against the fake LLM server", () => {
  const servers: FakeLlm[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it("reads the headers the openai SDK hands back, from successes and 429s", async () => {
    const llm = await startFakeLlm({ rpm: 2, tpm: 100_000 });
    servers.push(llm);
    const client = new OpenAI({ baseURL: llm.url, apiKey: "test", maxRetries: 0 });
    const call = async (limiter: RateLimiter) => {
      const permit = await limiter.acquire(100);
      try {
        const { data, response } = await client.chat.completions
          .create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Say hi" }] })
          .withResponse();
        permit.release({ status: response.status, headers: response.headers, tokensUsed: data.usage?.total_tokens });
        return response.status;
      } catch (e) {
        if (!(e instanceof APIError)) throw e;
        permit.release({ status: e.status, headers: e.headers });
        return e.status;
      }
    };
    const limiter = new RateLimiter({ maxConcurrency: 1 });
    expect(await call(limiter)).toBe(200);
    expect(limiter.stats()).toMatchObject({ mode: "limited", requests: { limit: 2, remaining: 1 }, tokens: { limit: 100_000 } });
    expect(limiter.stats().tokens!.remaining).toBeLessThan(100_000);

    // A second process on the same key spends the last request; a fresh limiter learns of it from a 429.
    expect(await call(new RateLimiter({ maxConcurrency: 1 }))).toBe(200);
    const fresh = new RateLimiter({ maxConcurrency: 1 });
    expect(await call(fresh)).toBe(429);
    const stats = fresh.stats();
    expect(stats.rateLimited).toBe(1);
    // 2 per minute: the next request fits in about 30 s.
    expect(stats.pausedUntil! - Date.now()).toBeGreaterThan(20_000);
    expect(stats.requests).toMatchObject({ limit: 2, remaining: 0 });
  });
});
