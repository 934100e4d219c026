import { describe, expect, it } from "vitest";
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
