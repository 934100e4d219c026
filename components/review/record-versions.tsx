"use client";
// The detail panel's "Earlier versions": what each regeneration (or restore) of this record
// replaced, newest first, each with one click to put it back. A restore is itself kept as a
// version, so it can be taken back the same way. Restoring needs an editor: annotators see
// the versions without the button.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import { recordVersionsAction, restoreVersionAction } from "@/lib/review/actions";
import type { RecordRow } from "@/lib/review/types";
import { keys } from "./api";

const show = (v: unknown) => (v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v, null, 2));

// Outside the panel's record query: it stays mounted while a restore's new revision loads,
// so its status message is still there to be read.
export function RecordVersions(p: { ds: string; recordId: string; revision: number; reviewer: string; canRestore: boolean; askName: () => void; onRestored: (row: RecordRow) => void }) {
  const qc = useQueryClient();
  const [done, setDone] = useState("");
  const versionsKey = [...keys.record(p.ds, p.recordId), "versions", p.revision];
  const versions = useQuery({ queryKey: versionsKey, queryFn: () => unwrap(recordVersionsAction({ recordId: p.recordId })), placeholderData: (prev) => prev });
  const restore = useMutation({
    mutationFn: (versionId: string) => unwrap(restoreVersionAction({ recordId: p.recordId, revision: p.revision, reviewer: p.reviewer, versionId })),
    onSuccess: (r) => {
      setDone(r.reviewReset ? "Restored. The record's review was reset: its values changed." : "Restored.");
      p.onRestored(r.row);
      qc.invalidateQueries({ queryKey: keys.record(p.ds, p.recordId) });
    },
  });
  const list = versions.data ?? [];
  if (!versions.error && list.length === 0) return null;
  return (
    <section className="mt-4 space-y-2" data-testid="record-versions">
      <h3 className="text-xs font-semibold tracking-wide text-stone-500 uppercase">Earlier versions</h3>
      {versions.error && <ErrorText>{versions.error.message}</ErrorText>}
      <ol className="space-y-2">
        {list.map((v) => {
          const fields = Object.keys(v.values);
          const when = new Date(v.createdAt).toLocaleString();
          return (
            <li key={v.id} className="rounded bg-stone-50 p-2 text-xs" data-testid="record-version">
              <div className="flex items-center gap-2">
                <span className="text-stone-600">
                  {v.kind === "restore" ? `Before ${v.by ?? "someone"} restored an earlier version` : "Before regeneration"}, {when}
                  {v.kind === "regenerate" && ` (was ${v.reviewState})`}
                </span>
                {p.canRestore && fields.length > 0 && (
                  <Button size="sm" className="ml-auto" disabled={restore.isPending} aria-label={`Restore the version from ${when}`} onClick={() => (p.reviewer ? restore.mutate(v.id) : p.askName())}>
                    Restore
                  </Button>
                )}
              </div>
              {v.error && <p className="mt-1 text-red-800">The regeneration failed, nothing was changed: {v.error}</p>}
              {!v.error && fields.length === 0 && <p className="mt-1 text-stone-500">The regeneration came out identical; nothing changed.</p>}
              {fields.map((f) => (
                <div key={f} className="mt-1">
                  <span className="font-medium">{f}</span>
                  {v.sources[f]?.model && <span className="text-stone-500"> · {v.sources[f].model} · prompt {v.sources[f].promptHash}</span>}
                  {/* Scrolls when long: focusable so the keyboard can scroll it, named for screen readers. */}
                  <pre tabIndex={0} aria-label={`Earlier ${f}`} className="mt-0.5 max-h-40 overflow-auto whitespace-pre-wrap break-words font-sans text-stone-800">{show(v.values[f])}</pre>
                </div>
              ))}
            </li>
          );
        })}
      </ol>
      {restore.error && <ErrorText>{restore.error.message}</ErrorText>}
      <p role="status" className="text-xs text-stone-600">{done}</p>
    </section>
  );
}
