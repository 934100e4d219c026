import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { agreedLabels, agreementFigures, labelCategory, type Rating } from "./agreement";

/** Rows of a reliability data matrix (observer × unit, "." missing) as ratings. */
function table(rows: Record<string, string>): Rating[] {
  const out: Rating[] = [];
  for (const [coder, line] of Object.entries(rows)) {
    line.split(" ").forEach((v, i) => out.push({ unit: `u${i + 1}`, coder, value: v === "." ? null : v }));
  }
  return out;
}

describe("Krippendorff's alpha (nominal)", () => {
  it("matches Krippendorff 2011, section C: four observers, 12 units, missing values: α = 0.743", () => {
    // The paper's worked example. Unit 12 has one value and is not pairable, so n = 40
    // pairable values; the paper prints α = 0.743.
    const f = agreementFigures(
      table({
        A: "1 2 3 3 2 1 4 1 2 . . .",
        B: "1 2 3 3 2 2 4 1 2 5 . 3",
        C: ". 3 3 3 2 3 4 2 2 5 1 .",
        D: "1 2 3 3 2 4 4 1 2 5 1 .",
      }),
    );
    expect(f.units).toBe(11);
    expect(f.alpha).toBeCloseTo(0.743, 3);
    expect(f.kappa).toBeNull(); // four people: kappa only per pair
    expect(f.matrix).toHaveLength(6);
    expect(f.disagreements).toEqual(["u2", "u6", "u8"]);
  });

  it("matches Krippendorff 2011, section A: two observers, binary data: α = 0.095", () => {
    const f = agreementFigures(table({ A: "0 1 0 0 0 0 0 0 1 0", B: "1 1 1 0 0 1 0 0 0 0" }));
    expect(f.alpha).toBeCloseTo(0.095, 3);
    expect(f.percent).toBeCloseTo(0.6, 10);
    expect(f.disagreements).toEqual(["u1", "u3", "u6", "u9"]);
  });

  it("is undefined when everyone used one value, and null with nothing pairable", () => {
    expect(agreementFigures(table({ A: "1 1 1", B: "1 1 1" })).alpha).toBeNull();
    expect(agreementFigures(table({ A: "1 . 2", B: ". 1 ." }))).toMatchObject({ units: 0, alpha: null, percent: null, kappa: null, matrix: [] });
  });
});

describe("Cohen's kappa", () => {
  it("matches the textbook 2×2 example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no → κ = 0.4", () => {
    // po = 35/50 = 0.7; A says yes 25/50, B 30/50: pe = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.2/0.5.
    const ratings: Rating[] = [];
    const add = (n: number, a: string, b: string) => {
      for (let i = 0; i < n; i++) {
        const unit = `u${ratings.length}`;
        ratings.push({ unit, coder: "A", value: a }, { unit, coder: "B", value: b });
      }
    };
    add(20, "yes", "yes");
    add(5, "yes", "no");
    add(10, "no", "yes");
    add(15, "no", "no");
    const f = agreementFigures(ratings);
    expect(f.kappa).toBeCloseTo(0.4, 10);
    expect(f.percent).toBeCloseTo(0.7, 10);
    expect(f.matrix).toEqual([{ a: "A", b: "B", n: 50, agree: 35, percent: 0.7, kappa: expect.closeTo(0.4, 10) }]);
    expect(f.disagreements).toHaveLength(15);
  });

  it("per pair counts only the records both people answered", () => {
    const f = agreementFigures(table({ A: "x y x .", B: "x y . y", C: ". . y y" }));
    const pair = (a: string, b: string) => f.matrix.find((p) => p.a === a && p.b === b);
    expect(pair("A", "B")).toMatchObject({ n: 2, agree: 2, percent: 1 });
    expect(pair("A", "C")).toMatchObject({ n: 1, agree: 0, percent: 0 });
    expect(pair("B", "C")).toMatchObject({ n: 1, agree: 1, percent: 1 });
    // Pairs over all units: u1 (A,B) agree, u2 agree, u3 (A,C) differ, u4 (B,C) agree.
    expect(f.percent).toBeCloseTo(3 / 4, 10);
  });
});

describe("labelCategory", () => {
  it("reads a multi choice as a set and an unset label as missing", () => {
    expect(labelCategory(["b", "a"])).toBe(labelCategory(["a", "b"]));
    expect(labelCategory([])).toBeNull();
    expect(labelCategory("")).toBeNull();
    expect(labelCategory(undefined)).toBeNull();
    expect(labelCategory(4)).toBe("4");
  });
});

