import { gzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { compressionRatio, distinctN, textStats, words } from "./text-stats";

describe("distinct-n", () => {
  test("hand-computed: 'the cat saw the cat' has 3 of 5 words, 3 of 4 bigrams, 3 of 3 trigrams distinct", () => {
    const t = ["The cat saw the cat."];
    expect(distinctN(t, 1)).toBeCloseTo(3 / 5);
    expect(distinctN(t, 2)).toBeCloseTo(3 / 4);
    expect(distinctN(t, 3)).toBeCloseTo(3 / 3);
  });

  test("n-grams do not cross records, and repeats across records count once", () => {
    expect(distinctN(["a b", "a b"], 2)).toBeCloseTo(1 / 2);
    expect(distinctN(["a", "b"], 2)).toBe(0);
  });

  test("words are lower-cased letters and digits, apostrophes kept inside words", () => {
    expect(words("Don't STOP, 42 times—ok?")).toEqual(["don't", "stop", "42", "times", "ok"]);
  });
});

describe("compression ratio", () => {
  test("is gzip size over raw size of the texts joined by newlines", () => {
    const texts = ["hello world", "hello there"];
    const raw = Buffer.from(texts.join("\n"));
    expect(compressionRatio(texts)).toBeCloseTo(gzipSync(raw).length / raw.length);
  });

  test("repetitive text compresses far more than varied text", () => {
    const same = Array.from({ length: 200 }, () => "once upon a time there was a little dog");
    const varied = Array.from({ length: 200 }, (_, i) => `${i} ${(i * 7919).toString(36)} ${(i * 104729).toString(36)} ${Math.sin(i)}`);
    expect(compressionRatio(same)).toBeLessThan(0.05);
    expect(compressionRatio(varied)).toBeGreaterThan(0.3);
  });

  test("empty input gives 0, not NaN", () => {
    expect(textStats([])).toEqual({ sampleSize: 0, distinct1: 0, distinct2: 0, distinct3: 0, compressionRatio: 0 });
  });
});
