// What a batch-mode run's batches (RunBatch.status, lib/runs/server/batch-executor.ts) mean
// to the person watching the run: one label per state, and the run page's announcement.

type BatchState = { status: string; requestCounts: { failed?: number } | null };

/** What a batch's stored status means to the person watching the run. */
export function batchStateLabel(b: BatchState): string {
  switch (b.status) {
    case "preparing":
      return "Uploading";
    case "validating":
      return "Validating";
    case "in_progress":
      return "In progress";
    case "finalizing":
      return "Finalizing";
    case "completed":
    case "expired":
    case "failed":
    case "cancelled":
      return "Downloading results";
    case "ingested":
      return (b.requestCounts?.failed ?? 0) > 0 ? "Done; failed or expired requests sent again" : "Done";
    case "rejected":
      return "Refused by the provider";
    case "abandoned":
      return "Not submitted; sent again";
    default:
      return b.status;
  }
}

/** One sentence for the live region: how many batches are in each state. */
export function batchAnnouncement(batches: BatchState[]): string {
  if (batches.length === 0) return "No batch submitted yet.";
  const counts = new Map<string, number>();
  for (const b of batches) {
    const label = batchStateLabel(b).split(";")[0]!;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return `Batches: ${[...counts].map(([label, n]) => `${n} ${label.toLowerCase()}`).join(", ")}.`;
}

