import { describe, expect, it } from "vitest";
import { checkLength, countWords, measureLength } from "./length";

describe("measureLength", () => {
  it("counts code points, so accents and emoji count once", () => {
    expect(measureLength("abc", "chars")).toBe(3);
    expect(measureLength("café", "chars")).toBe(4);
    expect(measureLength("a😀b", "chars")).toBe(3); // 4 UTF-16 units
    expect(measureLength("", "chars")).toBe(0);
  });

  it("counts words as letter/digit runs, keeping inner apostrophes and hyphens", () => {
    expect(countWords("The cat sat.")).toBe(3);
    expect(countWords("  don't   stop, well-known 42 ")).toBe(4);
    expect(countWords("— ... !!")).toBe(0);
    expect(countWords("Über straße")).toBe(2);
  });

  it("counts o200k tokens, special-token text included", () => {
    expect(measureLength("", "tokens")).toBe(0);
    expect(measureLength("hello", "tokens")).toBe(1);
    expect(measureLength("<|endoftext|>", "tokens")).toBeGreaterThan(1);
  });
});

describe("checkLength", () => {
  it("passes within bounds, both ends included", () => {
    expect(checkLength("one two three", "words", 3, 3)).toEqual({ pass: true, message: "3 words" });
    expect(checkLength("abc", "chars", null, null).pass).toBe(true);
  });
  it("says which bound failed", () => {
    expect(checkLength("one two", "words", 3, null)).toEqual({ pass: false, message: "2 words, fewer than 3" });
    expect(checkLength("abcdef", "chars", null, 5)).toEqual({ pass: false, message: "6 characters, more than 5" });
  });
});
