// OpenAI-style rate limiting: a token bucket per dimension (requests, tokens) whose
// capacity is the per-minute limit and which refills continuously at limit/60s.
// The x-ratelimit-* headers are read from the same buckets, so a client that
// honours them is never rejected (apart from races with its own in-flight requests).

export class TokenBucket {
  /** Units refilled per millisecond. */
  private readonly rate: number;
  private level: number;
  private last: number;

  constructor(
    readonly limit: number,
    now: number,
  ) {
    this.rate = limit / 60_000;
    this.level = limit;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.limit, this.level + (now - this.last) * this.rate);
      this.last = now;
    }
  }

  /** Whole units available now (the `x-ratelimit-remaining-*` value). */
  remaining(now: number): number {
    this.refill(now);
    return Math.floor(this.level + 1e-9);
  }

  /** Milliseconds until the bucket is full again (the `x-ratelimit-reset-*` value). */
  resetMs(now: number): number {
    this.refill(now);
    return Math.max(0, (this.limit - this.level) / this.rate);
  }

  /** Milliseconds until `amount` units are available (0 = now). */
  waitMs(amount: number, now: number): number {
    this.refill(now);
    return amount <= this.level + 1e-9 ? 0 : (amount - this.level) / this.rate;
  }

  take(amount: number, now: number): void {
    this.refill(now);
    this.level -= amount;
  }
}

/**
 * Formats a duration like OpenAI's rate-limit headers (Go's time.Duration style),
 * rounded up so waiting that long is always enough: "0s", "17ms", "1.5s", "6m0s", "1h2m3s".
 */
export function formatDuration(ms: number): string {
  let total = Math.ceil(ms);
  if (!(total > 0)) return "0s";
  if (total < 1000) return `${total}ms`;
  if (total < 60_000) return `${total / 1000}s`;
  const h = Math.floor(total / 3_600_000);
  total -= h * 3_600_000;
  const m = Math.floor(total / 60_000);
  total -= m * 60_000;
  return `${h ? `${h}h` : ""}${m}m${total / 1000}s`;
}

/** Parses {@link formatDuration} output (and Go durations in general) back to milliseconds. */
export function parseDuration(text: string): number {
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) {
    const v = Number(m[1]);
    switch (m[2]) {
      case "h":
        ms += v * 3_600_000;
        break;
      case "m":
        ms += v * 60_000;
        break;
      case "s":
        ms += v * 1000;
        break;
      case "ms":
        ms += v;
        break;
      case "us":
      case "µs":
        ms += v / 1000;
        break;
      case "ns":
        ms += v / 1e6;
        break;
    }
  }
  return ms;
}
