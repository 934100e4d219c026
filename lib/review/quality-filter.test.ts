import { describe, expect, test } from "vitest";
import { qualityChips, qualityChoiceOf, qualityChoices, withQualityChoice } from "./quality-filter";

describe("the grid's quality filter menu", () => {
  test("offers only what the dataset can match", () => {
    expect(qualityChoices({ validators: [], duplicates: false, contamination: false })).toEqual([]);
    expect(qualityChoices({ validators: ["short"], duplicates: true, contamination: false }).map((c) => c.value)).toEqual([
      "anyFailed",
      "failing:short",
      "rejected",
      "duplicate",
      "unique",
    ]);
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
