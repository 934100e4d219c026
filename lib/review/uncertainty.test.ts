import { describe, expect, test } from "vitest";
import type { Blueprint } from "@/lib/blueprints/schema";
import { criterionLines, uncertainty } from "./uncertainty";

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
});
