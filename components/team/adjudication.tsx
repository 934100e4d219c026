"use client";
// Settling disagreements (issue 17, item 5). Keyboard-driven like the grid: in the list,
// j / k (or ↓ / ↑) move, a or r picks the final decision and puts the cursor in the reason
// box; Enter there settles the record (Shift+Enter for a new line) and moves to the next
// unsettled one.
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { inputClass, Label } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { adjudicateAction } from "@/lib/review/actions";
import type { TeamAgreement } from "@/lib/review/server/team";
import { RecordList } from "./record-list";

export function Adjudication({ agreement }: { datasetId: string; agreement: TeamAgreement }) {
  const router = useRouter();
  const rows = agreement.disagreements;
  const [at, setAt] = useState(Math.max(0, rows.findIndex((r) => !r.settled)));
  const [decision, setDecision] = useState<"accept" | "reject" | null>(null);
  const [reason, setReason] = useState("");
  const [settled, setSettled] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const current = rows[at];
  const isSettled = (id: string) => settled.has(id) || rows.find((r) => r.recordId === id)?.settled;

  function pick(d: "accept" | "reject") {
    setDecision(d);
    reasonRef.current?.focus();
  }

  async function settle() {
    if (!current || busy) return;
    if (!decision) return setError("Choose accept or reject first (a or r).");
    setBusy(true);
    setError(null);
    try {
      await unwrap(adjudicateAction({ recordId: current.recordId, decision, reason }));
      setSettled((s) => new Set(s).add(current.recordId));
      setDecision(null);
      setReason("");
      const next = rows.findIndex((r, i) => i > at && !isSettled(r.recordId));
      if (next >= 0) setAt(next);
      listRef.current?.focus();
      router.refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  function onListKey(key: string): boolean {
    if (key === "a") pick("accept");
    else if (key === "r") pick("reject");
    else return false;
    return true;
  }

  return (
    <section aria-labelledby="disagree-title" className="space-y-3">
      <h2 id="disagree-title" className="text-lg font-semibold">Disagreements</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-stone-600">No record has people disagreeing.</p>
      ) : (
        <>
          <p className="text-xs text-stone-600">
            {agreement.disagreementCount.toLocaleString("en")} records{agreement.disagreementCount > rows.length ? ` (the first ${rows.length.toLocaleString("en")} listed)` : ""}. Keys: <kbd>j</kbd>/<kbd>k</kbd> move, <kbd>a</kbd> accept, <kbd>r</kbd> reject, then the reason and Enter.
          </p>
          <div className="grid gap-4 md:grid-cols-[minmax(16rem,1fr)_2fr]">
            <RecordList
              label="Records people disagree on"
              listRef={listRef}
              records={rows.map((r) => ({ id: r.recordId, index: r.index, status: <span className="text-stone-600">{isSettled(r.recordId) ? "Settled" : r.questions.join(", ")}</span> }))}
              at={at}
              onMove={setAt}
              onKey={onListKey}
            />
            {current && (
              <div className="space-y-3 rounded-md border border-stone-200 bg-white p-4">
                <h3 className="font-medium">Record {current.index + 1}</h3>
                <ul className="text-sm">
                  {current.reviews.map((v) => (
                    <li key={v.userId}>
                      {agreement.people[v.userId] ?? v.userId}: {v.decision}
                      {v.labels && Object.keys(v.labels as object).length > 0 ? ` · ${Object.entries(v.labels as Record<string, unknown>).map(([k, x]) => `${k}: ${Array.isArray(x) ? x.join(", ") : String(x)}`).join("; ")}` : ""}
                    </li>
                  ))}
                </ul>
                <fieldset className="flex gap-4 text-sm">
                  <legend className="mb-1 text-xs font-medium text-stone-600">Final decision</legend>
                  <label className="inline-flex items-center gap-1.5"><input type="radio" name="final" checked={decision === "accept"} onChange={() => pick("accept")} /> Accept</label>
                  <label className="inline-flex items-center gap-1.5"><input type="radio" name="final" checked={decision === "reject"} onChange={() => pick("reject")} /> Reject</label>
                </fieldset>
                <div>
                  <Label htmlFor="adjudication-reason">Reason</Label>
                  <textarea
                    className={inputClass}
                    id="adjudication-reason"
                    ref={reasonRef}
                    rows={2}
                    value={reason}
                    onChange={(e) => setReason(e.target.value)}
                    onKeyDown={(e) => {
                      if (e.key === "Enter" && !e.shiftKey) {
                        e.preventDefault();
                        void settle();
                      }
                    }}
                  />
                </div>
                <Button variant="primary" onClick={settle} disabled={busy}>Settle</Button>
                {error && <p role="alert" className="text-sm text-red-800">{error}</p>}
              </div>
            )}
          </div>
        </>
      )}
    </section>
  );
}
