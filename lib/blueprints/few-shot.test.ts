import { describe, expect, it } from "vitest";
import { drawExamples, examplesAsText, examplesAsTurns } from "./few-shot";
import type { FewShot } from "./schema";

const examples = Array.from({ length: 6 }, (_, i) => ({ input: `in ${i}`, output: `out ${i}` }));
const fewShot = (k: number): FewShot => ({ examples, k, mode: "turns" });

describe("drawExamples", () => {
  it("draws k distinct examples, deterministically per record and field", () => {
    const ctx = { seed: 1, recordIndex: 4, fieldName: "story" };
    const a = drawExamples(fewShot(3), ctx);
    expect(a).toHaveLength(3);
    expect(new Set(a.map((e) => e.input)).size).toBe(3);
    expect(drawExamples(fewShot(3), ctx)).toEqual(a);
  });

  it("varies across records and fields", () => {
    const draw = (recordIndex: number, fieldName = "story") =>
      drawExamples(fewShot(2), { seed: 1, recordIndex, fieldName })
        .map((e) => e.input)
        .join("|");
    const perRecord = new Set(Array.from({ length: 30 }, (_, r) => draw(r)));
    expect(perRecord.size).toBeGreaterThan(10);
    const otherField = Array.from({ length: 30 }, (_, r) => draw(r, "summary"));
    expect(otherField).not.toEqual(Array.from({ length: 30 }, (_, r) => draw(r)));
  });

  it("returns nothing for k = 0 and at most all examples", () => {
    expect(drawExamples(fewShot(0), { seed: 1, recordIndex: 0, fieldName: "x" })).toEqual([]);
    expect(drawExamples(fewShot(10), { seed: 1, recordIndex: 0, fieldName: "x" })).toHaveLength(6);
  });
});

describe("formats", () => {
  it("turns alternate user and assistant", () => {
    expect(examplesAsTurns(examples.slice(0, 2))).toEqual([
      { role: "user", content: "in 0" },
      { role: "assistant", content: "out 0" },
      { role: "user", content: "in 1" },
      { role: "assistant", content: "out 1" },
    ]);
  });

  it("inline text labels input and output, blank line between examples", () => {
    expect(examplesAsText(examples.slice(0, 2))).toBe("Input: in 0\nOutput: out 0\n\nInput: in 1\nOutput: out 1");
    expect(examplesAsText([])).toBe("");
  });
});
