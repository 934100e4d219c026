"use client";
// The records page: a virtual grid over every record of the dataset, driven by the
// keyboard. State ownership (see lib/review/README.md): rows and counts live in TanStack
// Query (use-grid-data); the filter, sort, focus, selection and open panels live here;
// the column layout lives in localStorage per dataset; the reviewer's name per browser.
// Its parts: writes in use-record-writes, keys in use-grid-keys, columns in grid-columns,
// rows in virtual-body.
import Link from "next/link";
import { useCallback, useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { exportHref } from "@/lib/export/defaults";
import type { RecordFilter } from "@/lib/records/filter";
import { defaultDigitLabel, type LabelSchema } from "@/lib/review/labels";
import { DEFAULT_SORT, type RecordSort } from "@/lib/review/schemas";
import type { QualitySetup, RecordRow, ReviewStats } from "@/lib/review/types";
import { BulkBar } from "./bulk-bar";
import { DetailPanel } from "./detail-panel";
import { FilterBar } from "./filter-bar";
import { GuidelinesPanel } from "./guidelines-panel";
import { JudgeDecideDialog } from "./judge-decide-dialog";
import { KeepOneDialog } from "./keep-one-dialog";
import { RegenerateField } from "./regenerate-dialog";
import { cellContent, GridHeader, useGridColumns } from "./grid-columns";
import { LabelSchemaEditor } from "./label-schema-editor";
import { Progress } from "./progress";
import { LabelSchemaContext } from "./suggested-labels";
import { ExpandDialog, HelpDialog } from "./review-dialogs";
import { ReviewerDialog, useReviewer } from "./reviewer";
import { useGridData } from "./use-grid-data";
import { useGridKeys } from "./use-grid-keys";
import { useAutoAdvance } from "./use-layout-settings";
import { useRecordWrites, type Toast } from "./use-record-writes";
import { GridRows, type RowCtx, type VirtualBodyHandle } from "./virtual-body";

export type ReviewPageProps = {
  datasetId: string;
  fields: string[];
  runs: { id: string; number: number }[];
  labelSchema: LabelSchema;
  quality: QualitySetup;
  initial: { rows: RecordRow[]; total: number; stats: ReviewStats };
  /** The filter the first page was read with (`?filter=` in the URL). */
  initialFilter?: RecordFilter;
  /**
   * Editor or owner here: shows the controls whose actions need an editor (bulk decisions,
   * keep one, decide by judge, regenerate, labels, restore). Annotators do not see them.
   */
  canEdit?: boolean;
};

export function ReviewPage(props: ReviewPageProps) {
  const { datasetId: ds, fields, runs } = props;
  const canEdit = props.canEdit ?? false;
  const [reviewer, setReviewer] = useReviewer();
  const [askName, setAskName] = useState(false);
  const [schema, setSchema] = useState(props.labelSchema);
  const [filter, setFilter] = useState<RecordFilter>(props.initialFilter ?? {});
  const [sort, setSort] = useState<RecordSort>(DEFAULT_SORT);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const anchor = useRef<number | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [editRequest, setEditRequest] = useState<{ recordId: string; n: number; note: boolean } | null>(null);
  const [help, setHelp] = useState(false);
  const [showGuidelines, setShowGuidelines] = useState(false);
  const [editingLabels, setEditingLabels] = useState(false);
  const [keepingOne, setKeepingOne] = useState(false);
  const [judgeDeciding, setJudgeDeciding] = useState(false);
  const [expand, setExpand] = useState<{ row: RecordRow; field: string } | null>(null);
  const [activeLabel, setActiveLabel] = useState<string | undefined>(undefined);
  const [autoAdvance, setAutoAdvance] = useAutoAdvance();
  const [toast, setToast] = useState<Toast | null>(null);
  const [hydrated, setHydrated] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const body = useRef<VirtualBodyHandle>(null);
  // A page of rows that could not be read (GridRows reads them).
  const [rowsError, setRowsError] = useState<Error | null>(null);

  useEffect(() => setHydrated(true), []);
  // The name is asked when it is first needed (a decision, a label, an undo), not on
  // arrival: a dialog that opens by itself takes the focus from someone already using the
  // grid's keys. What asked for it runs once the name is given.
  const afterName = useRef<((name: string) => void) | null>(null);
  const needName = useCallback((then?: (name: string) => void) => {
    afterName.current = then ?? null;
    setAskName(true);
  }, []);
  // What a screen reader hears after a save that shows no message of its own (labels, edits).
  const [saved, setSaved] = useState("");
  // Keys work from the first moment, and again when a dialog closes: the grid takes the focus.
  const dialogOpen = askName || help || editingLabels || keepingOne || judgeDeciding || !!expand;
  useEffect(() => {
    if (hydrated && !dialogOpen) scrollRef.current?.focus({ preventScroll: true });
  }, [hydrated, dialogOpen]);

  const grid = useGridData({ datasetId: ds, filter, sort, focus, initial: { filter: props.initialFilter ?? {}, sort: DEFAULT_SORT, ...props.initial } });
  const { total, rowAt, patchRow } = grid;

  // A new filter or sort starts from the top with nothing selected.
  const resetView = useCallback(() => {
    setFocus(0);
    setSelected(new Set());
    setAllMatching(false);
    scrollRef.current?.scrollTo({ top: 0 });
  }, []);
  const clearSelection = () => {
    setSelected(new Set());
    setAllMatching(false);
  };

  const focused = grid.focused;
  const digitLabel = schema.labels.find((l) => l.name === activeLabel) ?? defaultDigitLabel(schema);

  const moveTo = useCallback(
    (i: number) => {
      const clamped = Math.max(0, Math.min(total - 1, i));
      setFocus(clamped);
      body.current?.scrollToIndex(clamped);
    },
    [total],
  );

  const { decideRow, labelRow, undo, bulk, keepOne, judgeDecide, showError } = useRecordWrites({
    datasetId: ds,
    grid,
    reviewer,
    needName,
    bulkTarget: () => (allMatching ? { filter } : { ids: [...selected] }),
    setToast,
    setSaved,
    moveTo,
    clearSelection,
  });

  const toggleSelect = useCallback((row: RecordRow) => {
    setAllMatching(false);
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(row.id)) n.delete(row.id);
      else n.add(row.id);
      return n;
    });
  }, []);

  const clickRow = (i: number, e: React.MouseEvent) => {
    setFocus(i);
    const row = rowAt(i);
    if (!row) return;
    if (e.shiftKey && anchor.current !== null) {
      const [a, b] = [Math.min(anchor.current, i), Math.max(anchor.current, i)];
      setAllMatching(false);
      setSelected((s) => {
        const n = new Set(s);
        for (let k = a; k <= b; k++) {
          const r = rowAt(k);
          if (r) n.add(r.id);
        }
        return n;
      });
    } else if (e.metaKey || e.ctrlKey || (e.target as HTMLElement).closest("[data-select]")) {
      toggleSelect(row);
      anchor.current = i;
    } else anchor.current = i;
  };

  const openEditor = (row: RecordRow, note: boolean) => {
    setDetailOpen(true);
    setEditRequest((r) => ({ recordId: row.id, n: (r?.n ?? 0) + 1, note }));
  };
  const onKeyDown = useGridKeys(
    { focus, total, row: focused, reviewer, autoAdvance, schema, digitLabel },
    {
      moveTo,
      decide: decideRow,
      setLabels: labelRow,
      needName,
      edit: openEditor,
      toggleDetails: () => setDetailOpen((o) => !o),
      closeDetails: () => setDetailOpen(false),
      setActiveLabel,
      undo: () => undo.mutate(undefined),
      toggleSelect,
      focusSearch: () => searchRef.current?.focus(),
      showHelp: () => setHelp(true),
    },
  );

  const { table, visible, width, layoutKey, runNumber, resetLayout } = useGridColumns(ds, fields, runs, props.quality);

  // What rows need from the page, read through a ref so a row that did not change can skip
  // rendering without holding on to stale handlers.
  const rowCtx = useRef<RowCtx>(null!);
  rowCtx.current = {
    gridId,
    columns: visible,
    cell: (id, r, tone) => cellContent(id, r, tone, runNumber, (row, field) => setExpand({ row, field })),
    onClick: clickRow,
    onOpen: () => setDetailOpen(true),
  };

  const stats = grid.stats.data ?? props.initial.stats;
  const reviewed = stats.accepted + stats.rejected;
  const datasetEmpty = stats.total === 0 && total === 0;
  const selectionCount = allMatching ? total : selected.size;
  const loadError = rowsError ?? grid.count.error;

  return (
    <LabelSchemaContext value={schema}>
    <div className="space-y-3" onKeyDown={onKeyDown}>
      <div className="flex flex-wrap items-center gap-3">
        <Progress stats={stats} reviewed={reviewed} />
        <div className="ml-auto flex items-center gap-2 text-sm">
          <label className="flex items-center gap-1.5 text-stone-600">
            <input type="checkbox" checked={autoAdvance} onChange={(e) => setAutoAdvance(e.target.checked)} />
            Next record after a decision
          </label>
          {canEdit && props.quality.duplicates && (
            <Button size="sm" onClick={() => (reviewer ? setKeepingOne(true) : needName(() => setKeepingOne(true)))}>Keep one per cluster…</Button>
          )}
          {canEdit && props.quality.judges.length > 0 && (
            <Button size="sm" onClick={() => (reviewer ? setJudgeDeciding(true) : needName(() => setJudgeDeciding(true)))}>Decide by judge…</Button>
          )}
          {canEdit && !datasetEmpty && <RegenerateField datasetId={ds} target={selectionCount > 0 && !allMatching ? { ids: [...selected] } : { filter }} describe={selectionCount > 0 && !allMatching ? "the selected ones" : "all matching the grid's filter"} />}
          {canEdit && <Button size="sm" onClick={() => setEditingLabels(true)}>Labels…</Button>}
          <Button size="sm" aria-pressed={showGuidelines} onClick={() => setShowGuidelines((v) => !v)}>Guidelines</Button>
          <Button size="sm" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">?</Button>
          <Button size="sm" variant="ghost" onClick={() => needName()} data-testid="reviewer-name">
            {reviewer ? `Reviewing as ${reviewer}` : "Set your name"}
          </Button>
        </div>
      </div>

      {datasetEmpty ? (
        <EmptyState title="No records yet">
          Generate a batch or import data, and the records show up here for review.{" "}
          <Link href={`/datasets/${ds}/runs`} className="text-indigo-700 hover:underline">Generate a batch</Link>
        </EmptyState>
      ) : (
        <>
          <FilterBar
            filter={filter}
            sort={sort}
            fields={fields}
            runs={runs}
            schema={schema}
            quality={props.quality}
            searchRef={searchRef}
            table={table}
            onFilter={(f) => {
              setFilter(f);
              resetView();
            }}
            onSort={(s) => {
              setSort(s);
              resetView();
            }}
            onRefresh={() => void grid.refresh()}
            onResetLayout={resetLayout}
            datasetId={ds}
          />

          <div className="flex items-center gap-3 text-sm" aria-live="polite">
            <span data-testid="match-count" className="text-stone-600">
              {grid.count.isLoading ? "Counting…" : `${total.toLocaleString("en-US")} record${total === 1 ? "" : "s"}`}
            </span>
            {digitLabel && (
              <span className="text-stone-500" data-testid="digit-label">
                Digits set <b className="font-medium text-stone-700">{digitLabel.name}</b>
                {digitLabel.options ? `: ${digitLabel.options.map((o, i) => `${i + 1} ${o}`).join(", ")}` : " (1-5)"}
              </span>
            )}
            {canEdit && selectionCount > 0 && (
              <BulkBar
                count={selectionCount}
                allMatching={allMatching}
                total={total}
                schema={schema}
                pending={bulk.isPending}
                onAll={() => setAllMatching(true)}
                onClear={clearSelection}
                onDecide={(d) => bulk.mutate({ kind: "decide", decision: d })}
                onLabel={(label, value) => bulk.mutate({ kind: "label", label, value })}
              />
            )}
            {selectionCount === 0 && total > 0 && (
              <Button size="sm" variant="ghost" onClick={() => setAllMatching(true)}>Select all {total.toLocaleString("en-US")} matching</Button>
            )}
            {total > 0 && (
              // The export page takes the grid's filter as is: "export what I see".
              <Link href={exportHref(ds, filter)} className="ml-auto text-sm text-indigo-700 hover:underline">
                Export these {total.toLocaleString("en-US")} →
              </Link>
            )}
          </div>

          <p role="status" className="sr-only" data-testid="saved-status">{saved}</p>
          {toast && (
            <div role={toast.tone === "error" ? "alert" : "status"} data-testid="toast" className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm ${toast.tone === "error" ? "bg-red-50 text-red-800" : "bg-indigo-50 text-indigo-900"}`}>
              <span>{toast.message}</span>
              {toast.undo && (
                <Button size="sm" onClick={() => { undo.mutate(toast.undo); setToast(null); }}>Undo</Button>
              )}
              <button type="button" aria-label="Dismiss" className="ml-auto text-stone-600" onClick={() => setToast(null)}>✕</button>
            </div>
          )}
          {loadError && (
            <div role="alert" className="flex items-center gap-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              Could not load records: {loadError.message}
              <Button size="sm" onClick={() => void grid.refresh()}>Try again</Button>
            </div>
          )}

          <div className="flex gap-3">
            <div
              ref={scrollRef}
              id={gridId}
              role="grid"
              aria-label="Records"
              aria-rowcount={total}
              // Selection is the checkboxes (aria-selected on their rows); the cursor is the
              // active descendant, set by VirtualBody while its row is rendered.
              aria-multiselectable
              tabIndex={0}
              data-testid="records-grid"
              className="relative h-[calc(100vh-300px)] min-h-[360px] flex-1 overflow-auto rounded-lg border border-stone-200 bg-white text-sm outline-none focus-visible:ring-2 focus-visible:ring-indigo-300"
            >
              <GridHeader table={table} width={width} layoutKey={layoutKey} resizing={table.getState().columnSizingInfo.isResizingColumn} />
              {total === 0 && !grid.count.isLoading ? (
                <div className="p-6">
                  <EmptyState title="No records match this filter">
                    <Button size="sm" onClick={() => { setFilter({}); resetView(); }}>Clear the filter</Button>
                  </EmptyState>
                </div>
              ) : (
                <GridRows
                  source={grid.source}
                  onError={setRowsError}
                  handle={body}
                  count={total}
                  scrollRef={scrollRef}
                  width={width}
                  focus={focus}
                  selected={selected}
                  allMatching={allMatching}
                  rowCtx={rowCtx}
                  layoutKey={layoutKey}
                />
              )}
            </div>
            {showGuidelines && (
              <GuidelinesPanel
                datasetId={ds}
                canEdit={canEdit}
                onClose={() => {
                  setShowGuidelines(false);
                  scrollRef.current?.focus();
                }}
              />
            )}
            {detailOpen && focused && (
              <DetailPanel
                key={focused.id}
                datasetId={ds}
                row={focused}
                fields={fields}
                schema={schema}
                reviewer={reviewer}
                canEdit={canEdit}
                editRequest={editRequest}
                onClose={() => {
                  setDetailOpen(false);
                  scrollRef.current?.focus();
                }}
                onDecide={(d) => decideRow(focused, d)}
                onLabels={(l) => labelRow(focused, l)}
                onRowChanged={(r) => {
                  patchRow(r);
                  setSaved(`Saved the edit of record ${r.index}.`);
                }}
                onError={showError}
                askName={() => needName()}
              />
            )}
          </div>
        </>
      )}

      {askName && (
        <ReviewerDialog
          initial={reviewer}
          onSave={(n) => {
            setReviewer(n);
            setAskName(false);
            const then = afterName.current;
            afterName.current = null;
            then?.(n);
          }}
          onCancel={() => {
            afterName.current = null;
            setAskName(false);
          }}
        />
      )}
      {keepingOne && (
        <KeepOneDialog
          datasetId={ds}
          schema={schema}
          pending={keepOne.isPending}
          onKeep={(policy, label) => keepOne.mutate({ policy, label }, { onSettled: () => setKeepingOne(false) })}
          onClose={() => setKeepingOne(false)}
        />
      )}
      {judgeDeciding && (
        <JudgeDecideDialog
          datasetId={ds}
          judges={props.quality.judges}
          filter={filter}
          pending={judgeDecide.isPending}
          onDecide={(f, decision, what) => judgeDecide.mutate({ filter: f, decision, what }, { onSettled: () => setJudgeDeciding(false) })}
          onClose={() => setJudgeDeciding(false)}
        />
      )}
      {help && <HelpDialog schema={schema} onClose={() => setHelp(false)} />}
      {editingLabels && (
        <LabelSchemaEditor
          datasetId={ds}
          judges={props.quality.judges}
          schema={schema}
          onSaved={(s) => {
            setSchema(s);
            setEditingLabels(false);
          }}
          onClose={() => setEditingLabels(false)}
        />
      )}
      {expand && <ExpandDialog datasetId={ds} row={expand.row} field={expand.field} onClose={() => setExpand(null)} />}
    </div>
    </LabelSchemaContext>
  );
}
