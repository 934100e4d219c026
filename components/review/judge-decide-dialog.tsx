"use client";
// "Decide where the judge says…" (issue 15): accept the unreviewed records a judge
// criterion calls good, or reject those it calls bad, in one bulk action that Undo takes
// back. Before anything changes the confirmation counts the records and says how far the
// judge agreed with people so far at the same bar (lib/quality/server/agreement.ts), so
// nobody bulk-accepts on the word of a judge they have not measured.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { agreementSentence, levelsByVerdict, thresholdText } from "@/lib/quality/agreement";
import type { CriterionTrust } from "@/lib/quality/server/agreement";
import type { RecordFilter } from "@/lib/records/filter";
import type { Decision } from "@/lib/review/schemas";
import type { JudgeColumn } from "@/lib/review/types";
import type { Threshold } from "@/lib/runs/schemas";
import { defaultThreshold } from "@/lib/runs/target";
import { judgeDecideFilter } from "@/lib/review/judge-decide";
import { keys, readReview } from "./api";
import { Dialog } from "./dialog";

const count = (n: number) => `${n.toLocaleString("en-US")} record${n === 1 ? "" : "s"}`;

export function JudgeDecideDialog(p: {
  datasetId: string;
  judges: JudgeColumn[];
  filter: RecordFilter;
  pending: boolean;
  onDecide: (filter: RecordFilter, decision: Decision, what: string) => void;
  onClose: () => void;
}) {
  const [at, setAt] = useState(0);
  const judge = p.judges[at];
  const numeric = judge.levels.every((l) => typeof l === "number");
  const [threshold, setThreshold] = useState<Threshold | undefined>(() => defaultThreshold(judge.levels));
  const [decision, setDecision] = useState<Extract<Decision, "accept" | "reject">>("accept");
  const { good, bad } = levelsByVerdict(judge.levels, threshold);
  const target = judgeDecideFilter(p.filter, judge, decision === "accept" ? good : bad);
  const name = `${judge.field}.${judge.criterion}`;

  const matching = useQuery({
    queryKey: target ? keys.count(p.datasetId, target) : ["judge-decide", "none"],
    queryFn: ({ signal }) => readReview<number>(p.datasetId, { kind: "count", filter: target as RecordFilter }, signal),
    enabled: target !== null,
  });
  const agreement = useQuery({
    queryKey: [...keys.all(p.datasetId), "judge-agreement", judge.field, judge.criterion, threshold],
    queryFn: ({ signal }) => readReview<CriterionTrust | null>(p.datasetId, { kind: "judge-agreement", judge: judge.field, criterion: judge.criterion, threshold }, signal),
  });
  const n = target === null ? 0 : matching.data;
  const what = `${decision === "accept" ? "Accepted" : "Rejected"} where ${name} says ${decision === "accept" ? "good" : "bad"} (${thresholdText(threshold)})`;

  return (
    <Dialog title="Decide where the judge says…" onClose={p.onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (target && n) p.onDecide(target, decision, what);
        }}
      >
        <label className="flex items-center gap-2">
          Judge criterion
          <select
            data-autofocus
            className="h-8 rounded-md border border-stone-300 bg-white px-2"
            value={at}
            onChange={(e) => {
              const i = Number(e.target.value);
              setAt(i);
              setThreshold(defaultThreshold(p.judges[i].levels));
            }}
          >
            {p.judges.map((j, i) => (
              <option key={`${j.field}.${j.criterion}`} value={i}>{j.field}.{j.criterion}</option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2">
          The judge says good when
          <select
            className="h-8 rounded-md border border-stone-300 bg-white px-2"
            value={String(numeric ? (threshold?.min ?? "") : (threshold?.accept?.[0] ?? ""))}
            onChange={(e) => setThreshold(numeric ? { min: Number(e.target.value) } : { accept: [e.target.value] })}
          >
            {judge.levels.map((l) => (
              <option key={String(l)} value={String(l)}>{numeric ? `score at least ${l}` : String(l)}</option>
            ))}
          </select>
        </label>
        <fieldset className="space-y-1">
          <legend className="font-medium text-stone-800">Decision</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="judge-decision" checked={decision === "accept"} onChange={() => setDecision("accept")} />
            Accept where the judge says good ({good.map(String).join(", ") || "no level"})
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="judge-decision" checked={decision === "reject"} onChange={() => setDecision("reject")} />
            Reject where the judge says bad ({bad.map(String).join(", ") || "no level"})
          </label>
        </fieldset>
        <p className="text-stone-700" data-testid="judge-decide-count" aria-live="polite">
          {target === null
            ? "No record to decide: the grid's filter leaves no unreviewed record, or no level is on that side of the bar."
            : n === undefined
              ? "Counting the records…"
              : `${decision === "accept" ? "Accepts" : "Rejects"} ${count(n)} of the grid's filter that nobody has decided yet, in one action that Undo takes back.`}
        </p>
        <p className="rounded-md bg-stone-50 px-2 py-1 text-stone-700" data-testid="judge-decide-agreement">
          {agreement.data
            ? agreementSentence(agreement.data.decision)
            : agreement.error
              ? `Could not measure the judge (${agreement.error.message}).`
              : "Measuring the judge against people's decisions…"}
        </p>
        <div className="flex gap-2">
          <Button type="submit" variant={decision === "accept" ? "primary" : "danger"} disabled={p.pending || !n}>
            {p.pending ? "Working…" : decision === "accept" ? `Accept ${n ? count(n) : ""}` : `Reject ${n ? count(n) : ""}`}
          </Button>
          <Button type="button" onClick={p.onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
