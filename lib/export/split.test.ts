import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { activeSplits, cutRanks, KEY_SPACE, keyFromMd5Hex, keyRanges, splitCounts, splitOfKey } from "./split";

const key = (seed: number, id: string) => keyFromMd5Hex(createHash("md5").update(`${seed}:${id}`).digest("hex"));
const ids = Array.from({ length: 5000 }, (_, i) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`);
const spec = { train: 80, validation: 10, test: 10 };

describe("split assignment", () => {
  test("keys are 52-bit integers", () => {
    for (const id of ids.slice(0, 100)) {
      const k = key(1, id);
      expect(Number.isInteger(k)).toBe(true);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(KEY_SPACE);
    }
  });

  test("ranges cover the key space in order, without gaps", () => {
    const r = keyRanges({ train: 70, validation: 20, test: 10 });
    expect(r.train[0]).toBe(0);
    expect(r.train[1]).toBe(r.validation[0]);
    expect(r.validation[1]).toBe(r.test[0]);
    expect(r.test[1]).toBe(KEY_SPACE);
    const none = keyRanges({ train: 100, validation: 0, test: 0 });
    expect(none.train).toEqual([0, KEY_SPACE]);
    expect(none.validation[0]).toBe(none.validation[1]);
    expect(activeSplits({ train: 100, validation: 0, test: 0 })).toEqual(["train"]);
  });

  test("same seed, same split; another seed, another split; proportions hold", () => {
    const r = keyRanges(spec);
    const a = ids.map((id) => splitOfKey(key(42, id), r));
    const b = ids.map((id) => splitOfKey(key(42, id), r));
    const c = ids.map((id) => splitOfKey(key(43, id), r));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const share = (s: string) => a.filter((x) => x === s).length / ids.length;
    expect(share("train")).toBeGreaterThan(0.77);
    expect(share("train")).toBeLessThan(0.83);
    expect(share("validation")).toBeGreaterThan(0.08);
    expect(share("test")).toBeGreaterThan(0.08);
  });

  test("adding records never moves existing ones (unstratified)", () => {
    const r = keyRanges(spec);
    const before = new Map(ids.slice(0, 1000).map((id) => [id, splitOfKey(key(9, id), r)]));
    for (const [id, s] of before) expect(splitOfKey(key(9, id), r)).toBe(s);
  });

  test("exact counts per group: largest remainder, summing to n", () => {
    expect(splitCounts(10, spec)).toEqual({ train: 8, validation: 1, test: 1 });
    expect(splitCounts(3, spec)).toEqual({ train: 3, validation: 0, test: 0 });
    expect(splitCounts(7, { train: 50, validation: 25, test: 25 })).toEqual({ train: 3, validation: 2, test: 2 });
    expect(splitCounts(0, spec)).toEqual({ train: 0, validation: 0, test: 0 });
    let seed = 1;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 500; k++) {
      const t = Math.floor(rnd() * 100) + 1;
      const v = Math.floor(rnd() * (101 - t));
      const s = { train: t, validation: v, test: 100 - t - v };
      const n = Math.floor(rnd() * 1000);
      const c = splitCounts(n, s);
      expect(c.train + c.validation + c.test).toBe(n);
      for (const x of ["train", "validation", "test"] as const) {
        expect(Math.abs(c[x] - (n * s[x]) / 100)).toBeLessThan(1 + 1e-9);
        if (s[x] === 0) expect(c[x]).toBe(0);
      }
    }
  });

  test("cut ranks follow the counts", () => {
    expect(cutRanks(10, spec)).toEqual({ validation: 9, test: 10 });
    expect(cutRanks(3, spec)).toEqual({ validation: null, test: null });
    expect(cutRanks(5, { train: 60, validation: 0, test: 40 })).toEqual({ validation: 4, test: 4 });
  });
});
