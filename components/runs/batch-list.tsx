"use client";
// Batch mode on the run page: each of the run's provider batches with its state and
// request counts, and a live region that speaks when the batches' states change (not on
// every poll), so a screen reader user hears a batch finish as a sighted user sees it.
import type { RunProgress } from "@/lib/runs/server/progress";
import { batchAnnouncement, batchStateLabel } from "@/lib/runs/batch-state";
import { num } from "./format";

type Batch = NonNullable<RunProgress["batches"]>[number];

export function BatchList({ batches }: { batches: Batch[] }) {
  return (
    <section aria-labelledby="run-batches-heading">
      <h2 id="run-batches-heading" className="mb-2 text-sm font-semibold">
        Batches
      </h2>
      <p role="status" className="mb-2 text-sm text-stone-700" data-testid="batch-announcement">
        {batchAnnouncement(batches)}
      </p>
      {batches.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-stone-200">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">The run&apos;s batches at the provider, newest first</caption>
            <thead className="bg-stone-50 text-xs text-stone-600">
              <tr>
                <th scope="col" className="px-3 py-1.5 font-medium">Batch</th>
                <th scope="col" className="px-3 py-1.5 font-medium">State</th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">Requests</th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">Answered</th>
                <th scope="col" className="px-3 py-1.5 text-right font-medium">Failed or expired</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id} className="border-t border-stone-100" data-testid="run-batch">
                  <td className="px-3 py-1.5 font-mono text-xs">{b.providerBatchId ?? "not yet created"}</td>
                  <td className="px-3 py-1.5">
                    {batchStateLabel(b)}
                    {b.error && <span className="block text-xs text-red-800">{b.error}</span>}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{num(b.requests)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{num(b.requestCounts?.completed ?? 0)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{num(b.requestCounts?.failed ?? 0)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
