import { describe, expect, it } from "vitest";
import { classicSignature, estimateJaccard, ophSignature } from "./minhash";
import { normalizeText } from "./normalize";
import { jaccard, shingleHashes, shingleSet } from "./shingles";
import { nearDuplicate, prng, randomText, vocabulary } from "./synthetic";

const rand = prng(42);
const words = vocabulary(2000, rand);
const norm = (t: string) => normalizeText(t);

/** Random pairs spread over the whole similarity range. */
function pairs(n: number) {
  const out: { a: string; b: string; exact: number }[] = [];
  for (let i = 0; i < n; i++) {
    const a = randomText(1000, words, rand);
    const b = nearDuplicate(a, 0.05 + rand() * 0.93, words, rand).text;
    out.push({ a, b, exact: jaccard(shingleSet(norm(a)), shingleSet(norm(b))) });
  }
  return out;
}

describe("shingles", () => {
  it("hashes 5-grams of code points, and a short text is one shingle", () => {
    expect(shingleHashes("abcdef")).toHaveLength(2);
    expect(shingleHashes("ab")).toHaveLength(1);
    expect(shingleHashes("")).toHaveLength(0);
    // Four astral characters and one more: two shingles of five code points, not UTF-16 units.
    expect(shingleHashes("😀😁😂🤣😃😄")).toHaveLength(2);
  });
  it("computes exact Jaccard of the distinct 5-gram sets", () => {
    // "abcdefg": abcde bcdef cdefg; "abcdefx": abcde bcdef cdefx -> 2 shared of 4.
    expect(jaccard(shingleSet("abcdefg"), shingleSet("abcdefx"))).toBe(0.5);
    expect(jaccard(shingleSet("aaaaaaaa"), shingleSet("aaaaa"))).toBe(1);
    expect(jaccard(shingleSet("abcde"), shingleSet("vwxyz"))).toBe(0);
  });
});

describe("MinHash", () => {
  const sample = pairs(150);

  // The estimate's standard error is sqrt(J(1 - J) / 128) <= 0.044; allow 4.5 of them.
  for (const [name, sign] of [
    ["one-permutation", ophSignature],
    ["classic 128 hashes", classicSignature],
  ] as const) {
    it(`${name}: estimated Jaccard is within 0.2 of the exact value on random pairs, and unbiased`, () => {
      let bias = 0;
      let worst = 0;
      for (const p of sample) {
        const est = estimateJaccard(sign(shingleHashes(norm(p.a)))!, sign(shingleHashes(norm(p.b)))!);
        worst = Math.max(worst, Math.abs(est - p.exact));
        bias += (est - p.exact) / sample.length;
      }
      expect(worst).toBeLessThan(0.2);
      expect(Math.abs(bias)).toBeLessThan(0.015);
    });
  }

  it("one-permutation: the mean absolute error over many pairs matches the theory", () => {
    let err = 0;
    for (const p of sample) err += Math.abs(estimateJaccard(ophSignature(shingleHashes(norm(p.a)))!, ophSignature(shingleHashes(norm(p.b)))!) - p.exact);
    // E|error| of a binomial estimate over 128 positions, averaged over J in (0, 1): about 0.025.
    expect(err / sample.length).toBeLessThan(0.04);
  });

  it("is deterministic and identical texts get identical signatures", () => {
    const t = norm(randomText(800, words, rand));
    expect(ophSignature(shingleHashes(t))).toEqual(ophSignature(shingleHashes(t)));
    expect(classicSignature(shingleHashes(t))).toEqual(classicSignature(shingleHashes(t)));
    // Fixed values: a change to the hashes would silently orphan every stored band hash.
    expect(Array.from(ophSignature(shingleHashes("the quick brown fox"))!.slice(0, 3))).toMatchInlineSnapshot(`
      [
        2040535,
        2040535,
        30974252,
      ]
    `);
  });

  it("densifies short texts: no bin is left empty and equal short texts agree everywhere", () => {
    const a = ophSignature(shingleHashes("hello there"))!;
    expect(a.every((v) => v !== 0xffffffff)).toBe(true);
    expect(estimateJaccard(a, ophSignature(shingleHashes("hello there"))!)).toBe(1);
    expect(ophSignature(new Uint32Array(0))).toBeNull();
  });
});
