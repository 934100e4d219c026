import { describe, expect, test } from "vitest";
import type { Blueprint, Field } from "@/lib/blueprints/schema";
import { compareDistribution, countsOf, targetDistribution, tokenHistogram, tokenSummary, trackedFields } from "./shape";

const cat = (over: Partial<Extract<Field, { kind: "category" }>> = {}): Field => ({
  id: "c", kind: "category", name: "topic",
  options: [{ value: "a", weight: 1 }, { value: "b", weight: 3 }],
  ...over,
});

describe("which fields are counted", () => {
  test("samplers with a target by value, LLM fields by tokens; floats, wide ranges and expressions not at all", () => {
    const bp: Blueprint = {
      fields: [
        cat(),
        { id: "s", kind: "subset", name: "tags", options: ["x", "y"], k: 1 },
        { id: "n", kind: "number", name: "n", min: 1, max: 10, integer: true },
        { id: "w", kind: "number", name: "wide", min: 0, max: 5000, integer: true },
        { id: "f", kind: "number", name: "f", min: 0, max: 1, integer: false },
        { id: "v", kind: "seed", name: "verb", seedTableId: "t", column: "verb", order: "random" },
        { id: "l", kind: "llm", name: "story", system: "", prompt: "", model: "m", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
        { id: "e", kind: "expression", name: "title", template: "x" },
      ],
    };
    expect(trackedFields(bp)).toEqual([
      { name: "topic", kind: "value" },
      { name: "tags", kind: "value" },
      { name: "n", kind: "value" },
      { name: "verb", kind: "value" },
      { name: "story", kind: "tokens" },
    ]);
  });
});

describe("target distribution", () => {
  test("a category's weights, normalised", () => {
    expect(targetDistribution(cat())).toEqual([{ value: "a", share: 0.25 }, { value: "b", share: 0.75 }]);
  });

  test("a dependent category mixes its lists by how often each parent was drawn", () => {
    const f = cat({ dependsOn: "p", conditionalOptions: { x: [{ value: "a", weight: 1 }], y: [{ value: "c", weight: 1 }] } });
    const t = targetDistribution(f, { parentCounts: new Map([["x", 30], ["y", 10], ["z", 60]]) });
    // z has no list of its own: it falls back to the base options (a 1/4, b 3/4).
    const share = Object.fromEntries(t.map((r) => [r.value, r.share]));
    expect(Object.keys(share)).toEqual(["a", "c", "b"]);
    expect(share.a).toBeCloseTo(0.3 + 0.6 * 0.25);
    expect(share.c).toBeCloseTo(0.1);
    expect(share.b).toBeCloseTo(0.6 * 0.75);
  });

  test("subset and integer number are uniform; seed follows the table's values", () => {
    expect(targetDistribution({ id: "s", kind: "subset", name: "s", options: ["x", "y", "z", "w"], k: 2 }).map((t) => t.share)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(targetDistribution({ id: "n", kind: "number", name: "n", min: 3, max: 5, integer: true }).map((t) => t.value)).toEqual(["3", "4", "5"]);
    const seed: Field = { id: "v", kind: "seed", name: "verb", seedTableId: "t", column: "verb", order: "random" };
    expect(targetDistribution(seed, { seedValues: new Map([["run", 3], ["walk", 1]]) })).toEqual([{ value: "run", share: 0.75 }, { value: "walk", share: 0.25 }]);
  });
});

describe("target next to observed", () => {
  test("expected counts on the observed total, coverage, unused values, and unexpected values last", () => {
    const target = [{ value: "a", share: 0.5 }, { value: "b", share: 0.25 }, { value: "c", share: 0.25 }];
    const d = compareDistribution(target, new Map([["a", 6], ["c", 2], ["zz", 2]]));
    expect(d.total).toBe(10);
    expect(d.used).toBe(2);
    expect(d.possible).toBe(3);
    expect(d.unused).toEqual(["b"]);
    expect(d.rows).toEqual([
      { value: "a", observed: 6, expected: 5, observedShare: 0.6, targetShare: 0.5 },
      { value: "b", observed: 0, expected: 2.5, observedShare: 0, targetShare: 0.25 },
      { value: "c", observed: 2, expected: 2.5, observedShare: 0.2, targetShare: 0.25 },
      { value: "zz", observed: 2, expected: 0, observedShare: 0.2, targetShare: 0 },
    ]);
  });

  test("nothing observed: every value unused, no division by zero", () => {
    const d = compareDistribution([{ value: "a", share: 1 }], new Map());
    expect(d).toMatchObject({ used: 0, possible: 1, total: 0, unused: ["a"] });
    expect(d.rows[0].observedShare).toBe(0);
  });
});

describe("token histogram", () => {
  test("merges 8-token buckets into equal bins covering 0 to the longest", () => {
    // Longest bucket starts at 312: 320 tokens / 8 = 40 buckets -> 20 bins of 16.
    const bins = tokenHistogram(new Map([[0, 1], [8, 2], [16, 4], [312, 1]]), 20);
    expect(bins).toHaveLength(20);
    expect(bins[0]).toEqual({ lo: 0, hi: 16, count: 3 });
    expect(bins[1]).toEqual({ lo: 16, hi: 32, count: 4 });
    expect(bins[19]).toEqual({ lo: 304, hi: 320, count: 1 });
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(8);
  });

  test("few buckets stay 8 wide; empty input gives no bins", () => {
    expect(tokenHistogram(new Map([[16, 5]]))).toEqual([
      { lo: 0, hi: 8, count: 0 },
      { lo: 8, hi: 16, count: 0 },
      { lo: 16, hi: 24, count: 5 },
    ]);
    expect(tokenHistogram(new Map())).toEqual([]);
  });

  test("summary takes each bucket at its middle", () => {
    expect(tokenSummary(new Map([[0, 1], [8, 2], [40, 1]]))).toEqual({ records: 4, mean: (4 + 12 * 2 + 44) / 4, median: 12 });
  });
});

test("countsOf picks one kind and field and drops zeros", () => {
  const rows = [
    { kind: "value", field: "topic", value: "a", count: 2 },
    { kind: "value", field: "topic", value: "b", count: 0 },
    { kind: "value", field: "other", value: "a", count: 9 },
    { kind: "review", field: "", value: "accepted", count: 1 },
  ];
  expect([...countsOf(rows, "value", "topic")]).toEqual([["a", 2]]);
  expect([...countsOf(rows, "review")]).toEqual([["accepted", 1]]);
});
