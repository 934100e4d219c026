"use client";
// The open record's duplicate cluster side by side: each other member's compared fields,
// with the words that differ from this record's highlighted on both sides.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorText } from "@/components/ui/field";
import { recordsHref } from "@/lib/records/filter";
import { recordLabel } from "@/lib/records/number";
import type { ClusterView, RecordRow } from "@/lib/review/types";
import { wordDiff, type DiffPart } from "@/lib/review/word-diff";
import { keys, readReview } from "./api";

const text = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

function Diffed({ parts, tone }: { parts: DiffPart[]; tone: "mine" | "theirs" }) {
  return (
    <>
      {parts.map((p, i) =>
        p.changed ? (
          <mark key={i} className={tone === "mine" ? "bg-red-100 text-red-900" : "bg-emerald-100 text-emerald-900"}>{p.text}</mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

export function ClusterSection({ datasetId, recordId, cluster }: { datasetId: string; recordId: string; cluster: NonNullable<RecordRow["cluster"]> }) {
  const view = useQuery({
    queryKey: [...keys.cluster(datasetId, cluster.id), recordId],
    queryFn: ({ signal }) => readReview<ClusterView>(datasetId, { kind: "cluster", clusterId: cluster.id, recordId }, signal),
  });
  const v = view.data;
  const me = v?.members.find((m) => m.id === recordId);
  const others = v?.members.filter((m) => m.id !== recordId) ?? [];
  const shown = v ? Math.min(v.size, v.members.length) : 0;
  return (
    <section className="mb-4" data-testid="cluster-view" aria-label="Duplicate cluster">
      <div className="flex items-baseline gap-2">
        <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">
          {cluster.exact ? "Exact" : "Near"} duplicates: {cluster.size} records
        </h3>
        <Link className="ml-auto text-xs text-indigo-700 hover:underline" href={recordsHref(datasetId, { clusterId: cluster.id })}>
          Show this cluster in the grid
        </Link>
      </div>
      {view.isLoading && <p className="text-xs text-stone-500">Loading the cluster…</p>}
      {view.error && <ErrorText>{view.error.message}</ErrorText>}
      {v && (
        <>
          <p className="mt-1 text-xs text-stone-600">
            Compared on {v.fields.join(", ")}. <mark className="bg-red-100 text-red-900">This record&apos;s words</mark> and{" "}
            <mark className="bg-emerald-100 text-emerald-900">the other record&apos;s</mark> where they differ.
            {v.size > shown ? ` ${shown} of the ${v.size} are shown.` : ""}
          </p>
          <ul className="mt-2 flex gap-2 overflow-x-auto pb-1" tabIndex={0} aria-label="Other records in the cluster">
            {others.map((m) => (
              <li key={m.id} className="w-72 shrink-0 rounded border border-stone-200 p-2 text-xs" data-testid="cluster-member">
                <p className="mb-1 font-medium text-stone-700">
                  Record {recordLabel(m.index)} · {m.reviewState}
                </p>
                {v.fields.map((f) => {
                  const d = wordDiff(text(me?.values[f]), text(m.values[f]));
                  return (
                    <div key={f} className="mb-1 grid grid-cols-2 gap-1">
                      <p className="whitespace-pre-wrap break-words" aria-label={`${f} of this record`}><Diffed parts={d.a} tone="mine" /></p>
                      <p className="whitespace-pre-wrap break-words" aria-label={`${f} of record ${recordLabel(m.index)}`}><Diffed parts={d.b} tone="theirs" /></p>
                    </div>
                  );
                })}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