/** The figures straight from their definitions, slowly: every record's values, every pair. */
function byDefinition(ratings: readonly Rating[]) {
  const units = new Map<string | number, { coder: string; value: string }[]>();
  for (const r of ratings) if (r.value !== null) units.set(r.unit, [...(units.get(r.unit) ?? []), { coder: r.coder, value: r.value }]);
  const pairable = [...units].filter(([, vs]) => vs.length >= 2);
  let pairs = 0;
  let agree = 0;
  const o = new Map<string, number>(); // "c|k" -> coincidences
  const perPair = new Map<string, [string, string][]>(); // "a|b" (a < b) -> [a's value, b's value]
  for (const [, vs] of pairable) {
    for (let i = 0; i < vs.length; i++) {
      for (let j = 0; j < vs.length; j++) {
        if (i === j) continue;
        o.set(`${vs[i].value}|${vs[j].value}`, (o.get(`${vs[i].value}|${vs[j].value}`) ?? 0) + 1 / (vs.length - 1));
        if (j < i) continue;
        pairs++;
        if (vs[i].value === vs[j].value) agree++;
        const [x, y] = vs[i].coder < vs[j].coder ? [vs[i], vs[j]] : [vs[j], vs[i]];
        perPair.set(`${x.coder}|${y.coder}`, [...(perPair.get(`${x.coder}|${y.coder}`) ?? []), [x.value, y.value]]);
      }
    }
  }
  const values = [...new Set(ratings.flatMap((r) => (r.value === null ? [] : [r.value])))];
  const nc = (c: string) => values.reduce((s, k) => s + (o.get(`${c}|${k}`) ?? 0), 0);
  const n = values.reduce((s, c) => s + nc(c), 0);
  let observed = 0;
  let expected = 0;
  for (const c of values) for (const k of values) if (c !== k) (observed += o.get(`${c}|${k}`) ?? 0), (expected += nc(c) * nc(k));
  const kappa = (pv: [string, string][]) => {
    const po = pv.filter(([a, b]) => a === b).length / pv.length;
    const pe = values.reduce((s, c) => s + (pv.filter(([a]) => a === c).length / pv.length) * (pv.filter(([, b]) => b === c).length / pv.length), 0);
    return pe < 1 - 1e-12 ? (po - pe) / (1 - pe) : null;
  };
  return {
    units: pairable.length,
    pairs,
    percent: pairs ? agree / pairs : null,
    alpha: pairable.length && expected > 0 ? 1 - ((n - 1) * observed) / expected : null,
    coders: [...new Set(ratings.flatMap((r) => (r.value === null ? [] : [r.coder])))].sort(),
    matrix: [...perPair.keys()].sort().map((key) => {
      const [a, b] = key.split("|");
      const pv = perPair.get(key)!;
      return { a, b, n: pv.length, agree: pv.filter(([x, y]) => x === y).length, kappa: kappa(pv) };
    }),
    disagreements: [...units.keys()].filter((u) => new Set(units.get(u)!.map((v) => v.value)).size > 1),
  };
}

describe("the counting over typed arrays", () => {
  it("equals the figures counted from their definitions on random answers (1-5 people per record, values missing)", () => {
    const random = mulberry32(7);
    for (let round = 0; round < 40; round++) {
      const ratings: Rating[] = [];
      const people = ["P", "Q", "R", "S", "T"].slice(0, 2 + (round % 4));
      const values = ["x", "y", "z", "w"].slice(0, 2 + (round % 3));
      for (let u = 0; u < 60; u++) {
        for (const coder of people) {
          if (random() < 0.4) continue;
          ratings.push({ unit: `u${u}`, coder, value: random() < 0.1 ? null : values[Math.floor(random() * (random() < 0.6 ? 1 : values.length))] });
        }
      }
      ratings.sort(() => random() - 0.5);
      const want = byDefinition(ratings);
      const got = agreementFigures(ratings);
      expect(got).toMatchObject({ units: want.units, pairs: want.pairs, coders: want.coders });
      expect(new Set(got.disagreements)).toEqual(new Set(want.disagreements));
      expect(got.percent).toBeCloseTo(want.percent!, 12);
      if (want.alpha === null) expect(got.alpha).toBeNull();
      else expect(got.alpha).toBeCloseTo(want.alpha, 12);
      expect(got.kappa === null).toBe(want.coders.length !== 2 || want.matrix.length !== 1);
      expect(got.matrix.map((m) => [m.a, m.b, m.n, m.agree])).toEqual(want.matrix.map((m) => [m.a, m.b, m.n, m.agree]));
      got.matrix.forEach((m, i) => (want.matrix[i].kappa === null ? expect(m.kappa).toBeNull() : expect(m.kappa).toBeCloseTo(want.matrix[i].kappa!, 12)));
    }
  });

  it("gives the same figures whatever order the answers come in (people in name order)", () => {
    const ratings = table({ C: "1 2 1 . 2", A: "1 1 1 2 2", B: ". 2 2 2 1" });
    const reversed = agreementFigures([...ratings].reverse());
    const { disagreements: _, ...figures } = agreementFigures(ratings);
    expect(reversed).toMatchObject(figures);
    expect(figures.coders).toEqual(["A", "B", "C"]);
    expect(figures.matrix.map((m) => `${m.a}${m.b}`)).toEqual(["AB", "AC", "BC"]);
  });
});

describe("agreedLabels: what goes to the record once everyone decided", () => {
  const questions = ["quality", "topics", "stars", "note"];
  it("keeps the questions everyone answered alike (a multi choice as a set), leaves out the rest", () => {
    const a = { quality: "good", topics: ["sea", "sky"], stars: 4, note: "fine" };
    const b = { quality: "bad", topics: ["sky", "sea"], stars: 4 };
    expect(agreedLabels(questions, [a, b])).toEqual({ topics: ["sea", "sky"], stars: 4 });
  });
  it("takes one reviewer's values as they are, and nothing from no reviewer", () => {
    expect(agreedLabels(questions, [{ quality: "good", note: "fine" }])).toEqual({ quality: "good", note: "fine" });
    expect(agreedLabels(questions, [])).toEqual({});
  });
  it("ignores values for questions the schema no longer has", () => {
    expect(agreedLabels(["quality"], [{ quality: "good", gone: "x" }, { quality: "good", gone: "x" }])).toEqual({ quality: "good" });
  });
});
