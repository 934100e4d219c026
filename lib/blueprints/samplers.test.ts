import { describe, expect, it } from "vitest";
import { rngFor } from "./rng";
import {
  drawDistinct,
  pickWeighted,
  sampleCategory,
  sampleNumber,
  sampleRecord,
  sampleSubset,
  seedRowIndex,
} from "./samplers";
import type { Blueprint, CategoryField, Field, NumberField, SubsetField } from "./schema";

const category = (name: string, options: [string, number][], extra: Partial<CategoryField> = {}): CategoryField => ({
  id: name,
  name,
  kind: "category",
  options: options.map(([value, weight]) => ({ value, weight })),
  ...extra,
});
const subset = (name: string, options: string[], k: number): SubsetField => ({ id: name, name, kind: "subset", options, k });
const number = (name: string, min: number, max: number, integer: boolean, decimals?: number): NumberField => ({
  id: name,
  name,
  kind: "number",
  min,
  max,
  integer,
  decimals,
});
const bp = (...fields: Field[]): Blueprint => ({ fields });

describe("category", () => {
  it("matches the weights over many draws", () => {
    const field = category("c", [
      ["a", 1],
      ["b", 2],
      ["c", 7],
      ["never", 0],
    ]);
    const n = 20_000;
    const counts: Record<string, number> = {};
    for (let r = 0; r < n; r++) {
      const v = sampleCategory(field, rngFor(1, r, "c"))!;
      counts[v] = (counts[v] ?? 0) + 1;
    }
    expect(counts.never).toBeUndefined();
    // Chi-square with 2 degrees of freedom; 13.8 is the 0.1% critical value.
    const expected = { a: 0.1 * n, b: 0.2 * n, c: 0.7 * n };
    const chi2 = Object.entries(expected).reduce((s, [k, e]) => s + (counts[k] - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(13.8);
  });

  it("uses the conditional list for the parent's value and falls back to options", () => {
    const field = category("sub", [["fallback", 1]], {
      dependsOn: "topic",
      conditionalOptions: { math: [{ value: "algebra", weight: 1 }] },
    });
    for (let r = 0; r < 50; r++) {
      expect(sampleCategory(field, rngFor(1, r, "sub"), "math")).toBe("algebra");
      expect(sampleCategory(field, rngFor(1, r, "sub"), "art")).toBe("fallback");
    }
  });

  it("treats a number parent by its string form", () => {
    const field = category("x", [["other", 1]], { dependsOn: "n", conditionalOptions: { "3": [{ value: "three", weight: 1 }] } });
    expect(sampleCategory(field, rngFor(1, 0, "x"), 3)).toBe("three");
  });

  it("degrades gracefully on invalid input", () => {
    expect(pickWeighted([], () => 0.5)).toBeNull();
    expect(["a", "b"]).toContain(
      pickWeighted(
        [
          { value: "a", weight: 0 },
          { value: "b", weight: 0 },
        ],
        () => 0.7,
      ),
    );
    expect(pickWeighted([{ value: "a", weight: 1 }], () => 0.9999999999)).toBe("a");
  });
});

describe("subset", () => {
  it("has k distinct options, in varying order", () => {
    const field = subset("s", ["a", "b", "c", "d", "e"], 3);
    const firsts = new Set<string>();
    for (let r = 0; r < 500; r++) {
      const v = sampleSubset(field, rngFor(2, r, "s"));
      expect(v).toHaveLength(3);
      expect(new Set(v).size).toBe(3);
      for (const x of v) expect(field.options).toContain(x);
      firsts.add(v[0]);
    }
    expect(firsts.size).toBe(5);
  });

  it("picks each option about equally often", () => {
    const field = subset("s", ["a", "b", "c", "d"], 2);
    const counts: Record<string, number> = {};
    const n = 10_000;
    for (let r = 0; r < n; r++) for (const x of sampleSubset(field, rngFor(3, r, "s"))) counts[x] = (counts[x] ?? 0) + 1;
    for (const c of Object.values(counts)) expect(Math.abs(c - n / 2)).toBeLessThan(n * 0.03);
  });

  it("clamps k to the available options and does not mutate the input", () => {
    const options = ["a", "b"];
    expect(drawDistinct(options, 5, rngFor(1, 1, "x")).sort()).toEqual(["a", "b"]);
    expect(drawDistinct(options, 0, rngFor(1, 1, "x"))).toEqual([]);
    expect(options).toEqual(["a", "b"]);
  });
});

describe("number", () => {
  it("includes both integer bounds", () => {
    const field = number("n", 1, 3, true);
    const seen = new Set<number>();
    for (let r = 0; r < 500; r++) {
      const v = sampleNumber(field, rngFor(1, r, "n"));
      expect(Number.isInteger(v)).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it("handles min = max and negative ranges", () => {
    expect(sampleNumber(number("n", 5, 5, true), rngFor(1, 0, "n"))).toBe(5);
    for (let r = 0; r < 100; r++) {
      const v = sampleNumber(number("n", -3, -1, true), rngFor(1, r, "n"));
      expect(v).toBeGreaterThanOrEqual(-3);
      expect(v).toBeLessThanOrEqual(-1);
    }
  });

  it("rounds floats to `decimals` (default 2) and stays in range", () => {
    for (let r = 0; r < 500; r++) {
      const v = sampleNumber(number("n", 0, 1, false), rngFor(1, r, "n"));
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
      expect(Math.round(v * 100) / 100).toBe(v);
      const w = sampleNumber(number("n", 0.001, 0.009, false, 0), rngFor(1, r, "n"));
      expect(w).toBeGreaterThanOrEqual(0.001);
      expect(w).toBeLessThanOrEqual(0.009);
    }
    const one = sampleNumber(number("n", 10, 20, false, 1), rngFor(9, 9, "n"));
    expect(Math.round(one * 10) / 10).toBe(one);
  });
});

describe("seedRowIndex", () => {
  it("is sequential modulo the row count", () => {
    expect([0, 1, 2, 3, 4].map((r) => seedRowIndex(1, r, "t", 3, "sequential"))).toEqual([0, 1, 2, 0, 1]);
  });

  it("is random but deterministic and in range", () => {
    const rows = Array.from({ length: 200 }, (_, r) => seedRowIndex(1, r, "t", 10, "random"));
    expect(rows).toEqual(Array.from({ length: 200 }, (_, r) => seedRowIndex(1, r, "t", 10, "random")));
    expect(new Set(rows).size).toBe(10);
    for (const x of rows) expect(x >= 0 && x < 10).toBe(true);
    const otherTable = Array.from({ length: 200 }, (_, r) => seedRowIndex(1, r, "u", 10, "random"));
    expect(otherTable).not.toEqual(rows);
  });

  it("returns -1 for an empty table", () => {
    expect(seedRowIndex(1, 0, "t", 0, "random")).toBe(-1);
    expect(seedRowIndex(1, 0, "t", 0, "sequential")).toBe(-1);
  });
});

describe("sampleRecord", () => {
  const blueprint = bp(
    category("topic", [
      ["math", 1],
      ["art", 1],
    ]),
    category("sub", [], {
      dependsOn: "topic",
      conditionalOptions: { math: [{ value: "algebra", weight: 1 }], art: [{ value: "painting", weight: 1 }] },
    }),
    subset("tags", ["x", "y", "z"], 2),
    number("n", 1, 100, true),
    { id: "q", name: "question", kind: "seed", seedTableId: "T", column: "q", order: "random" },
    { id: "a", name: "answer", kind: "seed", seedTableId: "T", column: "a", order: "random" },
    { id: "e", name: "expr", kind: "expression", template: "{{ topic }}" },
  );

  it("returns sampler values in field order, skipping other kinds", () => {
    const v = sampleRecord(blueprint, { seed: 1, recordIndex: 0, seedRows: { T: { q: "2+2?", a: "4" } } });
    expect(Object.keys(v)).toEqual(["topic", "sub", "tags", "n", "question", "answer"]);
    expect(v.sub).toBe(v.topic === "math" ? "algebra" : "painting");
    expect(v.question).toBe("2+2?");
    expect(v.answer).toBe("4");
  });

  it("respects the parent for every record", () => {
    for (let r = 0; r < 200; r++) {
      const v = sampleRecord(blueprint, { seed: 5, recordIndex: r });
      expect(v.sub).toBe(v.topic === "math" ? "algebra" : "painting");
    }
  });

  it("gives seed fields null when their row is missing", () => {
    const v = sampleRecord(blueprint, { seed: 1, recordIndex: 0, seedRows: {} });
    expect(v.question).toBeNull();
    const w = sampleRecord(blueprint, { seed: 1, recordIndex: 0, seedRows: { T: { q: "only q" } } });
    expect(w.answer).toBeNull();
  });

  it("is deterministic by seed", () => {
    const run = (seed: number) => Array.from({ length: 50 }, (_, r) => sampleRecord(blueprint, { seed, recordIndex: r }));
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it("keeps a field's draws when unrelated fields are added or reordered", () => {
    const n = number("n", 1, 1000, true);
    const t = subset("tags", ["a", "b", "c", "d"], 2);
    const alone = Array.from({ length: 20 }, (_, r) => sampleRecord(bp(n, t), { seed: 3, recordIndex: r }));
    const more = Array.from({ length: 20 }, (_, r) =>
      sampleRecord(bp(category("new", [["x", 1], ["y", 1]]), t, number("other", 0, 5, true), n), { seed: 3, recordIndex: r }),
    );
    expect(more.map((v) => v.n)).toEqual(alone.map((v) => v.n));
    expect(more.map((v) => v.tags)).toEqual(alone.map((v) => v.tags));
  });
});
