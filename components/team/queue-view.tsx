"use client";
// "My queue" (issue 17, item 3): the signed-in person's assigned records, undecided first.
// Keyboard like the grid: j / k (or ↓ / ↑) move, a accepts, r rejects, u takes a decision
// back; each decision moves on to the next undecided record. The progress line is a live
// region, so a screen reader hears "13 of 40 decided" after each one.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { LabelControl } from "@/components/review/detail-panel";
import { Button } from "@/components/ui/button";
import { unwrap } from "@/lib/errors/client";
import { progressText } from "@/lib/review/assignment";
import type { LabelSchema } from "@/lib/review/labels";
import { decideAsAssigneeAction } from "@/lib/review/actions";
import type { Queue, QueueItem } from "@/lib/review/server/team";
import { RecordList } from "./record-list";

const SHOWN: Record<QueueItem["decision"], string> = { accepted: "Accepted", rejected: "Rejected", unreviewed: "Not decided" };
const STATUS_CLASS: Record<QueueItem["decision"], string> = { accepted: "text-emerald-700", rejected: "text-red-700", unreviewed: "text-stone-600" };

export function QueueView({ datasetId, queue, labelSchema }: { datasetId: string; queue: Queue; labelSchema: LabelSchema }) {
  const router = useRouter();
  const [items, setItems] = useState(queue.items);
  const [decided, setDecided] = useState(queue.decided);
  const [at, setAt] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const current = items[at];

  // Label values are the person's own (kept with their decision, never the others'): set
  // before deciding they wait here and go with the decision; once decided, a change is saved
  // at once with the same decision.
  async function setLabels(labels: Record<string, unknown>) {
    if (!current) return;
    const before = current.labels;
    setItems((xs) => xs.map((x, i) => (i === at ? { ...x, labels } : x)));
    if (current.decision === "unreviewed") return;
    setError(null);
    try {
      const row = await unwrap(decideAsAssigneeAction({ recordId: current.recordId, decision: current.decision === "accepted" ? "accept" : "reject", labels: labels as never }));
      setItems((xs) => xs.map((x, i) => (i === at ? { ...x, final: row.reviewState as QueueItem["final"] } : x)));
    } catch (e) {
      setItems((xs) => xs.map((x, i) => (i === at ? { ...x, labels: before } : x)));
      setError((e as Error).message);
    }
  }

  async function decide(decision: "accept" | "reject" | "reset") {
    if (!current || busy) return;
    setBusy(true);
    setError(null);
    try {
      const row = await unwrap(decideAsAssigneeAction({ recordId: current.recordId, decision, ...(decision === "reset" ? {} : { labels: current.labels as never }) }));
      const before = current.decision;
      setItems((xs) => xs.map((x, i) => (i === at ? { ...x, decision: row.mine, final: row.reviewState as QueueItem["final"] } : x)));
      setDecided((d) => d + (before === "unreviewed" && row.mine !== "unreviewed" ? 1 : before !== "unreviewed" && row.mine === "unreviewed" ? -1 : 0));
      if (decision !== "reset") {
        const next = items.findIndex((x, i) => i > at && x.decision === "unreviewed");
        if (next >= 0) setAt(next);
      }
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function onKey(key: string): boolean {
    if (key === "a") void decide("accept");
    else if (key === "r") void decide("reject");
    else if (key === "u") void decide("reset");
    else return false;
    return true;
  }

  if (queue.total === 0) {
    return <p className="rounded-md border border-stone-200 bg-white p-6 text-sm text-stone-600">Nothing is assigned to you in this dataset yet. An editor assigns records on the Team tab.</p>;
  }
  return (
    <section aria-labelledby="queue-title" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="queue-title" className="text-lg font-semibold">My queue</h2>
        <p role="status" aria-live="polite" className="text-sm text-stone-700" data-testid="queue-progress">
          {progressText(decided, queue.total)}
        </p>
      </div>
      <p className="text-xs text-stone-600">
        Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> accept, <kbd>r</kbd> reject, <kbd>u</kbd> undecide. Undecided records come first.
        {queue.total > items.length && <> This page holds your first {items.length}; <button type="button" className="underline" onClick={() => router.refresh()}>reload</button> for more.</>}
      </p>
      {error && <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800">{error}</p>}
      <div className="grid gap-4 md:grid-cols-[minmax(14rem,1fr)_2fr]">
        <RecordList
          label="Records assigned to you"
          records={items.map((x) => ({ id: x.recordId, index: x.index, status: <span className={STATUS_CLASS[x.decision]}>{SHOWN[x.decision]}</span> }))}
          at={at}
          onMove={setAt}
          onKey={onKey}
        />
        {current && (
          <article aria-label={`Record ${current.index + 1}`} className="space-y-3 rounded-md border border-stone-200 bg-white p-4">
            <div className="flex flex-wrap items-center gap-2">
              <h3 className="font-medium">Record {current.index + 1}</h3>
              <span className="text-sm text-stone-600">Your decision: {SHOWN[current.decision]}</span>
              <span className="ml-auto flex gap-2">
                <Button size="sm" onClick={() => decide("accept")} disabled={busy}>Accept</Button>
                <Button size="sm" onClick={() => decide("reject")} disabled={busy}>Reject</Button>
              </span>
            </div>
            <dl className="space-y-2 text-sm">
              {Object.entries(current.values).map(([k, v]) => (
                <div key={k}>
                  <dt className="text-xs font-medium text-stone-600">{k}</dt>
                  <dd className="whitespace-pre-wrap break-words">{typeof v === "string" ? v : JSON.stringify(v)}</dd>
                </div>
              ))}
            </dl>
            {labelSchema.labels.length > 0 && (
              <section aria-label="Your labels" className="space-y-1.5 border-t border-stone-100 pt-3">
                <h4 className="text-xs font-medium text-stone-600">Your labels {current.decision === "unreviewed" && <span className="font-normal">(saved with your decision)</span>}</h4>
                {labelSchema.labels.map((def) => (
                  <LabelControl key={`${current.recordId}-${def.name}`} def={def} labels={current.labels} onChange={(l) => void setLabels(l)} onDone={() => {}} />
                ))}
              </section>
            )}
          </article>
        )}
      </div>
      <p className="text-xs text-stone-500">
        <a className="underline" href={`/datasets/${datasetId}/queue`}>Start over from the first undecided</a>
      </p>
    </section>
  );
}
