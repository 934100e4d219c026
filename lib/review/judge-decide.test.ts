import { describe, expect, it } from "vitest";
import { judgeDecideFilter } from "./judge-decide";

const JUDGE = { field: "quality", criterion: "simple", levels: [1, 2, 3, 4, 5] };

describe("judgeDecideFilter", () => {
  it("narrows the grid's filter to undecided records on the chosen side of the bar", () => {
    expect(judgeDecideFilter({ runIds: ["r"] }, JUDGE, [4, 5])).toEqual({
      runIds: ["r"],
      reviewState: ["unreviewed"],
      judge: [{ field: "quality", criterion: "simple", scores: [4, 5] }],
    });
  });
  it("keeps the grid's own judge filters beside the new one", () => {
    const f = judgeDecideFilter({ judge: [{ field: "quality", criterion: "coherent", scores: ["pass"] }] }, JUDGE, [1]);
    expect(f?.judge).toHaveLength(2);
  });
  it("never reaches records people decided", () => {
    expect(judgeDecideFilter({ reviewState: ["accepted"] }, JUDGE, [4, 5])).toBeNull();
    expect(judgeDecideFilter({ reviewState: ["accepted", "unreviewed"] }, JUDGE, [4, 5])?.reviewState).toEqual(["unreviewed"]);
  });
  it("decides nothing when no level is on that side", () => {
    expect(judgeDecideFilter({}, JUDGE, [])).toBeNull();
  });
});
