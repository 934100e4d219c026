import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { attemptsStillNeeded, canTargetGood, defaultThresholds, isGoodRecord, meetsThreshold, shouldLaunch, yieldIsZero, YIELD_PROBE_ATTEMPTS } from "./target";

describe("isGoodRecord", () => {
  const target = { thresholds: { quality: { simple: { min: 4 }, verdict: { accept: ["pass"] } } } };
  const rec = (simple: unknown, verdict: unknown, extra: Partial<{ status: "succeeded" | "failed"; rejected: boolean }> = {}) => ({
    status: "succeeded" as const,
    rejected: false,
    ...extra,
    values: { story: "x", quality: { simple: { score: simple, reason: "r" }, verdict: { score: verdict, reason: "r" } } },
  });
  it("needs every criterion at its threshold", () => {
    expect(isGoodRecord(rec(4, "pass"), target)).toBe(true);
    expect(isGoodRecord(rec(5, "pass"), target)).toBe(true);
    expect(isGoodRecord(rec(3, "pass"), target)).toBe(false);
    expect(isGoodRecord(rec(5, "fail"), target)).toBe(false);
  });
  it("is never good when failed or rejected, or when the judge's value is missing", () => {
    expect(isGoodRecord(rec(5, "pass", { status: "failed" }), target)).toBe(false);
    expect(isGoodRecord(rec(5, "pass", { rejected: true }), target)).toBe(false);
    expect(isGoodRecord({ status: "succeeded", rejected: false, values: {} }, target)).toBe(false);
  });
  it("with no thresholds, good = succeeded and not rejected", () => {
    expect(isGoodRecord(rec(1, "fail"), { thresholds: {} })).toBe(true);
  });
  it("a score of the wrong type never meets a numeric bar", () => {
    expect(meetsThreshold("5", { min: 4 })).toBe(false);
    expect(meetsThreshold(undefined, undefined)).toBe(true);
  });
});

/**
 * The launching loop, simulated: attempts finish in random order (random latencies), each
 * good with probability `yieldP`; good ones beyond the target count as waste, as do attempts
 * finishing after the target was reached.
 */
function simulate(target: number, yieldP: number, concurrency: number, seed: number, cap = target * 10) {
  const rand = mulberry32(seed);
  type Attempt = { doneAt: number; good: boolean };
  const inFlight: Attempt[] = [];
  let now = 0;
  let good = 0;
  let finished = 0;
  let goodFinished = 0;
  let launched = 0;
  let afterTarget = 0;
  for (;;) {
    while (inFlight.length < concurrency && launched < cap && shouldLaunch({ target, good, finished, goodFinished, inFlight: inFlight.length })) {
      inFlight.push({ doneAt: now + 1 + rand() * 2, good: rand() < yieldP });
      launched++;
    }
    if (inFlight.length === 0) break;
    inFlight.sort((a, b) => a.doneAt - b.doneAt);
    const a = inFlight.shift()!;
    now = a.doneAt;
    if (good >= target) afterTarget++;
    finished++;
    if (a.good) {
      goodFinished++;
      if (good < target) good++;
    }
  }
  return { good, launched, afterTarget };
}

describe("shouldLaunch (the stopping rule)", () => {
  it("ends with exactly the target and wastes at most 1% at a 40% yield, concurrency 64 (the issue asks 5%; launching blindly until N wastes about 3%)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = simulate(2000, 0.4, 64, seed);
      expect(r.good).toBe(2000);
      expect(r.afterTarget / 2000, `seed ${seed}: ${r.afterTarget}`).toBeLessThanOrEqual(0.01);
    }
  });
  it("ends with exactly the target across yields from 5% to 100%", () => {
    for (const p of [0.05, 0.2, 0.7, 1]) {
      const r = simulate(300, p, 64, 7, 300 * 100);
      expect(r.good).toBe(300);
      // The tail's waste does not grow with the target: it is the spread of what is in flight
      // once the need fits under the concurrency, about sqrt(concurrency) / yield records.
      expect(r.afterTarget, `yield ${p}`).toBeLessThanOrEqual(Math.sqrt(64) / p);
    }
  });
  it("at 100% yield launches exactly the target", () => {
    expect(simulate(500, 1, 64, 9).launched).toBe(500);
  });
  it("before anything finished, launches no more than the target", () => {
    expect(shouldLaunch({ target: 3, good: 0, finished: 0, goodFinished: 0, inFlight: 2 })).toBe(true);
    expect(shouldLaunch({ target: 3, good: 0, finished: 0, goodFinished: 0, inFlight: 3 })).toBe(false);
  });
  it("counts what is in flight at the observed yield", () => {
    // 40% yield: 10 in flight bring 4, need 5 -> launch; 13 bring 5.2 -> stop.
    expect(shouldLaunch({ target: 10, good: 5, finished: 10, goodFinished: 4, inFlight: 12 })).toBe(true);
    expect(shouldLaunch({ target: 10, good: 5, finished: 10, goodFinished: 4, inFlight: 13 })).toBe(false);
    expect(shouldLaunch({ target: 10, good: 10, finished: 30, goodFinished: 10, inFlight: 0 })).toBe(false);
  });
  it("stops at the cap when the yield is too low to reach the target", () => {
    const r = simulate(100, 0.05, 64, 3, 1000);
    expect(r.launched).toBe(1000);
    expect(r.good).toBeLessThan(100);
  });
});

describe("yield rule and estimate", () => {
  it("yield 0 over the first 200 finished attempts", () => {
    expect(yieldIsZero({ finished: YIELD_PROBE_ATTEMPTS - 1, goodFinished: 0 })).toBe(false);
    expect(yieldIsZero({ finished: YIELD_PROBE_ATTEMPTS, goodFinished: 0 })).toBe(true);
    expect(yieldIsZero({ finished: 5000, goodFinished: 1 })).toBe(false);
  });
  it("attempts still needed from the yield so far", () => {
    expect(attemptsStillNeeded({ target: 100, good: 40, finished: 100, goodFinished: 40 })).toBe(150);
    expect(attemptsStillNeeded({ target: 100, good: 0, finished: 0, goodFinished: 0 })).toBeNull();
    expect(attemptsStillNeeded({ target: 100, good: 100, finished: 250, goodFinished: 100 })).toBe(0);
  });
});

describe("launch form defaults", () => {
  const judge = (levels: (number | string)[]) => ({
    id: "j",
    kind: "judge" as const,
    name: "quality",
    over: [],
    model: "m",
    params: {},
    criteria: [{ name: "c", description: "", levels: levels.map((value) => ({ value, description: "" })) }],
  });
  it("numeric levels need the second best score, word levels accept the first listed", () => {
    expect(defaultThresholds({ fields: [judge([1, 2, 3, 4, 5])] })).toEqual({ quality: { c: { min: 4 } } });
    expect(defaultThresholds({ fields: [judge(["pass", "fail"])] })).toEqual({ quality: { c: { accept: ["pass"] } } });
    expect(defaultThresholds({ fields: [judge([0])] })).toEqual({ quality: { c: { min: 0 } } });
  });
  it("a target needs a judge or a reject validator", () => {
    expect(canTargetGood({ fields: [judge([1, 2])] })).toBe(true);
    expect(canTargetGood({ fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 2, integer: true }] })).toBe(false);
  });
});
