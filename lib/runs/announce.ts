// What the run page says to screen readers. A polite live region re-reads whenever its
// text changes, and the page polls every second: announcing the count itself would talk
// over everything else. So the text moves in steps: the status, and every tenth of the run.

export type ProgressForAnnouncement = {
  status: string;
  requested: number;
  succeeded: number;
  failed: number;
  /** "N good records" runs: progress is good of N, not attempts of the cap. */
  target?: { good: number; of: number; yield: number | null } | null;
};

const STEP = 10; // percent

export function progressAnnouncement(r: ProgressForAnnouncement): string {
  const done = r.succeeded + r.failed;
  const failed = r.failed === 1 ? "1 failed" : `${r.failed.toLocaleString("en-US")} failed`;
  if (r.target) return targetAnnouncement(r.status, r.target, done, failed);
  switch (r.status) {
    case "running": {
      const pct = r.requested > 0 ? Math.floor((done / r.requested) * (100 / STEP)) * STEP : 0;
      return `Run running: ${Math.min(pct, 100)}% done.`;
    }
    case "queued":
      return "Run queued: waiting for a worker.";
    default:
      // Final (or paused) states are announced once, with the counts as they stand.
      return `Run ${r.status}: ${done.toLocaleString("en-US")} of ${r.requested.toLocaleString("en-US")} records, ${failed}.`;
  }
}

function targetAnnouncement(status: string, t: { good: number; of: number; yield: number | null }, attempts: number, failed: string): string {
  const good = `${t.good.toLocaleString("en-US")} of ${t.of.toLocaleString("en-US")} good records`;
  switch (status) {
    case "running": {
      const pct = t.of > 0 ? Math.floor((t.good / t.of) * (100 / STEP)) * STEP : 0;
      return `Run running: ${Math.min(pct, 100)}% of the good records in hand.`;
    }
    case "queued":
      return "Run queued: waiting for a worker.";
    default: {
      const yieldText = t.yield === null ? "" : `, yield ${Math.round(t.yield * 100)}%`;
      return `Run ${status}: ${good} after ${attempts.toLocaleString("en-US")} attempts${yieldText}, ${failed}.`;
    }
  }
}
