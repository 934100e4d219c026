import { describe, expect, it } from "vitest";
import { progressText, shareCount, splitAssignments } from "./assignment";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);

describe("splitAssignments", () => {
  it("gives every record k distinct people and everyone an even share", () => {
    for (const [records, people, k] of [[20, 2, 2], [20, 3, 2], [41, 4, 3], [7, 5, 1], [100, 7, 4]] as const) {
      const users = ids(people).map((x) => `u${x}`);
      const pairs = splitAssignments(ids(records), users, k);
      expect(pairs).toHaveLength(records * k);
      const byRecord = new Map<string, Set<string>>();
      for (const p of pairs) byRecord.set(p.recordId, (byRecord.get(p.recordId) ?? new Set()).add(p.userId));
      for (const s of byRecord.values()) expect(s.size).toBe(k);
      const load = users.map((u) => pairs.filter((p) => p.userId === u).length);
      expect(Math.max(...load) - Math.min(...load)).toBeLessThanOrEqual(1);
      expect(load.reduce((a, b) => a + b, 0)).toBe(records * k);
    }
  });

  it("is deterministic and follows the order given", () => {
    expect(splitAssignments(ids(3), ["a", "b"], 1)).toEqual([
      { recordId: "r0", userId: "a" },
      { recordId: "r1", userId: "b" },
      { recordId: "r2", userId: "a" },
    ]);
    expect(splitAssignments(ids(5), ["a", "b", "c"], 2)).toEqual(splitAssignments(ids(5), ["a", "b", "c"], 2));
  });

  it("refuses an overlap larger than the people chosen, no one, or someone twice", () => {
    expect(() => splitAssignments(ids(3), ["a"], 2)).toThrow(/needs at least 2 annotators; one is chosen/);
    expect(() => splitAssignments(ids(3), [], 1)).toThrow(/at least one/);
    expect(() => splitAssignments(ids(3), ["a", "a"], 1)).toThrow(/twice/);
    expect(() => splitAssignments(ids(3), ["a"], 0)).toThrow(/at least 1/);
  });
});

describe("shareCount", () => {
  it("rounds a percent of the records, at least one, at most all", () => {
    expect(shareCount(200, 25)).toBe(50);
    expect(shareCount(3, 10)).toBe(1);
    expect(shareCount(0, 50)).toBe(0);
    expect(shareCount(7, 100)).toBe(7);
  });
});

it("progressText says how many are decided", () => {
  expect(progressText(12, 40)).toBe("12 of 40 decided");
  expect(progressText(1200, 40000)).toBe("1,200 of 40,000 decided");
});
