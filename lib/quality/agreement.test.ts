import { describe, expect, it } from "vitest";
import {
  agreementOf,
  agreementSentence,
  comparableClasses,
  confusionMatrix,
  decisionConfusion,
  labelConfusion,
  levelsByVerdict,
  thresholdText,
  wilson,
  worstFirst,
} from "./agreement";

const FIVE = { levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: "" })) };
const PASS_FAIL = { levels: ["pass", "fail"].map((value) => ({ value, description: "" })) };

describe("confusionMatrix", () => {
  it("adds counted pairs into judge rows × human columns and leaves out unknown classes", () => {
    const m = confusionMatrix(
      [
        { judge: "good", human: "good", n: 20 },
        { judge: "good", human: "bad", n: 5 },
        { judge: "bad", human: "good", n: 4 },
        { judge: "bad", human: "good", n: 6 },
        { judge: "bad", human: "bad", n: 15 },
        { judge: "maybe", human: "bad", n: 99 },
      ],
      ["good", "bad"],
    );
    expect(m).toEqual({ classes: ["good", "bad"], counts: [[20, 5], [10, 15]], n: 50 });
  });
});

describe("agreementOf", () => {
  // [[20, 5], [10, 15]], n = 50. po = 35/50 = 0.7. Judge rows 25 | 25, human columns 30 | 20:
  // pe = (25·30 + 25·20) / 2500 = 0.5, kappa = (0.7 - 0.5) / 0.5 = 0.4.
  // SE = sqrt(0.7·0.3 / (50·0.25)) = sqrt(0.0168) = 0.129615; ± 1.96·SE = ± 0.254043.
  // Wilson(35, 50): centre (0.7 + 1.9208/50) / (1 + 3.8415/50) = 0.685730, half 0.123236.
  const m = { classes: ["good", "bad"], counts: [[20, 5], [10, 15]], n: 50 };
  const a = agreementOf(m);
  it("accuracy and kappa match hand-computed values", () => {
    expect(a.n).toBe(50);
    expect(a.agree).toBe(35);
    expect(a.accuracy).toBeCloseTo(0.7, 10);
    expect(a.kappa).toBeCloseTo(0.4, 10);
  });
  it("intervals match hand-computed values", () => {
    expect(a.kappaCi!.low).toBeCloseTo(0.145957, 4);
    expect(a.kappaCi!.high).toBeCloseTo(0.654043, 4);
    expect(a.accuracyCi!.low).toBeCloseTo(0.562494, 4);
    expect(a.accuracyCi!.high).toBeCloseTo(0.808966, 4);
  });
  it("three classes: kappa from the diagonal and the marginals", () => {
    // [[10,2,0],[3,8,1],[0,1,5]] n=30, po = 23/30. Rows 12,12,6; columns 13,11,6.
    // pe = (12·13 + 12·11 + 6·6) / 900 = 324/900 = 0.36; kappa = (23/30 - 0.36) / 0.64.
    const k = agreementOf({ classes: ["1", "2", "3"], counts: [[10, 2, 0], [3, 8, 1], [0, 1, 5]], n: 30 });
    expect(k.kappa).toBeCloseTo((23 / 30 - 0.36) / 0.64, 10);
  });
  it("no records: no figures; one class used by everyone: accuracy but no kappa", () => {
    expect(agreementOf({ classes: ["a", "b"], counts: [[0, 0], [0, 0]], n: 0 })).toMatchObject({ accuracy: null, kappa: null, accuracyCi: null });
    const all = agreementOf({ classes: ["a", "b"], counts: [[7, 0], [0, 0]], n: 7 });
    expect(all.accuracy).toBe(1);
    expect(all.kappa).toBeNull();
    expect(all.kappaCi).toBeNull();
  });
  it("kappa below chance is negative and its interval stays within [-1, 1]", () => {
    const k = agreementOf({ classes: ["a", "b"], counts: [[0, 3], [3, 0]], n: 6 });
    expect(k.kappa).toBeCloseTo(-1, 10);
    expect(k.kappaCi!.low).toBeGreaterThanOrEqual(-1);
  });
});

describe("wilson", () => {
  it("stays inside [0, 1] at the ends and is null without trials", () => {
    // Wilson(0, 10): centre = (z²/20) / (1 + z²/10) = 0.192073/1.384146 = 0.138768 = half.
    const w = wilson(0, 10)!;
    expect(w.low).toBe(0);
    expect(w.high).toBeCloseTo(0.277533, 4);
    expect(wilson(10, 10)!.high).toBe(1);
    expect(wilson(0, 0)).toBeNull();
  });
});

