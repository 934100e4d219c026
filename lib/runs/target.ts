// "N good records" runs (settings.target): which record is good, and when to launch another
// attempt. Pure: the executor (server/executor.ts) calls these as records finish, the
// benchmark and the unit tests drive them with simulated yields.
import type { Blueprint, JudgeField } from "@/lib/blueprints/schema";
import type { TargetSettings, Threshold } from "./schemas";

/**
 * Attempts allowed per good record asked for, unless the user sets a cap. 10× lets a run
 * whose yield is as low as 10% still finish, and bounds what a poor judge threshold can
 * spend at ten times the records asked for; a yield of 0 is stopped far sooner
 * (YIELD_PROBE_ATTEMPTS), and the budget cap applies on top.
 */
export const DEFAULT_ATTEMPTS_PER_GOOD = 10;
/** A run with no good record among its first this-many finished attempts stops (issue 15, "Bad input"). */
export const YIELD_PROBE_ATTEMPTS = 200;

export function defaultAttemptCap(good: number): number {
  return good * DEFAULT_ATTEMPTS_PER_GOOD;
}

export function judgesOf(blueprint: Blueprint): JudgeField[] {
  return blueprint.fields.filter((f): f is JudgeField => f.kind === "judge");
}

/** Whether one criterion's score meets its threshold; a criterion with no threshold does not constrain. */
export function meetsThreshold(score: unknown, threshold: Threshold | undefined): boolean {
  if (!threshold) return true;
  if (threshold.min !== undefined && !(typeof score === "number" && score >= threshold.min)) return false;
  if (threshold.accept !== undefined && !threshold.accept.some((a) => a === score)) return false;
  return true;
}

/**
 * Good: the record succeeded (a judge that never fitted its rubric has failed it), no
 * "reject" validator failed, and every judge criterion with a threshold meets it. A
 * judge's value is `{ criterion: { score, reason } }` under the judge field's name.
 */
export function isGoodRecord(
  rec: { status: "succeeded" | "failed"; rejected: boolean; values: Record<string, unknown> },
  target: Pick<TargetSettings, "thresholds">,
): boolean {
  if (rec.status !== "succeeded" || rec.rejected) return false;
  for (const [judge, criteria] of Object.entries(target.thresholds)) {
    const verdict = rec.values[judge] as Record<string, { score?: unknown } | undefined> | undefined;
    for (const [criterion, threshold] of Object.entries(criteria)) {
      if (!meetsThreshold(verdict?.[criterion]?.score, threshold)) return false;
    }
  }
  return true;
}

/** What the launching loop knows: good records in hand, finished attempts and their good ones, attempts in flight. */
export type TargetState = { target: number; good: number; finished: number; goodFinished: number; inFlight: number };

/** The share of finished attempts that were good; null before any attempt finished. */
export function observedYield(s: Pick<TargetState, "finished" | "goodFinished">): number | null {
  return s.finished > 0 ? s.goodFinished / s.finished : null;
}

/**
 * Launch one more attempt? Only while the good records in hand plus those the attempts in
 * flight are expected to bring (in flight × the yield so far) fall short of the target.
 * Before anything finished the yield is taken as 1: at most the target in flight, never
 * more than could all be needed. A yield of 0 so far expects nothing from what is in
 * flight, so the run keeps its concurrency until the yield probe decides.
 */
export function shouldLaunch(s: TargetState): boolean {
  if (s.good >= s.target) return false;
  const y = observedYield(s) ?? 1;
  return s.good + s.inFlight * y < s.target;
}

/** Attempts still needed at the yield so far; null while it is unknown or 0. */
export function attemptsStillNeeded(s: Pick<TargetState, "target" | "good" | "finished" | "goodFinished">): number | null {
  const y = observedYield(s);
  if (s.good >= s.target) return 0;
  return y ? Math.ceil((s.target - s.good) / y) : null;
}

/** The yield rule: none of the first YIELD_PROBE_ATTEMPTS finished attempts good. */
export function yieldIsZero(s: Pick<TargetState, "finished" | "goodFinished">): boolean {
  return s.finished >= YIELD_PROBE_ATTEMPTS && s.goodFinished === 0;
}

export function zeroYieldMessage(): string {
  return `Stopped: none of the first ${YIELD_PROBE_ATTEMPTS} attempts was a good record (all failed, were rejected by a validator, or missed a judge threshold). Check the thresholds and the blueprint with live samples before launching again.`;
}

/** Whether a target means anything: some judge or "reject" validator can tell good from not. */
export function canTargetGood(blueprint: Blueprint): boolean {
  return blueprint.fields.some((f) => f.kind === "judge" || (f.kind === "validator" && f.mode === "reject"));
}

/**
 * The launch form's starting thresholds: numeric levels need the second best score or
 * better (4 on a 1-5 scale: good, not perfect); word levels accept the first listed one
 * (rubrics list "pass" before "fail"). The user changes them before launching.
 */
export function defaultThresholds(blueprint: Blueprint): TargetSettings["thresholds"] {
  const out: TargetSettings["thresholds"] = {};
  for (const judge of judgesOf(blueprint)) {
    const criteria: Record<string, Threshold> = {};
    for (const c of judge.criteria) {
      const threshold = defaultThreshold(c.levels.map((l) => l.value));
      if (threshold) criteria[c.name] = threshold;
    }
    out[judge.name] = criteria;
  }
  return out;
}

/** One criterion's starting threshold from its levels (see defaultThresholds); none without levels. */
export function defaultThreshold(values: readonly (string | number)[]): Threshold | undefined {
  if (values.length === 0) return undefined;
  if (values.every((v) => typeof v === "number")) {
    const sorted = [...(values as number[])].sort((a, b) => b - a);
    return { min: sorted[Math.min(1, sorted.length - 1)] };
  }
  return { accept: [values[0]] };
}
