import { describe, expect, it } from "vitest";
import { bandHashes, bandProbability, chooseBanding } from "./lsh";
import { ophSignature } from "./minhash";
import { normalizeText } from "./normalize";
import { shingleHashes } from "./shingles";
import { nearDuplicate, prng, randomText, vocabulary } from "./synthetic";

describe("banding", () => {
  it("computes the S-curve by hand", () => {
    // b = 2, r = 2, s = 0.5: 1 - (1 - 0.25)^2 = 0.4375
    expect(bandProbability(0.5, { bands: 2, rows: 2 })).toBeCloseTo(0.4375, 10);
    expect(bandProbability(1, { bands: 17, rows: 7 })).toBe(1);
    expect(bandProbability(0, { bands: 17, rows: 7 })).toBe(0);
  });

  it("chooses 17 × 7 for 0.8 over 128: a pair at the threshold is caught 95% of the time, unrelated ones rarely", () => {
    const b = chooseBanding(0.8, 128);
    expect(b).toEqual({ bands: 17, rows: 7 });
    expect(bandProbability(0.8, b)).toBeGreaterThanOrEqual(0.95);
    expect(bandProbability(0.3, b)).toBeLessThan(0.005);
  });

  it("moves the curve with the threshold and refuses thresholds outside (0, 1]", () => {
    for (const t of [0.3, 0.5, 0.7, 0.9, 0.95]) {
      const b = chooseBanding(t, 128);
      expect(b.bands * b.rows).toBeLessThanOrEqual(128);
      expect(bandProbability(t, b)).toBeGreaterThanOrEqual(0.95);
      expect(bandProbability(t - 0.25, b)).toBeLessThan(bandProbability(t, b) / 2);
    }
    expect(() => chooseBanding(0, 128)).toThrow(/\(0, 1\]/);
    expect(() => chooseBanding(1.2, 128)).toThrow(/\(0, 1\]/);
  });

  it("band hashes are fixed numbers (stored ones must match a later process's) and differ between bands", () => {
    const sig = Uint32Array.from({ length: 128 }, (_, i) => i % 7);
    const h = bandHashes(sig, { bands: 4, rows: 7 });
    expect(new Set(h).size).toBe(4);
    expect(Array.from(h)).toMatchInlineSnapshot(`
      [
        1000210350,
        -1466071365,
        955359993,
        -1395760465,
      ]
    `);
  });

  it("in practice: near-duplicates share a band, unrelated texts do not", () => {
    const rand = prng(7);
    const words = vocabulary(2000, rand);
    const b = chooseBanding(0.8, 128);
    const bands = (t: string) => new Set(bandHashes(ophSignature(shingleHashes(normalizeText(t)))!, b));
    let caught = 0;
    let falseMeet = 0;
    for (let i = 0; i < 100; i++) {
      const a = randomText(1000, words, rand);
      const near = nearDuplicate(a, 0.85 + rand() * 0.1, words, rand).text;
      const other = randomText(1000, words, rand);
      const ba = bands(a);
      if ([...bands(near)].some((h) => ba.has(h))) caught++;
      if ([...bands(other)].some((h) => ba.has(h))) falseMeet++;
    }
    expect(caught).toBeGreaterThanOrEqual(97);
    expect(falseMeet).toBe(0);
  });
});
