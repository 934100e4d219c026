"use client";
// "Keep one per cluster": which record each duplicate cluster keeps; the others are
// rejected in one action that Undo takes back.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { KeepOnePolicy } from "@/lib/quality/schemas";
import type { LabelSchema } from "@/lib/review/labels";
import { keys, readReview } from "./api";
import { Dialog } from "./dialog";

const count = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

const POLICIES: { value: KeepOnePolicy; label: string; hint: string }[] = [
  { value: "first", label: "The first", hint: "the record with the lowest number" },
  { value: "longest", label: "The longest", hint: "the most text in the compared fields" },
  { value: "best-label", label: "The best rated", hint: "accepted records first, then the highest rating" },
];

export function KeepOneDialog(p: { datasetId: string; schema: LabelSchema; pending: boolean; onKeep: (policy: KeepOnePolicy, label?: string) => void; onClose: () => void }) {
  const ratings = p.schema.labels.filter((l) => l.kind === "rating").map((l) => l.name);
  const [policy, setPolicy] = useState<KeepOnePolicy>("first");
  const [label, setLabel] = useState(ratings[0] ?? "");
  const blocked = policy === "best-label" && !label;
  // The confirmation names what it will reject before anything changes (the same number
  // whichever record the policy keeps).
  const preview = useQuery({
    queryKey: [...keys.all(p.datasetId), "keep-one-preview"],
    queryFn: ({ signal }) => readReview<{ clusters: number; toReject: number } | null>(p.datasetId, { kind: "keep-one-preview" }, signal),
  });
  const d = preview.data;
  return (
    <Dialog title="Keep one record per duplicate cluster" onClose={p.onClose}>
      <form
        className="space-y-3 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked) p.onKeep(policy, policy === "best-label" ? label : undefined);
        }}
      >
        <p className="text-stone-700" data-testid="keep-one-summary">
          {d
            ? `Keeps one record in each of ${count(d.clusters, "cluster")} and rejects the other ${count(d.toReject, "record")}, in one action that Undo takes back.`
            : d === null
              ? "Duplicate detection has not run on this dataset yet: run it from the Health tab first."
              : preview.error
                ? `Could not count the records to reject (${preview.error.message}); every other record of each cluster is rejected, in one action that Undo takes back.`
                : "Counting the records to reject…"}
        </p>
        <fieldset className="space-y-1">
          <legend className="font-medium text-stone-800">Keep</legend>
          {POLICIES.map((o) => (
            <label key={o.value} className="flex items-center gap-2">
              <input type="radio" name="keep-one-policy" value={o.value} checked={policy === o.value} onChange={() => setPolicy(o.value)} data-autofocus={o.value === "first" || undefined} />
              {o.label} <span className="text-stone-500">({o.hint})</span>
            </label>
          ))}
        </fieldset>
        {policy === "best-label" &&
          (ratings.length ? (
            <label className="flex items-center gap-2">
              Rating label
              <select className="h-8 rounded-md border border-stone-300 bg-white px-2" value={label} onChange={(e) => setLabel(e.target.value)}>
                {ratings.map((r) => <option key={r}>{r}</option>)}
              </select>
            </label>
          ) : (
            <p role="alert" className="text-red-700">This dataset has no rating label: add one under Labels… first.</p>
          ))}
        <div className="flex gap-2">
          <Button type="submit" variant="danger" disabled={p.pending || blocked}>{p.pending ? "Rejecting…" : "Reject the others"}</Button>
          <Button type="button" onClick={p.onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
}
