import { describe, expect, test } from "vitest";
import { examplePair, SAMPLE_TEXT, similarity } from "./example-pair";

describe("example pair for the similarity threshold", () => {
  test.each([0.95, 0.9, 0.8, 0.7, 0.5, 0.3])("a variant at about %s, with its similarity computed as the pass does", (t) => {
    const pair = examplePair(t);
    expect(pair.original).toBe(SAMPLE_TEXT);
    expect(pair.variant).not.toBe(SAMPLE_TEXT);
    expect(pair.similarity).toBeCloseTo(similarity(pair.original, pair.variant), 12);
    // One word of ~60 moves the similarity by a few hundredths at most.
    expect(Math.abs(pair.similarity - t)).toBeLessThan(0.04);
    expect(pair.changedWords).toBeGreaterThan(0);
  });

  test("a higher threshold changes fewer words", () => {
    const counts = [0.95, 0.8, 0.5].map((t) => examplePair(t).changedWords);
    expect(counts[0]).toBeLessThan(counts[1]);
    expect(counts[1]).toBeLessThan(counts[2]);
  });

  test("threshold 1 is an exact duplicate after normalisation (case and punctuation differ)", () => {
    const pair = examplePair(1);
    expect(pair.variant).not.toBe(SAMPLE_TEXT);
    expect(pair.similarity).toBe(1);
  });

  test("deterministic", () => {
    expect(examplePair(0.8)).toEqual(examplePair(0.8));
  });

  test("similarity ignores case, spacing and punctuation, as normalisation does", () => {
    expect(similarity("The Fox, ran!", "the fox ran")).toBe(1);
    expect(similarity("abcdefgh", "zzzzzzzz")).toBe(0);
  });
});
