import { describe, expect, test } from "vitest";
import type { Blueprint } from "@/lib/blueprints/schema";
import { criterionLines, probabilitiesOf, uncertainty } from "./uncertainty";

const bp: Blueprint = {
  fields: [
    {
      id: "j",
      kind: "judge",
      name: "quality",
      over: ["story"],
      model: "m",
      params: {},
      criteria: [
        { name: "simple", description: "", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: "" })) },
        { name: "on_topic", description: "", levels: ["pass", "fail"].map((value) => ({ value, description: "" })) },
      ],
    },
  ],
};

describe("judge least sure first", () => {
  test("lines: 1-5 passes from 4, so the line is at 3.5 on a range of 4; a word criterion passes its first level", () => {
    expect(criterionLines(bp)).toEqual([
      { field: "quality", criterion: "simple", kind: "number", pivot: 3.5, range: 4, min: 4 },
      { field: "quality", criterion: "on_topic", kind: "word", accept: ["pass"] },
    ]);
  });

  test("scores next to the line come first, disagreeing criteria first of all, unjudged records last", () => {
    const lines = criterionLines(bp);
    const u = (simple: number, on_topic: string) => uncertainty(lines, { quality: { simple, on_topic } });
    expect(u(4, "pass")).toBe(0.125);
    expect(u(3, "fail")).toBe(0.125);
    expect(u(5, "pass")).toBe(0.375);
    expect(u(1, "fail")).toBe(0.625);
    expect(u(5, "fail")).toBe(0);
    expect(uncertainty(lines, {})).toBeNull();
  });

  test("the judge's probability of its score scales the margin: a hesitant score comes first; no p, the order as before", () => {
    const lines = criterionLines(bp);
    const u = (simple: number, on_topic: string, p?: { simple?: number; on_topic?: number }) => uncertainty(lines, { quality: { simple, on_topic } }, p ? { quality: p } : {});
    expect(u(4, "pass", {})).toBe(0.125);
    expect(u(4, "pass", { simple: 1, on_topic: 1 })).toBe(0.125);
    expect(u(4, "pass", { simple: 0.5, on_topic: 0.9 })).toBe(0.0625);
    // A far score the judge hesitated on (p 0.2) moves ahead of a sure one at the line.
    expect(u(5, "pass", { simple: 0.99, on_topic: 0.2 })!).toBeLessThan(u(4, "pass", { simple: 0.99, on_topic: 0.99 })!);
    // Disagreeing criteria stay first of all, whatever p says.
    expect(u(5, "fail", { simple: 1, on_topic: 1 })).toBe(0);
    // A word-only rubric had no margin to order by; p gives it one.
    const words = lines.filter((l) => l.kind === "word");
    expect(uncertainty(words, { quality: { on_topic: "pass" } }, { quality: { on_topic: 0.4 } })).toBe(0.4);
    expect(uncertainty(words, { quality: { on_topic: "pass" } })).toBe(1);
  });

  test("probabilities are read from judge values that have them", () => {
    expect(probabilitiesOf({ story: "x", quality: { simple: { score: 4, reason: "", p: 0.7 }, on_topic: { score: "pass", reason: "" } } })).toEqual({ quality: { simple: 0.7 } });
  });
});
