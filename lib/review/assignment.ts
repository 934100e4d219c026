// Splitting records between annotators (issue 17, item 3). Pure: the service
// (server/assignments.ts) hands in the records in grid order and the people chosen.
//
// Record i goes to annotators (i·k + j) mod n for j = 0..k-1: each record gets k distinct
// people (k ≤ n), each person gets ⌊N·k/n⌋ or ⌈N·k/n⌉ records, and every pair of people
// shares records in the same proportion over a long run, so a per-pair kappa has data for
// neighbours in the rotation. The same inputs always give the same split: people are
// taken in the order given (the service sorts them by id) and records in grid order.

export const MAX_OVERLAP = 10;

export type AssignmentPair = { recordId: string; userId: string };

export function splitAssignments(recordIds: readonly string[], userIds: readonly string[], overlap: number): AssignmentPair[] {
  const n = userIds.length;
  if (n === 0) throw new Error("Choose at least one annotator.");
  if (!Number.isInteger(overlap) || overlap < 1) throw new Error("The overlap is a whole number of reviewers, at least 1.");
  if (overlap > n) throw new Error(`An overlap of ${overlap} needs at least ${overlap} annotators; ${n === 1 ? "one is" : `${n} are`} chosen.`);
  if (new Set(userIds).size !== n) throw new Error("An annotator is chosen twice.");
  const out: AssignmentPair[] = [];
  for (let i = 0; i < recordIds.length; i++) {
    for (let j = 0; j < overlap; j++) out.push({ recordId: recordIds[i], userId: userIds[(i * overlap + j) % n] });
  }
  return out;
}

/** How many of `total` records a share (percent, 1-100) of a dataset takes: at least one when there are any. */
export function shareCount(total: number, percent: number): number {
  if (total <= 0) return 0;
  return Math.min(total, Math.max(1, Math.round((total * percent) / 100)));
}

/** The queue's progress line, read out by a live region. */
export function progressText(decided: number, total: number): string {
  return `${decided.toLocaleString("en")} of ${total.toLocaleString("en")} decided`;
}
