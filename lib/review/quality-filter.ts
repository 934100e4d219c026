// The grid's one "Quality" filter menu over the filter's quality keys (validators,
// duplicates, contamination): which choice a filter shows, and the filter a choice makes.
// Pure. One choice at a time, as the menu offers; links (the Health tab's charts) may set
// more, and the grid shows those as chips (`qualityChips`).
import type { RecordFilter } from "@/lib/records/filter";
import type { QualitySetup } from "./types";

export type QualityChoice = { value: string; label: string };

const QUALITY_KEYS = ["checks", "rejected", "duplicate", "clusterId", "clusterSize", "contaminated", "target", "judge"] as const;
// A judge choice's value: field, criterion and the score's JSON, joined by a character no name has.
const SEP = "\u0000";
const TARGET_LABEL = { good: "a run's good records", over: "good records over a run's target", "not-over": "not over a run's target" } as const;

/** What the menu offers for this dataset: nothing it could not match. */
export function qualityChoices(q: QualitySetup): QualityChoice[] {
  const out: QualityChoice[] = [];
  if (q.validators.length) {
    out.push({ value: "anyFailed", label: "Failing any validator" });
    for (const name of q.validators) out.push({ value: `failing:${name}`, label: `Failing ${name}` });
    out.push({ value: "rejected", label: "Rejected by a validator" });
  }
  if (q.duplicates) {
    out.push({ value: "duplicate", label: "In a duplicate cluster" });
    out.push({ value: "unique", label: "In no duplicate cluster" });
  }
  if (q.contamination) out.push({ value: "contaminated", label: "Shares text with the reference set" });
  for (const j of q.judges) {
    for (const level of j.levels) out.push({ value: ["judge", j.field, j.criterion, JSON.stringify(level)].join(SEP), label: `${j.field}.${j.criterion} scored ${level}` });
  }
  return out;
}

/** The menu's value for a filter: "" when it sets none of these alone. */
export function qualityChoiceOf(f: RecordFilter): string {
  if (f.judge?.length === 1 && f.judge[0].scores.length === 1) {
    const j = f.judge[0];
    return ["judge", j.field, j.criterion, JSON.stringify(j.scores[0])].join(SEP);
  }
  if (f.checks?.anyFailed) return "anyFailed";
  if (f.checks?.failing?.length === 1) return `failing:${f.checks.failing[0]}`;
  if (f.rejected === true) return "rejected";
  if (f.duplicate === true) return "duplicate";
  if (f.duplicate === false) return "unique";
  if (f.contaminated === true) return "contaminated";
  return "";
}

/** The filter with its quality keys replaced by the choice's. */
export function withQualityChoice(f: RecordFilter, choice: string): RecordFilter {
  const next: RecordFilter = { ...f };
  for (const k of QUALITY_KEYS) delete next[k];
  if (choice === "anyFailed") next.checks = { anyFailed: true };
  else if (choice.startsWith("failing:")) next.checks = { failing: [choice.slice("failing:".length)] };
  else if (choice === "rejected") next.rejected = true;
  else if (choice === "duplicate") next.duplicate = true;
  else if (choice === "unique") next.duplicate = false;
  else if (choice === "contaminated") next.contaminated = true;
  else if (choice.startsWith(`judge${SEP}`)) {
    const [, field, criterion, score] = choice.split(SEP);
    next.judge = [{ field, criterion, scores: [JSON.parse(score) as number | string] }];
  }
  return next;
}

/** Quality keys the menu does not show (set by a link): each a chip that removes it. */
export function qualityChips(f: RecordFilter): { key: (typeof QUALITY_KEYS)[number]; label: string }[] {
  const out: { key: (typeof QUALITY_KEYS)[number]; label: string }[] = [];
  if (f.clusterId) out.push({ key: "clusterId", label: "one duplicate cluster" });
  if (f.clusterSize) out.push({ key: "clusterSize", label: f.clusterSize.max === undefined ? `clusters of ${f.clusterSize.min} or more` : f.clusterSize.max === f.clusterSize.min ? `clusters of ${f.clusterSize.min}` : `clusters of ${f.clusterSize.min}-${f.clusterSize.max}` });
  if (f.checks?.failing && f.checks.failing.length > 1) out.push({ key: "checks", label: `failing ${f.checks.failing.join(" or ")}` });
  if (f.rejected === false) out.push({ key: "rejected", label: "not rejected by a validator" });
  if (f.target) out.push({ key: "target", label: TARGET_LABEL[f.target] });
  if (f.contaminated === false) out.push({ key: "contaminated", label: "sharing no text with the reference set" });
  return out;
}
