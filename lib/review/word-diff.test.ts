import { describe, expect, test } from "vitest";
import { MAX_CELLS, tokenize, wordDiff, type DiffPart } from "./word-diff";

const side = (parts: DiffPart[], which: "a" | "b") => parts.filter((p) => p.kind === "same" || p.kind === (which === "a" ? "removed" : "added")).map((p) => p.text).join("");

describe("word diff", () => {
  test("tokens are words, whitespace runs and single marks, and join back to the text", () => {
    expect(tokenize("The fox's  den, 12 km.")).toEqual(["The", " ", "fox's", "  ", "den", ",", " ", "12", " ", "km", "."]);
    expect(tokenize("")).toEqual([]);
  });

  test("one changed word is one removal and one addition between equal text", () => {
    expect(wordDiff("the quick brown fox", "the quick red fox")).toEqual([
      { kind: "same", text: "the quick " },
      { kind: "removed", text: "brown" },
      { kind: "added", text: "red" },
      { kind: "same", text: " fox" },
    ]);
  });

  test("insertions and deletions in the middle, by hand", () => {
    expect(wordDiff("a b c d e", "a c d x e")).toEqual([
      { kind: "same", text: "a " },
      { kind: "removed", text: "b " },
      // " e" is the common end, so the added word takes the space before it.
      { kind: "same", text: "c d" },
      { kind: "added", text: " x" },
      { kind: "same", text: " e" },
    ]);
  });

  test("a word moved to the front keeps the longest run in common", () => {
    expect(wordDiff("p q r s", "s p q r")).toEqual([
      { kind: "added", text: "s " },
      { kind: "same", text: "p q r" },
      { kind: "removed", text: " s" },
    ]);
  });

  test("equal texts are one same part; empty against text is all added or all removed", () => {
    expect(wordDiff("same text.", "same text.")).toEqual([{ kind: "same", text: "same text." }]);
    expect(wordDiff("", "new words")).toEqual([{ kind: "added", text: "new words" }]);
    expect(wordDiff("old words", "")).toEqual([{ kind: "removed", text: "old words" }]);
    expect(wordDiff("", "")).toEqual([]);
  });

  test("case and punctuation are differences (the view shows what differs, detection ignores it)", () => {
    expect(wordDiff("Hello, world", "hello world")).toEqual([
      { kind: "removed", text: "Hello," },
      { kind: "added", text: "hello" },
      { kind: "same", text: " world" },
    ]);
  });

  test("each side read back from the parts is its text, on random edits", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const vocab = ["sun", "moon", "river", "stone", "old", "red", ",", ".", "tree", "a"];
    for (let k = 0; k < 200; k++) {
      const words = Array.from({ length: 5 + Math.floor(rand() * 40) }, () => vocab[Math.floor(rand() * vocab.length)]);
      const edited = words.flatMap((w) => (rand() < 0.1 ? [] : rand() < 0.1 ? [w, vocab[Math.floor(rand() * vocab.length)]] : rand() < 0.1 ? ["changed"] : [w]));
      const a = words.join(" ");
      const b = edited.join(" ");
      const parts = wordDiff(a, b);
      expect(side(parts, "a")).toBe(a);
      expect(side(parts, "b")).toBe(b);
      // Merged: no two neighbours of one kind.
      for (let i = 1; i < parts.length; i++) expect(parts[i].kind).not.toBe(parts[i - 1].kind);
    }
  });

  test("a pair too large for the table still diffs its common start and end, the middle as one replacement", () => {
    const n = Math.ceil(Math.sqrt(MAX_CELLS)) + 10;
    const mid = (p: string) => Array.from({ length: n }, (_, i) => `${p}${i}`).join(" ");
    const parts = wordDiff(`start ${mid("x")} end`, `start ${mid("y")} end`);
    expect(parts.map((p) => p.kind)).toEqual(["same", "removed", "added", "same"]);
    expect(parts[0].text).toBe("start ");
    expect(parts[3].text).toBe(" end");
  });
});
