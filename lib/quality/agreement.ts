// "Can I trust the judge?" (issue 15, item 4): how often a judge criterion agrees with
// what people decided, as accuracy and Cohen's kappa, each with the count behind it and
// a 95% interval, plus the confusion matrix. Pure: the service (server/agreement.ts)
// hands in counts PostgreSQL grouped (criterion score × human decision or label), so
// nothing here ever sees a record. A judge "says good" exactly as an "N good records"
// run decides it (lib/runs/target.ts meetsThreshold), with the user's threshold.
import type { JudgeCriterion } from "@/lib/blueprints/schema";
import type { LabelDef } from "@/lib/review/labels";
import { meetsThreshold } from "@/lib/runs/target";
import type { Threshold } from "@/lib/runs/schemas";

/** 95% two-sided normal quantile. */
const Z = 1.959963984540054;

export type Interval = { low: number; high: number };

/** counts[j][h]: records the judge put in class j that people put in class h. */
export type Confusion = { classes: string[]; counts: number[][]; n: number };

export type Agreement = {
  /** Records behind every figure (both the judge's and a person's answer are known). */
  n: number;
  /** Records where they agree. */
  agree: number;
  accuracy: number | null;
  /** Wilson score interval: stays inside [0, 1] and honest at 0 or n agreements, where the plain normal one collapses. */
  accuracyCi: Interval | null;
  /** Null when chance agreement is 1 (everyone, judge and people, used one class): kappa is undefined there. */
  kappa: number | null;
  /** Kappa ± z × its large-sample standard error sqrt(po(1-po) / (n(1-pe)²)) (Cohen 1960), clipped to [-1, 1]. */
  kappaCi: Interval | null;
  confusion: Confusion;
};

/** Counted pairs in; a pair naming a class outside `classes` is not a comparison and is left out. */
export function confusionMatrix(pairs: readonly { judge: string; human: string; n: number }[], classes: readonly string[]): Confusion {
  const at = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => classes.map(() => 0));
  let n = 0;
  for (const p of pairs) {
    const j = at.get(p.judge);
    const h = at.get(p.human);
    if (j === undefined || h === undefined || p.n <= 0) continue;
    counts[j][h] += p.n;
    n += p.n;
  }
  return { classes: [...classes], counts, n };
}

/** Wilson score interval for k successes in n trials; null with no trials. */
export function wilson(k: number, n: number, z = Z): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound is exactly 0 or 1; floating point lands a hair inside.
  return { low: k <= 0 ? 0 : Math.max(0, center - half), high: k >= n ? 1 : Math.min(1, center + half) };
}

/** Accuracy, kappa and their intervals from a square confusion matrix. */
export function agreementOf(confusion: Confusion): Agreement {
  const { counts, n } = confusion;
  const agree = counts.reduce((s, row, i) => s + row[i], 0);
  if (n === 0) return { n, agree, accuracy: null, accuracyCi: null, kappa: null, kappaCi: null, confusion };
  const po = agree / n;
  let pe = 0;
  for (let i = 0; i < counts.length; i++) {
    const judgeShare = counts[i].reduce((s, x) => s + x, 0) / n;
    const humanShare = counts.reduce((s, row) => s + row[i], 0) / n;
    pe += judgeShare * humanShare;
  }
  let kappa: number | null = null;
  let kappaCi: Interval | null = null;
  if (pe < 1 - 1e-12) {
    kappa = (po - pe) / (1 - pe);
    const se = Math.sqrt((po * (1 - po)) / (n * (1 - pe) ** 2));
    kappaCi = { low: Math.max(-1, kappa - Z * se), high: Math.min(1, kappa + Z * se) };
  }
  return { n, agree, accuracy: po, accuracyCi: wilson(agree, n), kappa, kappaCi, confusion };
}

/** The level a score read back as text (`values #>> '{judge,criterion,score}'`) stands for. */
export function levelOf(criterion: Pick<JudgeCriterion, "levels">, text: string): JudgeCriterion["levels"][number]["value"] | undefined {
  return criterion.levels.find((l) => String(l.value) === text)?.value;
}

export const JUDGE_GOOD = "good";
export const JUDGE_BAD = "bad";
/** Classes of the decision comparison: the judge's good/bad against accepted/rejected. */
export const DECISION_CLASSES = [JUDGE_GOOD, JUDGE_BAD] as const;

export type ScoreDecisionCell = { score: string | null; state: string; n: number };

/**
 * The judge's verdict (meets `threshold` or not) against the human accept/reject.
 * Records without a score (the judge failed on them) or not decided by a person are no
 * comparison and are left out; so is a score that is no longer one of the levels (the
 * rubric changed since), rather than being counted as "bad".
 */
