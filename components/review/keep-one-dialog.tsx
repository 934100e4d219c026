"use client";
// "Keep one per cluster": pick which record each duplicate cluster keeps, see how many are
// rejected, confirm. The action is one review action (undo takes it back); the count comes
// from the server so the confirmation names it before anything changes.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/field";
import type { KeepOnePolicy } from "@/lib/quality/schemas";
import type { LabelSchema } from "@/lib/review/labels";
import { keys, readReview } from "./api";
import { Dialog } from "./dialog";

const count = (n: number, one: string) => `${n.toLocaleString("en-US")} ${one}${n === 1 ? "" : "s"}`;

export function KeepOneDialog(p: {
  datasetId: string;
  schema: LabelSchema;
  pending: boolean;
  onConfirm: (policy: KeepOnePolicy, label?: string) => void;
  onClose: () => void;
}) {
  const preview = useQuery({
    queryKey: [...keys.all(p.datasetId), "keep-one-preview"],
    queryFn: ({ signal }) => readReview<{ clusters: number; toReject: number } | null>(p.datasetId, { kind: "keep-one-preview" }, signal),
  });
  const ratings = p.schema.labels.filter((l) => l.kind === "rating");
  const [policy, setPolicy] = useState<KeepOnePolicy>("first");
  const [label, setLabel] = useState(ratings[0]?.name ?? "");
  const name = useId();
  const d = preview.data;
  const policies: { value: KeepOnePolicy; text: string; hint: string }[] = [
    { value: "first", text: "The first record", hint: "the lowest record number" },
    { value: "longest", text: "The longest record", hint: "the most text in the compared fields" },
    { value: "best-label", text: "The best-rated record", hint: "accepted first, then the highest rating" },
  ];
  return (
    <Dialog title="Keep one per cluster" onClose={p.onClose}>
      {preview.isLoading && <p className="text-sm text-stone-600">Counting the duplicate clusters…</p>}
      {preview.error && <ErrorText>{preview.error.message}</ErrorText>}
      {preview.isSuccess && d === null && (
        <p className="text-sm text-stone-700" data-testid="keep-one-none">
          Duplicate detection has not run on this dataset yet, so there are no clusters to keep one of. Run it from the{" "}
          <Link href={`/datasets/${p.datasetId}/health`} className="text-indigo-700 underline">Health tab</Link>, then come back.
        </p>
      )}
      {d && d.toReject === 0 && <p className="text-sm text-stone-700">The latest detection found no duplicate clusters: nothing to reject.</p>}
      {d && d.toReject > 0 && (
        <form
          className="space-y-3 text-sm"
          onSubmit={(e) => {
            e.preventDefault();
            p.onConfirm(policy, policy === "best-label" ? label : undefined);
          }}
        >
          <fieldset className="space-y-1">
            <legend className="mb-1 font-medium text-stone-800">Which record each cluster keeps</legend>
            {policies.map((o) => {
              const off = o.value === "best-label" && ratings.length === 0;
              return (
                <label key={o.value} className={`flex items-center gap-2 ${off ? "text-stone-500" : ""}`}>
                  <input type="radio" name={name} value={o.value} checked={policy === o.value} disabled={off} onChange={() => setPolicy(o.value)} data-autofocus={o.value === "first" ? true : undefined} />
                  {o.text} <span className="text-xs text-stone-600">({off ? "add a rating label to use this" : o.hint})</span>
                </label>
              );
            })}
          </fieldset>
          {policy === "best-label" && ratings.length > 1 && (
            <label className="flex items-center gap-2">
              Rating label
              <select className="h-8 rounded-md border border-stone-300 bg-white px-2" value={label} onChange={(e) => setLabel(e.target.value)}>
                {ratings.map((l) => <option key={l.name} value={l.name}>{l.name}</option>)}
              </select>
            </label>
          )}
          <p data-testid="keep-one-summary" className="text-stone-800">
            Keeps one record in each of {count(d.clusters, "cluster")} and rejects the other {count(d.toReject, "record")}. Undo takes it back.
          </p>
          <div className="flex gap-2">
            <Button type="submit" variant="danger" disabled={p.pending}>{p.pending ? "Rejecting…" : `Reject ${count(d.toReject, "record")}`}</Button>
            <Button onClick={p.onClose}>Cancel</Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
