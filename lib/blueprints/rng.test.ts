import { describe, expect, it } from "vitest";
import { hashString, randomInt, rngFor } from "./rng";

const draws = (seed: number, record: number, stream: string, n = 5) => {
  const rng = rngFor(seed, record, stream);
  return Array.from({ length: n }, () => rng());
};

describe("rngFor", () => {
  it("is deterministic per (seed, record, stream)", () => {
    expect(draws(42, 3, "topic")).toEqual(draws(42, 3, "topic"));
  });

  it("changes with each part of the key", () => {
    const base = draws(42, 3, "topic");
    expect(draws(43, 3, "topic")).not.toEqual(base);
    expect(draws(42, 4, "topic")).not.toEqual(base);
    expect(draws(42, 3, "topics")).not.toEqual(base);
  });

  it("separates seeds beyond 32 bits and negative seeds", () => {
    expect(draws(2 ** 32 + 1, 0, "x")).not.toEqual(draws(1, 0, "x"));
    expect(draws(-1, 0, "x")).not.toEqual(draws(1, 0, "x"));
  });

  it("yields floats in [0, 1) that look uniform", () => {
    const rng = rngFor(7, 0, "uniform");
    const buckets = new Array(10).fill(0);
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const x = rng();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      buckets[Math.floor(x * 10)]++;
    }
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 10 * 0.05);
  });

  it("gives uncorrelated first draws across consecutive records", () => {
    // The first draw per record is what most samplers use; it must not trend with the index.
    const n = 20_000;
    const buckets = new Array(10).fill(0);
    for (let r = 0; r < n; r++) buckets[Math.floor(rngFor(1, r, "f")() * 10)]++;
    for (const b of buckets) expect(Math.abs(b - n / 10)).toBeLessThan(n / 10 * 0.08);
  });
});

describe("helpers", () => {
  it("hashString is stable and salt-sensitive", () => {
    expect(hashString("abc")).toBe(hashString("abc"));
    expect(hashString("abc")).not.toBe(hashString("abd"));
    expect(hashString("abc", 1)).not.toBe(hashString("abc"));
  });

  it("randomInt stays in range", () => {
    const rng = rngFor(1, 1, "int");
    for (let i = 0; i < 1000; i++) {
      const v = randomInt(rng, 3);
      expect([0, 1, 2]).toContain(v);
    }
  });
});