export function decisionConfusion(cells: readonly ScoreDecisionCell[], criterion: Pick<JudgeCriterion, "levels">, threshold: Threshold | undefined): Confusion {
  const pairs = [];
  for (const c of cells) {
    if (c.score === null) continue;
    const level = levelOf(criterion, c.score);
    if (level === undefined) continue;
    const human = c.state === "accepted" ? JUDGE_GOOD : c.state === "rejected" ? JUDGE_BAD : null;
    if (!human) continue;
    pairs.push({ judge: meetsThreshold(level, threshold) ? JUDGE_GOOD : JUDGE_BAD, human, n: c.n });
  }
  return confusionMatrix(pairs, DECISION_CLASSES);
}

/**
 * Whether a criterion can be compared with a label: a single-choice label whose options
 * are exactly the criterion's levels (pass/fail against pass/fail), or a rating label
 * (1-5) when every level is one of 1..5. Returns the shared classes in level order.
 */
export function comparableClasses(criterion: Pick<JudgeCriterion, "levels">, label: LabelDef): string[] | null {
  const levels = criterion.levels.map((l) => l.value);
  if (levels.length === 0) return null;
  if (label.kind === "single") {
    const options = new Set(label.options ?? []);
    const texts = levels.map(String);
    return texts.length === options.size && texts.every((t) => options.has(t)) ? texts : null;
  }
  if (label.kind === "rating") {
    return levels.every((v) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5) ? levels.map(String) : null;
  }
  return null;
}

export type ScoreLabelCell = { score: string | null; label: string | null; n: number };

/** The criterion's score against a person's label value, over the classes they share. */
export function labelConfusion(cells: readonly ScoreLabelCell[], classes: readonly string[]): Confusion {
  const pairs = cells.filter((c) => c.score !== null && c.label !== null).map((c) => ({ judge: c.score as string, human: c.label as string, n: c.n }));
  return confusionMatrix(pairs, classes);
}

/**
 * Rows of a per-sampler-value table, worst first: by the upper end of the accuracy
 * interval, so that a value with two unlucky records does not sit above one the judge
 * gets wrong a hundred times out of three hundred. Ties: more records first.
 */
export function worstFirst<T extends { agreement: Agreement }>(rows: readonly T[]): T[] {
  const upper = (r: T) => r.agreement.accuracyCi?.high ?? Number.POSITIVE_INFINITY;
  return [...rows].sort((a, b) => upper(a) - upper(b) || b.agreement.n - a.agreement.n);
}

const pctText = (x: number) => `${Math.round(x * 100)}%`;

/**
 * One line a confirmation can show before acting on the judge's word, e.g. "On 212
 * records people decided, the judge agreed 84% of the time (95% interval 78–88%), kappa
 * 0.61 (0.50–0.72)." With nothing to compare, it says so instead of a figure.
 */
export function agreementSentence(a: Agreement): string {
  if (a.n === 0 || a.accuracy === null) return "Review some records first: agreement needs human decisions.";
  const ci = a.accuracyCi ? ` (95% interval ${pctText(a.accuracyCi.low)}–${pctText(a.accuracyCi.high)})` : "";
  const kappa = a.kappa === null ? "kappa undefined (everyone used one answer)" : `kappa ${a.kappa.toFixed(2)}${a.kappaCi ? ` (${a.kappaCi.low.toFixed(2)}–${a.kappaCi.high.toFixed(2)})` : ""}`;
  return `On ${a.n.toLocaleString("en-US")} record${a.n === 1 ? "" : "s"} people decided, the judge agreed ${pctText(a.accuracy)} of the time${ci}, ${kappa}.`;
}

/**
 * A criterion's levels split by a threshold: the scores the judge "says good" on and the
 * rest, in rubric order. "Accept where the judge says good" filters the grid by the first
 * list (the records filter's `judge` entry), "reject where it says bad" by the second.
 */
export function levelsByVerdict<V extends string | number>(levels: readonly V[], threshold: Threshold | undefined): { good: V[]; bad: V[] } {
  const good: V[] = [];
  const bad: V[] = [];
  for (const level of levels) (meetsThreshold(level, threshold) ? good : bad).push(level);
  return { good, bad };
}

/** The threshold as one phrase: "score at least 4", "pass". */
export function thresholdText(threshold: Threshold | undefined): string {
  if (!threshold || (threshold.min === undefined && !threshold.accept)) return "any score";
  const parts = [];
  if (threshold.min !== undefined) parts.push(`score at least ${threshold.min}`);
  if (threshold.accept) parts.push(threshold.accept.map(String).join(" or "));
  return parts.join(", ");
}
