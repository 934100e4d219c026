"use client";
// The detail panel's "Duplicates": the record's cluster side by side, this record first and
// each other member with its word-level differences from it (lib/review/word-diff.ts).
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo } from "react";
import { ErrorText } from "@/components/ui/field";
import { PREVIEW_CHARS } from "@/lib/records/long-values";
import { recordLabel } from "@/lib/records/number";
import { recordsHref } from "@/lib/records/filter";
import type { ClusterMember, ClusterView, RecordRow } from "@/lib/review/types";
import { wordDiff } from "@/lib/review/word-diff";
import { keys, readReview } from "./api";

const STATE_TONE: Record<string, string> = {
  unreviewed: "bg-stone-100 text-stone-700",
  accepted: "bg-emerald-100 text-emerald-800",
  rejected: "bg-red-100 text-red-800",
};

export function ClusterSection({ datasetId: ds, row }: { datasetId: string; row: RecordRow }) {
  const clusterId = row.duplicate!.clusterId;
  const view = useQuery({
    // Under the record's key: a decision on it (or a refresh) reads the members' states again.
    queryKey: [...keys.record(ds, row.id), "cluster", clusterId, row.revision],
    queryFn: ({ signal }) => readReview<ClusterView>(ds, { kind: "cluster", clusterId, recordId: row.id }, signal),
  });
  const v = view.data;
  const self = v?.members.find((m) => m.id === row.id);
  return (
    <section className="mb-4 space-y-2" aria-labelledby={`dup-${row.id}`} data-testid="cluster-view">
      <h3 id={`dup-${row.id}`} className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Duplicates</h3>
      <p className="text-xs text-stone-700">
        In a cluster of {row.duplicate!.size} {row.duplicate!.exact ? "identical records (after normalising case, spacing and punctuation)" : "near-duplicate records"}.{" "}
        <Link href={recordsHref(ds, { clusterId })} className="text-indigo-700 underline">Show this cluster in the grid</Link>
      </p>
      {view.isLoading && <p className="text-xs text-stone-600">Loading the cluster…</p>}
      {view.error && <ErrorText>{view.error.message}</ErrorText>}
      {v && self && (
        <>
          <p className="text-xs text-stone-600">
            Beside this record, each other one shows <ins className="bg-emerald-100 text-emerald-900 no-underline">words only it has</ins> and{" "}
            <del className="bg-red-100 text-red-900">words of this record it lacks</del>.
            {v.size > v.shown ? ` Showing ${v.shown} of ${v.size} members.` : ""}
          </p>
          <div className="flex gap-2 overflow-x-auto pb-1" tabIndex={0} role="region" aria-label="Cluster members side by side">
            {v.members.map((m) => (
              <MemberCard key={m.id} member={m} self={self} fields={v.fields} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}

function MemberCard({ member: m, self, fields }: { member: ClusterMember; self: ClusterMember; fields: string[] }) {
  const isSelf = m.id === self.id;
  // Diffs of ~10,000-character texts take a few milliseconds each: once per member and view.
  const diffs = useMemo(() => (isSelf ? null : fields.map((f) => wordDiff(self.texts[f] ?? "", m.texts[f] ?? ""))), [isSelf, fields, self, m]);
  return (
    <article className={`w-64 shrink-0 rounded border p-2 ${isSelf ? "border-indigo-300 bg-indigo-50/40" : "border-stone-200"}`} data-testid="cluster-member" aria-label={`Record ${recordLabel(m.index)}${isSelf ? " (this record)" : ""}`}>
      <div className="mb-1 flex items-center gap-2 text-xs">
        <span className="font-medium">Record {recordLabel(m.index)}{isSelf ? " (this one)" : ""}</span>
        <span data-testid="member-state" className={`ml-auto rounded px-1.5 py-0.5 ${STATE_TONE[m.reviewState]}`}>{m.reviewState}</span>
      </div>
      {fields.map((f, i) => (
        <div key={f} className="mt-1">
          {fields.length > 1 && <p className="text-[11px] font-medium text-stone-600">{f}</p>}
          <div className="max-h-60 overflow-auto text-xs whitespace-pre-wrap break-words text-stone-800" tabIndex={0} role="region" aria-label={`Record ${recordLabel(m.index)}, ${f}`}>
            {diffs
              ? diffs[i].map((part, k) =>
                  part.kind === "same" ? (
                    <span key={k}>{part.text}</span>
                  ) : part.kind === "added" ? (
                    <ins key={k} className="bg-emerald-100 text-emerald-900 no-underline">{part.text}</ins>
                  ) : (
                    <del key={k} className="bg-red-100 text-red-900">{part.text}</del>
                  ),
                )
              : m.texts[f]}
          </div>
          {m.cut.includes(f) && <p className="mt-0.5 text-[11px] text-stone-600">The first {PREVIEW_CHARS.toLocaleString("en-US")} characters.</p>}
        </div>
      ))}
    </article>
  );
}
