// The slow-down after failed sign-ins, pure. Kept per account and per address (both are
// checked; the longer wait wins), so neither guessing one account from many addresses nor
// many accounts from one address goes fast. A person who mistypes a few times is not
// slowed; after FREE_FAILURES each failure doubles the wait, up to MAX_WAIT_MS. A key
// forgets its failures after FORGET_AFTER_MS without one.
export const FREE_FAILURES = 5;
export const MAX_WAIT_MS = 5 * 60_000;
export const FORGET_AFTER_MS = 60 * 60_000;

export type FailureState = { failures: number; lastFailAt: Date };

/** Failures still counted at `now` (0 once forgotten). */
export function liveFailures(state: FailureState | null | undefined, now: Date): number {
  if (!state) return 0;
  return now.getTime() - state.lastFailAt.getTime() > FORGET_AFTER_MS ? 0 : state.failures;
}

/** How long after the last failure the next attempt must wait. */
export function waitAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_WAIT_MS, 1000 * 2 ** (failures - FREE_FAILURES));
}

/** Milliseconds before the next attempt is heard (0: now). */
export function remainingWait(state: FailureState | null | undefined, now: Date): number {
  const failures = liveFailures(state, now);
  if (!state || failures === 0) return 0;
  return Math.max(0, state.lastFailAt.getTime() + waitAfter(failures) - now.getTime());
}

export function waitMessage(ms: number): string {
  const s = Math.ceil(ms / 1000);
  const when = s >= 120 ? `${Math.ceil(s / 60)} minutes` : `${s} second${s === 1 ? "" : "s"}`;
  return `Too many failed sign-ins. Try again in ${when}.`;
}
