import { describe, expect, test } from "vitest";
import { qualityChips, qualityChoiceOf, qualityChoices, withQualityChoice } from "./quality-filter";

describe("the grid's quality filter menu", () => {
  test("offers only what the dataset can match", () => {
    expect(qualityChoices({ validators: [], duplicates: false, contamination: false, judges: [] })).toEqual([]);
    expect(qualityChoices({ validators: ["short"], duplicates: true, contamination: false, judges: [] }).map((c) => c.value)).toEqual([
      "anyFailed",
      "failing:short",
      "rejected",
      "duplicate",
      "unique",
    ]);
  });

  test("a judge's criterion offers each of its levels, as a filter on the score", () => {
    const choices = qualityChoices({ validators: [], duplicates: false, contamination: false, judges: [{ field: "quality", criterion: "coherent", levels: [1, 2, "n/a"] }] });
    expect(choices.map((c) => c.label)).toEqual(["quality.coherent scored 1", "quality.coherent scored 2", "quality.coherent scored n/a"]);
    const f = withQualityChoice({ duplicate: true }, choices[1].value);
    expect(f).toEqual({ judge: [{ field: "quality", criterion: "coherent", scores: [2] }] });
    expect(qualityChoiceOf(f)).toBe(choices[1].value);
    expect(withQualityChoice(f, choices[2].value).judge![0].scores).toEqual(["n/a"]);
  });

  test("a choice replaces the other quality keys and keeps the rest of the filter", () => {
    const f = withQualityChoice({ reviewState: ["accepted"], duplicate: true, clusterSize: { min: 3 } }, "failing:short");
    expect(f).toEqual({ reviewState: ["accepted"], checks: { failing: ["short"] } });
    expect(qualityChoiceOf(f)).toBe("failing:short");
    expect(withQualityChoice(f, "")).toEqual({ reviewState: ["accepted"] });
    for (const c of ["anyFailed", "rejected", "duplicate", "unique", "contaminated"]) expect(qualityChoiceOf(withQualityChoice({}, c))).toBe(c);
  });

  test("what a link set beyond the menu shows as chips", () => {
    expect(qualityChips({ duplicate: true, clusterSize: { min: 3, max: 3 } })).toEqual([{ key: "clusterSize", label: "clusters of 3" }]);
    expect(qualityChips({ clusterSize: { min: 5 } })[0].label).toBe("clusters of 5 or more");
    expect(qualityChips({ clusterId: "00000000-0000-4000-8000-000000000000" })[0].key).toBe("clusterId");
    expect(qualityChips({ target: "over" })).toEqual([{ key: "target", label: "good records over a run's target" }]);
  });
});
