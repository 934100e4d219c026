"use client";
// The grid's writes: decisions and labels on one record (through the write chain, so one
// record's writes go in order), bulk decisions and labels by selection or filter, and undo.
import { useMutation, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useRef } from "react";
import { unwrap } from "@/lib/errors/client";
import { keepOneAction } from "@/lib/quality/actions";
import type { KeepOnePolicy } from "@/lib/quality/schemas";
import { bulkDecideAction, bulkLabelAction, decideAction, setLabelsAction, undoAction } from "@/lib/review/actions";
import type { RecordFilter } from "@/lib/records/filter";
import type { BulkTarget, Decision } from "@/lib/review/schemas";
import type { BulkResult, RecordRow, RowPatch, UndoResult } from "@/lib/review/types";
import { createWriteChains } from "@/lib/review/write-chain";
import { keys, readReview } from "./api";
import type { useGridData } from "./use-grid-data";

export type Toast = { message: string; tone: "info" | "error"; undo?: string };
export type BulkChange = { kind: "decide"; decision: Decision } | { kind: "label"; label: string; value: string | number | null };

export function useRecordWrites(p: {
  datasetId: string;
  grid: ReturnType<typeof useGridData>;
  reviewer: string;
  /** Asks the reviewer's name, then runs `then` with it. */
  needName: (then?: (name: string) => void) => void;
  /** What a bulk change applies to. */
  bulkTarget: () => BulkTarget;
  setToast: (t: Toast) => void;
  setSaved: (message: string) => void;
  moveTo: (index: number) => void;
  clearSelection: () => void;
}) {
  const { datasetId: ds, grid, reviewer, needName, setSaved } = p;
  const { patchRow } = grid;
  const qc = useQueryClient();
  const showError = (e: unknown) => p.setToast({ message: e instanceof Error ? e.message : String(e), tone: "error" });

  const chains = useRef<ReturnType<typeof createWriteChains>>(null);
  chains.current ??= createWriteChains();
  const writeRow = useCallback(
    (row: RecordRow, optimistic: Partial<RecordRow>, send: (revision: number) => Promise<RowPatch | RecordRow>) =>
      chains.current!.write(row, optimistic, send, {
        patch: patchRow,
        current: (r) => (grid.indexOf(r.id) !== null ? findCached(qc, ds, r.id) : r),
        reload: (id) => readReview<RecordRow>(ds, { kind: "row", recordId: id }),
        onError: showError,
        failed: (id) => void qc.invalidateQueries({ queryKey: keys.record(ds, id) }),
        settled: () => void qc.invalidateQueries({ queryKey: keys.stats(ds) }),
      }),
    [patchRow, qc, ds, grid],
  );

  const decideRow = useCallback(
    (row: RecordRow, decision: Decision, as = reviewer) => {
      if (!as) return needName((n) => decideRow(row, decision, n));
      const state = decision === "accept" ? "accepted" : decision === "reject" ? "rejected" : "unreviewed";
      void writeRow(row, { reviewState: state, reviewedBy: decision === "reset" ? null : as }, (revision) =>
        unwrap(decideAction({ recordId: row.id, revision, reviewer: as, decision })),
      );
    },
    [reviewer, writeRow, needName],
  );

  const labelRow = useCallback(
    (row: RecordRow, labels: Record<string, unknown>, as = reviewer) => {
      if (!as) return needName((n) => labelRow(row, labels, n));
      void writeRow(row, { labels }, (revision) => unwrap(setLabelsAction({ recordId: row.id, revision, reviewer: as, labels }))).then((ok) => {
        // A failed write shows its own error.
        if (ok) setSaved(`Saved the labels of record ${row.index}.`);
      });
    },
    [reviewer, writeRow, needName, setSaved],
  );

  const undo = useMutation({
    mutationFn: (actionId?: string) => unwrap(undoAction({ datasetId: ds, reviewer, actionId })),
    onSuccess: (r: UndoResult) => {
      const what = `Undid ${r.kind === "label" ? "labels" : r.kind === "edit" ? "an edit" : `"${r.kind}"`} on ${r.restored} record${r.restored === 1 ? "" : "s"}`;
      p.setToast({ message: r.skipped ? `${what}; ${r.skipped} changed since by someone were left as they are.` : `${what}.`, tone: "info" });
      if (r.row) {
        patchRow(r.row);
        const at = grid.indexOf(r.row.id);
        if (at !== null) p.moveTo(at);
        qc.invalidateQueries({ queryKey: keys.record(ds, r.row.id) });
        qc.invalidateQueries({ queryKey: keys.stats(ds) });
      } else grid.refresh();
    },
    onError: showError,
  });

  const bulk = useMutation({
    mutationFn: (a: BulkChange) => {
      const target = p.bulkTarget();
      return unwrap<BulkResult>(
        a.kind === "decide"
          ? bulkDecideAction({ datasetId: ds, target, reviewer, decision: a.decision })
          : bulkLabelAction({ datasetId: ds, target, reviewer, label: a.label, value: a.value }),
      );
    },
    onSuccess: (r) => {
      p.setToast({ message: `Changed ${r.count.toLocaleString("en-US")} record${r.count === 1 ? "" : "s"}.`, tone: "info", undo: r.actionId ?? undefined });
      p.clearSelection();
      grid.refresh();
    },
    onError: showError,
  });

  // Keep one per cluster (lib/quality/server/keep-one.ts): a bulk rejection like the others,
  // with the same toast and undo.
  const keepOne = useMutation({
    mutationFn: (a: { policy: KeepOnePolicy; label?: string }) => unwrap<BulkResult>(keepOneAction({ datasetId: ds, reviewer, ...a })),
    onSuccess: (r) => {
      p.setToast({
        message: r.count ? `Kept one record per duplicate cluster: rejected ${r.count.toLocaleString("en-US")} record${r.count === 1 ? "" : "s"}.` : "Every duplicate cluster already has one record left: nothing to reject.",
        tone: "info",
        undo: r.actionId ?? undefined,
      });
      grid.refresh();
    },
    onError: showError,
  });

  // "Decide where the judge says…" (judge-decide-dialog.tsx): a bulk decision over a filter
  // the dialog built, whatever is selected; the same toast and undo.
  const judgeDecide = useMutation({
    mutationFn: (a: { filter: RecordFilter; decision: Decision; what: string }) =>
      unwrap<BulkResult>(bulkDecideAction({ datasetId: ds, target: { filter: a.filter }, reviewer, decision: a.decision })).then((r) => ({ ...r, what: a.what })),
    onSuccess: (r) => {
      p.setToast({ message: `${r.what}: ${r.count.toLocaleString("en-US")} record${r.count === 1 ? "" : "s"}.`, tone: "info", undo: r.actionId ?? undefined });
      grid.refresh();
    },
    onError: showError,
  });

  return { decideRow, labelRow, undo, bulk, keepOne, judgeDecide, showError };
}

function findCached(qc: QueryClient, ds: string, id: string): RecordRow | undefined {
  for (const [, data] of qc.getQueriesData<RecordRow[]>({ queryKey: keys.pages(ds) })) {
    const r = data?.find((x) => x.id === id);
    if (r) return r;
  }
}
