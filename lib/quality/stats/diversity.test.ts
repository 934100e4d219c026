import { describe, expect, it } from "vitest";
import { compressionRatio, DistinctCounter, distinctN } from "./diversity";

describe("distinctN", () => {
  it("matches hand-computed values", () => {
    // Words: the cat sat | the cat ran
    // unigrams: the cat sat the cat ran -> 4 distinct / 6
    // bigrams: the-cat cat-sat | the-cat cat-ran -> 3 distinct / 4 (none across texts)
    // trigrams: the-cat-sat | the-cat-ran -> 2 / 2
    expect(distinctN(["The cat sat.", "the CAT ran"])).toEqual({ distinct1: 4 / 6, distinct2: 3 / 4, distinct3: 1 });
  });
  it("a fully repeated text halves every figure", () => {
    const r = distinctN(["a b c d", "a b c d"]);
    expect(r).toEqual({ distinct1: 0.5, distinct2: 0.5, distinct3: 0.5 });
  });
  it("is null when there is nothing to count", () => {
    expect(distinctN(["", "!!"])).toEqual({ distinct1: null, distinct2: null, distinct3: null });
    expect(distinctN(["one"])).toEqual({ distinct1: 1, distinct2: null, distinct3: null });
  });
  it("adds up incrementally to the same figures", () => {
    const c = new DistinctCounter();
    c.add("The cat sat.");
    expect(c.distinct(1)).toBe(1);
    c.add("the CAT ran");
    expect(c.distinct(1)).toBe(4 / 6);
    expect(() => c.distinct(4)).toThrow(RangeError);
  });
});

describe("compressionRatio", () => {
  it("matches hand-computed gzip sizes", () => {
    // "a": 10-byte gzip header + 3 bytes of deflate (one fixed-Huffman block) + 8-byte trailer = 21.
    expect(compressionRatio(["a"])).toBe(21);
    // Joined with a newline, "ab", "cd" is 5 bytes: 3 header bits + 5 literals of 8 bits + a
    // 7-bit end code = 50 bits, 7 bytes of deflate; 10 + 7 + 8 = 25.
    expect(compressionRatio(["ab", "cd"])).toBe(25 / 5);
  });
  it("is low for repetitive text and near 1 or above for varied text", () => {
    const repetitive = Array.from({ length: 500 }, () => "Once upon a time there was a little dog.");
    expect(compressionRatio(repetitive)!).toBeLessThan(0.02);
    let x = 1;
    const noise = Array.from({ length: 500 }, () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x.toString(36);
    });
    expect(compressionRatio(noise)!).toBeGreaterThan(0.5);
  });
  it("is null for no text", () => {
    expect(compressionRatio([])).toBeNull();
    expect(compressionRatio([""])).toBeNull();
  });
});
