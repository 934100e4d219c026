import { describe, expect, it } from "vitest";
import { formatDuration } from "@/fake-llm/ratelimit";
import { headerNumber, headerValue, parseDurationMs, retryAfterMsFromHeaders } from "./headers";

describe("parseDurationMs", () => {
  it.each([
    ["1s", 1000],
    ["120ms", 120],
    ["6m0s", 360_000],
    ["1m30.5s", 90_500],
    ["0.5s", 500],
    ["1h2m3s", 3_723_000],
    ["0s", 0],
    ["250us", 0.25],
    ["250µs", 0.25],
    ["1500ns", 0.0015],
    ["12", 12_000],
    [" 2s ", 2000],
  ])("%s -> %d ms", (text, ms) => {
    expect(parseDurationMs(text)).toBeCloseTo(ms, 9);
  });

  it.each(["", "abc", "1x", "s", "1s2", "1.2.3s", "-1s"])("%j is not a duration", (text) => {
    expect(parseDurationMs(text)).toBeNaN();
  });

  it("reads null as NaN", () => {
    expect(parseDurationMs(null)).toBeNaN();
  });

  it("round-trips the fake server's format", () => {
    for (const ms of [0, 1, 17, 999, 1000, 1500, 59_999, 60_000, 61_234, 3_600_000, 3_723_456]) {
      expect(parseDurationMs(formatDuration(ms))).toBe(ms);
    }
  });
});

describe("headerValue", () => {
  it("reads Headers objects case-insensitively and plain records by lowercase key", () => {
    const h = new Headers({ "X-RateLimit-Limit-Requests": "60" });
    expect(headerValue(h, "x-ratelimit-limit-requests")).toBe("60");
    expect(headerValue({ "retry-after": "3" }, "retry-after")).toBe("3");
    expect(headerValue({ "retry-after": 3 }, "retry-after")).toBe("3");
    expect(headerValue({ "set-cookie": ["a", "b"] }, "set-cookie")).toBe("a");
    expect(headerValue({}, "retry-after")).toBeNull();
    expect(headerValue(undefined, "retry-after")).toBeNull();
  });

  it("numbers are NaN when missing or garbage", () => {
    expect(headerNumber({ a: "12" }, "a")).toBe(12);
    expect(headerNumber({ a: "" }, "a")).toBeNaN();
    expect(headerNumber({ a: "x" }, "a")).toBeNaN();
    expect(headerNumber({}, "a")).toBeNaN();
  });
});

describe("retryAfterMsFromHeaders", () => {
  it("prefers retry-after-ms, then retry-after seconds, then an HTTP date", () => {
    expect(retryAfterMsFromHeaders({ "retry-after-ms": "150", "retry-after": "1" })).toBe(150);
    expect(retryAfterMsFromHeaders({ "retry-after": "2" })).toBe(2000);
    expect(retryAfterMsFromHeaders({ "retry-after": "0.5" })).toBe(500);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryAfterMsFromHeaders({ "retry-after": "Wed, 01 Jan 2025 00:00:30 GMT" }, now)).toBe(30_000);
    expect(retryAfterMsFromHeaders({ "retry-after": "Tue, 31 Dec 2024 00:00:00 GMT" }, now)).toBe(0);
  });

  it("is NaN without usable headers", () => {
    expect(retryAfterMsFromHeaders({})).toBeNaN();
    expect(retryAfterMsFromHeaders({ "retry-after": "soon" })).toBeNaN();
    expect(retryAfterMsFromHeaders(null)).toBeNaN();
  });
});