describe("decisionConfusion", () => {
  it("judge good = meets the threshold; unreviewed, unscored and unknown scores are left out", () => {
    const m = decisionConfusion(
      [
        { score: "5", state: "accepted", n: 3 },
        { score: "4", state: "rejected", n: 2 },
        { score: "3", state: "accepted", n: 1 },
        { score: "1", state: "rejected", n: 4 },
        { score: "2", state: "unreviewed", n: 50 },
        { score: null, state: "accepted", n: 7 },
        { score: "9", state: "accepted", n: 8 },
      ],
      FIVE,
      { min: 4 },
    );
    expect(m.counts).toEqual([[3, 2], [1, 4]]);
    expect(m.n).toBe(10);
  });
  it("word levels: accept lists the good ones", () => {
    const m = decisionConfusion(
      [
        { score: "pass", state: "accepted", n: 2 },
        { score: "fail", state: "accepted", n: 1 },
      ],
      PASS_FAIL,
      { accept: ["pass"] },
    );
    expect(m.counts).toEqual([[2, 0], [1, 0]]);
  });
});

describe("comparableClasses", () => {
  it("a single-choice label with exactly the levels as options", () => {
    expect(comparableClasses(PASS_FAIL, { name: "ok", kind: "single", options: ["fail", "pass"] })).toEqual(["pass", "fail"]);
    expect(comparableClasses(PASS_FAIL, { name: "ok", kind: "single", options: ["pass", "fail", "unsure"] })).toBeNull();
  });
  it("a rating label when every level is 1..5", () => {
    expect(comparableClasses(FIVE, { name: "stars", kind: "rating" })).toEqual(["1", "2", "3", "4", "5"]);
    expect(comparableClasses({ levels: [{ value: 0, description: "" }, { value: 1, description: "" }] }, { name: "stars", kind: "rating" })).toBeNull();
    expect(comparableClasses(FIVE, { name: "n", kind: "note" })).toBeNull();
  });
  it("labelConfusion leaves out records without a label value", () => {
    const m = labelConfusion([{ score: "pass", label: "pass", n: 2 }, { score: "fail", label: null, n: 9 }, { score: "fail", label: "pass", n: 1 }], ["pass", "fail"]);
    expect(m.counts).toEqual([[2, 0], [1, 0]]);
  });
});

describe("worstFirst", () => {
  it("orders by the upper end of the accuracy interval, not the point value", () => {
    const row = (name: string, agree: number, n: number) => ({ name, agreement: agreementOf({ classes: ["a", "b"], counts: [[agree, n - agree], [0, 0]], n }) });
    // 0 of 2 has accuracy 0 but could be 66% good; 100 of 300 is surely poor.
    const rows = worstFirst([row("few", 0, 2), row("many", 100, 300), row("fine", 290, 300)]);
    expect(rows.map((r) => r.name)).toEqual(["many", "few", "fine"]);
  });
});

describe("agreementSentence", () => {
  it("states the figures with their count and intervals, or asks for reviews first", () => {
    const a = agreementOf({ classes: ["good", "bad"], counts: [[20, 5], [10, 15]], n: 50 });
    expect(agreementSentence(a)).toBe("On 50 records people decided, the judge agreed 70% of the time (95% interval 56%–81%), kappa 0.40 (0.15–0.65).");
    expect(agreementSentence(agreementOf({ classes: ["a"], counts: [[0]], n: 0 }))).toBe("Review some records first: agreement needs human decisions.");
  });
});

describe("levelsByVerdict", () => {
  it("splits numeric levels at a minimum, in rubric order", () => {
    expect(levelsByVerdict([1, 2, 3, 4, 5], { min: 4 })).toEqual({ good: [4, 5], bad: [1, 2, 3] });
  });
  it("splits word levels by the accepted ones", () => {
    expect(levelsByVerdict(["pass", "fail"], { accept: ["pass"] })).toEqual({ good: ["pass"], bad: ["fail"] });
  });
  it("counts every level good without a threshold", () => {
    expect(levelsByVerdict([1, 2], undefined)).toEqual({ good: [1, 2], bad: [] });
  });
});

describe("thresholdText", () => {
  it("names the bar", () => {
    expect(thresholdText({ min: 4 })).toBe("score at least 4");
    expect(thresholdText({ accept: ["pass", "maybe"] })).toBe("pass or maybe");
    expect(thresholdText(undefined)).toBe("any score");
  });
});
