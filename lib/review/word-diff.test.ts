import { describe, expect, test } from "vitest";
import { MAX_WORDS, wordDiff } from "./word-diff";

const changed = (parts: { text: string; changed: boolean }[]) => parts.filter((p) => p.changed).map((p) => p.text);
const whole = (parts: { text: string }[]) => parts.map((p) => p.text).join("");

describe("word diff", () => {
  test("marks the words each side has that the other does not, and keeps the texts whole", () => {
    const a = "The cat sat on the mat today.";
    const b = "The dog sat on the red mat today.";
    const d = wordDiff(a, b);
    expect(changed(d.a)).toEqual(["cat"]);
    expect(changed(d.b)).toEqual(["dog", "red"]);
    expect(whole(d.a)).toBe(a);
    expect(whole(d.b)).toBe(b);
  });

  test("identical texts have no change; a case change is a change", () => {
    expect(changed(wordDiff("same words here", "same words here").a)).toEqual([]);
    expect(changed(wordDiff("Same words", "same words").b)).toEqual(["same"]);
  });

  test("long texts are compared on their start", () => {
    const long = Array.from({ length: MAX_WORDS + 500 }, (_, i) => `w${i}`).join(" ");
    const d = wordDiff(long, long.replace("w3 ", "x3 "));
    expect(changed(d.a)).toEqual(["w3"]);
    expect(whole(d.a).trim().split(" ")).toHaveLength(MAX_WORDS);
  });
});
