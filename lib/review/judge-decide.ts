// "Decide where the judge says…" in the review grid (components/review/judge-decide-dialog.tsx).
import type { RecordFilter } from "@/lib/records/filter";
import type { JudgeColumn } from "./types";

/**
 * The records the action decides: the grid's filter, narrowed to records nobody has
 * decided (a person's decision is never overwritten by the judge's) whose score is on the
 * chosen side of the bar. Null when the grid's filter leaves no unreviewed record.
 */
export function judgeDecideFilter(filter: RecordFilter, judge: JudgeColumn, scores: (string | number)[]): RecordFilter | null {
  if (filter.reviewState && !filter.reviewState.includes("unreviewed")) return null;
  if (scores.length === 0) return null;
  return { ...filter, reviewState: ["unreviewed"], judge: [...(filter.judge ?? []), { field: judge.field, criterion: judge.criterion, scores }] };
}
