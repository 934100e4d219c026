"use client";
// The records page: a virtual grid over every record of the dataset, driven by the
// keyboard. State ownership (see lib/review/README.md): rows and counts live in TanStack
// Query (use-grid-data); the filter, sort, focus, selection and open panels live here;
// the column layout lives in localStorage per dataset; the reviewer's name per browser.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  getCoreRowModel,
  useReactTable,
  type Column,
  type ColumnDef,
  type ColumnOrderState,
  type ColumnSizingState,
  type VisibilityState,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { memo, useCallback, useEffect, useId, useImperativeHandle, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ActionFailed, unwrap } from "@/lib/errors/client";
import { exportHref } from "@/lib/export/defaults";
import type { RecordFilter } from "@/lib/records/filter";
import { bulkDecideAction, bulkLabelAction, decideAction, setLabelsAction, undoAction } from "@/lib/review/actions";
import { commandFor, KEY_HELP } from "@/lib/review/keys";
import { applyDigit, defaultDigitLabel, formatLabel, type LabelSchema } from "@/lib/review/labels";
import { DEFAULT_SORT, PAGE_SIZE, type BulkTarget, type Decision, type RecordSort } from "@/lib/review/schemas";
import type { BulkResult, RecordRow, ReviewStats, RowPatch, UndoResult } from "@/lib/review/types";
import { keys, readReview } from "./api";
import { DetailPanel } from "./detail-panel";
import { Dialog } from "./dialog";
import { FilterBar } from "./filter-bar";
import { LabelSchemaEditor } from "./label-schema-editor";
import { ReviewerDialog, useReviewer } from "./reviewer";
import { useGridData } from "./use-grid-data";
import { recordLabel } from "@/lib/records/number";

const ROW_HEIGHT = 36;
const STATE_TONE: Record<string, string> = {
  unreviewed: "bg-stone-100 text-stone-600",
  accepted: "bg-emerald-100 text-emerald-800",
  rejected: "bg-red-100 text-red-800",
};
const STATUS_TONE: Record<string, string> = { succeeded: "text-stone-600", failed: "text-red-700", pending: "text-amber-700" };

export type ReviewPageProps = {
  datasetId: string;
  fields: string[];
  runs: { id: string; number: number }[];
  labelSchema: LabelSchema;
  initial: { rows: RecordRow[]; total: number; stats: ReviewStats };
};

type Toast = { message: string; tone: "info" | "error"; undo?: string };
type Layout = { visibility: VisibilityState; order: ColumnOrderState; sizing: ColumnSizingState };

function useColumnLayout(datasetId: string) {
  const key = `datawright.review.columns.${datasetId}`;
  const [layout, setLayout] = useState<Layout>({ visibility: {}, order: [], sizing: {} });
  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(key) ?? "null");
      if (saved) setLayout({ visibility: saved.visibility ?? {}, order: saved.order ?? [], sizing: saved.sizing ?? {} });
    } catch {
      /* a broken saved layout is ignored */
    }
  }, [key]);
  const update = useCallback(
    (fn: (l: Layout) => Layout) =>
      setLayout((l) => {
        const next = fn(l);
        localStorage.setItem(key, JSON.stringify(next));
        return next;
      }),
    [key],
  );
  return [layout, update] as const;
}

export function ReviewPage(props: ReviewPageProps) {
  const { datasetId: ds, fields, runs } = props;
  const qc = useQueryClient();
  const [reviewer, setReviewer] = useReviewer();
  const [askName, setAskName] = useState(false);
  const [schema, setSchema] = useState(props.labelSchema);
  const [filter, setFilter] = useState<RecordFilter>({});
  const [sort, setSort] = useState<RecordSort>(DEFAULT_SORT);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const anchor = useRef<number | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [editRequest, setEditRequest] = useState<{ recordId: string; n: number; note: boolean } | null>(null);
  const [help, setHelp] = useState(false);
  const [editingLabels, setEditingLabels] = useState(false);
  const [expand, setExpand] = useState<{ row: RecordRow; field: string } | null>(null);
  const [activeLabel, setActiveLabel] = useState<string | undefined>(undefined);
  const [autoAdvance, setAutoAdvance] = useState(true);
  const [toast, setToast] = useState<Toast | null>(null);
  const [hydrated, setHydrated] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const body = useRef<VirtualBodyHandle>(null);
  // The pages under the visible rows; rows move every frame while scrolling, pages seldom.
  const [pages, setPages] = useState({ first: 0, last: 0 });
  const onPages = useCallback((first: number, last: number) => {
    setPages((p) => (p.first === first && p.last === last ? p : { first, last }));
  }, []);

  useEffect(() => {
    setHydrated(true);
    setAutoAdvance(localStorage.getItem("datawright.review.autoAdvance") !== "false");
  }, []);
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
  const dialogOpen = askName || help || editingLabels || !!expand;
  useEffect(() => {
    if (hydrated && !dialogOpen) scrollRef.current?.focus({ preventScroll: true });
  }, [hydrated, dialogOpen]);

  const grid = useGridData({ datasetId: ds, filter, sort, pages, initial: { filter: {}, sort: DEFAULT_SORT, ...props.initial } });
  const { total, rowAt, patchRow } = grid;

  // A new filter or sort starts from the top with nothing selected.
  const resetView = useCallback(() => {
    setFocus(0);
    setSelected(new Set());
    setAllMatching(false);
    scrollRef.current?.scrollTo({ top: 0 });
  }, []);

  const focused = rowAt(focus);
  const digitLabel = schema.labels.find((l) => l.name === activeLabel) ?? defaultDigitLabel(schema);

  const showError = (e: unknown) => setToast({ message: e instanceof Error ? e.message : String(e), tone: "error" });

  // Writes to one record run one after another, each with the revision the previous one left.
  const chains = useRef(new Map<string, Promise<unknown>>());
  const writeRow = useCallback(
    (row: RecordRow, optimistic: Partial<RecordRow>, send: (revision: number) => Promise<RowPatch | RecordRow>) => {
      // Only the fields the write changes: the revision in the cache must stay the server's.
      patchRow({ id: row.id, ...optimistic });
      const prev = chains.current.get(row.id) ?? Promise.resolve();
      const next = prev
        .catch(() => {})
        .then(async () => {
          const current = grid.indexOf(row.id) !== null ? findCached(qc, ds, row.id) : row;
          try {
            const patch = await send(current?.revision ?? row.revision);
            patchRow(patch);
            return true;
          } catch (e) {
            showError(e);
            // On a conflict (or any failure) show what the server has now.
            const fresh = await readReview<RecordRow>(ds, { kind: "row", recordId: row.id }).catch(() => null);
            if (fresh) patchRow(fresh);
            qc.invalidateQueries({ queryKey: keys.record(ds, row.id) });
            return false;
          } finally {
            qc.invalidateQueries({ queryKey: keys.stats(ds) });
          }
        });
      chains.current.set(row.id, next);
      return next;
    },
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
    [reviewer, writeRow, needName],
  );

  const undo = useMutation({
    mutationFn: (actionId?: string) => unwrap(undoAction({ datasetId: ds, reviewer, actionId })),
    onSuccess: (r: UndoResult) => {
      const what = `Undid ${r.kind === "label" ? "labels" : r.kind === "edit" ? "an edit" : `"${r.kind}"`} on ${r.restored} record${r.restored === 1 ? "" : "s"}`;
      setToast({ message: r.skipped ? `${what}; ${r.skipped} changed since by someone were left as they are.` : `${what}.`, tone: "info" });
      if (r.row) {
        patchRow(r.row);
        const at = grid.indexOf(r.row.id);
        if (at !== null) moveTo(at);
        qc.invalidateQueries({ queryKey: keys.record(ds, r.row.id) });
        qc.invalidateQueries({ queryKey: keys.stats(ds) });
      } else grid.refresh();
    },
    onError: showError,
  });

  const bulk = useMutation({
    mutationFn: (a: { kind: "decide"; decision: Decision } | { kind: "label"; label: string; value: string | number | null }) => {
      const target: BulkTarget = allMatching ? { filter } : { ids: [...selected] };
      return unwrap<BulkResult>(
        a.kind === "decide"
          ? bulkDecideAction({ datasetId: ds, target, reviewer, decision: a.decision })
          : bulkLabelAction({ datasetId: ds, target, reviewer, label: a.label, value: a.value }),
      );
    },
    onSuccess: (r) => {
      setToast({ message: `Changed ${r.count.toLocaleString("en-US")} record${r.count === 1 ? "" : "s"}.`, tone: "info", undo: r.actionId ?? undefined });
      setSelected(new Set());
      setAllMatching(false);
      grid.refresh();
    },
    onError: showError,
  });

  const moveTo = useCallback(
    (i: number) => {
      const clamped = Math.max(0, Math.min(total - 1, i));
      setFocus(clamped);
      body.current?.scrollToIndex(clamped);
    },
    [total],
  );

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

  const onKeyDown = (e: React.KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (t.closest("input, textarea, select, [contenteditable=true], dialog")) return;
    if ((e.key === "Enter" || e.key === " ") && t.closest("button, a, summary")) return;
    const cmd = commandFor(e, schema);
    if (!cmd) return;
    e.preventDefault();
    const row = focused;
    switch (cmd.type) {
      case "move":
        return moveTo(focus + cmd.by);
      case "moveTo":
        return moveTo(cmd.where === "first" ? 0 : total - 1);
      case "decide": {
        if (!row) return;
        const advance = () => autoAdvance && cmd.decision !== "reset" && moveTo(focus + 1);
        if (!reviewer)
          return needName((n) => {
            decideRow(row, cmd.decision, n);
            advance();
          });
        decideRow(row, cmd.decision);
        advance();
        return;
      }
      case "digit": {
        if (!row || !digitLabel) return;
        const next = applyDigit(digitLabel, row.labels, cmd.n);
        if (next) labelRow(row, next);
        return;
      }
      case "label": {
        const def = schema.labels.find((l) => l.name === cmd.name);
        if (def?.kind === "note") {
          if (!row) return;
          setDetailOpen(true);
          setEditRequest((r) => ({ recordId: row.id, n: (r?.n ?? 0) + 1, note: true }));
        } else setActiveLabel(cmd.name);
        return;
      }
      case "edit":
        if (!row) return;
        setDetailOpen(true);
        setEditRequest((r) => ({ recordId: row.id, n: (r?.n ?? 0) + 1, note: false }));
        return;
      case "details":
        return setDetailOpen((o) => !o);
      case "close":
        return setDetailOpen(false);
      case "undo":
        if (!reviewer) return needName();
        return undo.mutate(undefined);
      case "select":
        if (row) toggleSelect(row);
        return;
      case "search":
        return searchRef.current?.focus();
      case "help":
        return setHelp(true);
    }
  };

  // Columns: TanStack Table keeps visibility, order and widths; cells are drawn below.
  const [layout, setLayout] = useColumnLayout(ds);
  const runNumber = useMemo(() => new Map(runs.map((r) => [r.id, r.number])), [runs]);
  const columns = useMemo<ColumnDef<RecordRow>[]>(
    () => [
      { id: "index", header: "#", size: 70 },
      { id: "status", header: "Status", size: 90 },
      { id: "review", header: "Review", size: 110 },
      { id: "labels", header: "Labels", size: 170 },
      ...fields.map((f) => ({ id: `field:${f}`, header: f, size: 240 })),
      { id: "run", header: "Run", size: 70 },
      { id: "tokens", header: "Tokens", size: 80 },
      { id: "cost", header: "Cost", size: 90 },
    ],
    [fields],
  );
  const table = useReactTable({
    data: [] as RecordRow[],
    columns,
    getCoreRowModel: getCoreRowModel(),
    columnResizeMode: "onChange",
    defaultColumn: { minSize: 48, maxSize: 1200 },
    state: { columnVisibility: layout.visibility, columnOrder: layout.order, columnSizing: layout.sizing },
    onColumnVisibilityChange: (u) => setLayout((l) => ({ ...l, visibility: typeof u === "function" ? u(l.visibility) : u })),
    onColumnOrderChange: (u) => setLayout((l) => ({ ...l, order: typeof u === "function" ? u(l.order) : u })),
    onColumnSizingChange: (u) => setLayout((l) => ({ ...l, sizing: typeof u === "function" ? u(l.sizing) : u })),
  });
  const headers = table.getHeaderGroups()[0].headers;
  const visible = table.getVisibleLeafColumns();
  const width = 40 + visible.reduce((s, c) => s + c.getSize(), 0);
  const [dragging, setDragging] = useState<string | null>(null);
  const moveColumn = (from: string, to: string) => {
    const order = layout.order.length ? [...layout.order] : table.getAllLeafColumns().map((c) => c.id);
    const a = order.indexOf(from);
    const b = order.indexOf(to);
    if (a < 0 || b < 0 || a === b) return;
    order.splice(b, 0, ...order.splice(a, 1));
    table.setColumnOrder(order);
  };

  const cell = (id: string, r: RecordRow): ReactNode => {
    switch (id) {
      case "index":
        return <span className="tabular-nums text-stone-600">{recordLabel(r.index)}</span>;
      case "status":
        return <span className={STATUS_TONE[r.status]} title={r.error ?? undefined}>{r.status}</span>;
      case "review":
        return (
          <span data-testid="review-state" className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATE_TONE[r.reviewState]}`} title={r.reviewedBy ? `${r.reviewedBy}, ${new Date(r.reviewedAt!).toLocaleString()}` : undefined}>
            {r.reviewState}
          </span>
        );
      case "labels":
        return (
          <span data-testid="labels" className="truncate text-xs text-stone-700">
            {Object.entries(r.labels).map(([k, v]) => `${k}: ${formatLabel(v)}`).join(" · ")}
          </span>
        );
      case "run":
        return <span className="text-stone-600">{r.runId ? `#${runNumber.get(r.runId) ?? "?"}` : "import"}</span>;
      case "tokens":
        return <span className="tabular-nums">{(r.tokensIn + r.tokensOut).toLocaleString("en-US")}</span>;
      case "cost":
        return <span className="tabular-nums">${r.costUsd.toFixed(5)}</span>;
    }
    const f = id.slice("field:".length);
    const v = r.values[f];
    const text = v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
    const long = text.length > 60 || r.clipped.includes(f);
    return (
      <span className="flex min-w-0 items-center gap-1">
        {r.edited.includes(f) && <span title="Edited by a reviewer" className="text-amber-600">✎</span>}
        <span className="truncate" data-field={f}>{text}</span>
        {long && (
          <button
            type="button"
            aria-label={`Expand ${f}`}
            className="ml-auto shrink-0 rounded px-1 text-xs text-stone-600 hover:bg-stone-200 hover:text-stone-800"
            onClick={(e) => {
              e.stopPropagation();
              setExpand({ row: r, field: f });
            }}
          >
            ⤢
          </button>
        )}
      </span>
    );
  };

  // What rows need from the page, read through a ref so a row that did not change can skip
  // rendering without holding on to stale handlers.
  const rowCtx = useRef<RowCtx>(null!);
  rowCtx.current = { gridId, columns: visible, cell, onClick: clickRow, onOpen: () => setDetailOpen(true) };
  const layoutKey = visible.map((c) => `${c.id}:${c.getSize()}`).join(",") + `|${runs.length}`;

  const stats = grid.stats.data ?? props.initial.stats;
  const reviewed = stats.accepted + stats.rejected;
  const datasetEmpty = stats.total === 0 && total === 0;
  const selectionCount = allMatching ? total : selected.size;

  return (
    <div className="space-y-3" onKeyDown={onKeyDown}>
      <div className="flex flex-wrap items-center gap-3">
        <Progress stats={stats} reviewed={reviewed} />
        <div className="ml-auto flex items-center gap-2 text-sm">
          <label className="flex items-center gap-1.5 text-stone-600">
            <input
              type="checkbox"
              checked={autoAdvance}
              onChange={(e) => {
                setAutoAdvance(e.target.checked);
                localStorage.setItem("datawright.review.autoAdvance", String(e.target.checked));
              }}
            />
            Next record after a decision
          </label>
          <Button size="sm" onClick={() => setEditingLabels(true)}>Labels…</Button>
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
            onResetLayout={() => setLayout(() => ({ visibility: {}, order: [], sizing: {} }))}
            fetching={grid.fetching}
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
            {selectionCount > 0 && (
              <BulkBar
                count={selectionCount}
                allMatching={allMatching}
                total={total}
                schema={schema}
                pending={bulk.isPending}
                onAll={() => setAllMatching(true)}
                onClear={() => {
                  setSelected(new Set());
                  setAllMatching(false);
                }}
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
          {grid.pageError && (
            <div role="alert" className="flex items-center gap-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              Could not load records: {grid.pageError.message}
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
              <div style={{ width }} className="sticky top-0 z-10 flex border-b border-stone-200 bg-stone-50 text-xs font-medium text-stone-600" role="row">
                <div role="columnheader" className="w-10 shrink-0"><span className="sr-only">Selected</span></div>
                {headers.filter((h) => h.column.getIsVisible()).map((h) => (
                  <div
                    key={h.id}
                    role="columnheader"
                    draggable
                    onDragStart={() => setDragging(h.column.id)}
                    onDragOver={(e) => e.preventDefault()}
                    onDrop={() => dragging && moveColumn(dragging, h.column.id)}
                    style={{ width: h.getSize() }}
                    className="relative shrink-0 cursor-grab truncate px-2 py-2"
                    title="Drag to move; drag the right edge to resize"
                  >
                    {String(h.column.columnDef.header)}
                    <span
                      onMouseDown={h.getResizeHandler()}
                      onTouchStart={h.getResizeHandler()}
                      onClick={(e) => e.stopPropagation()}
                      aria-hidden
                      className={`absolute top-0 right-0 h-full w-1.5 cursor-col-resize hover:bg-indigo-300 ${h.column.getIsResizing() ? "bg-indigo-400" : ""}`}
                    />
                  </div>
                ))}
              </div>
              {total === 0 && !grid.count.isLoading ? (
                <div className="p-6">
                  <EmptyState title="No records match this filter">
                    <Button size="sm" onClick={() => { setFilter({}); resetView(); }}>Clear the filter</Button>
                  </EmptyState>
                </div>
              ) : (
                <VirtualBody
                  handle={body}
                  count={total}
                  scrollRef={scrollRef}
                  width={width}
                  rowAt={rowAt}
                  focus={focus}
                  selected={selected}
                  allMatching={allMatching}
                  rowCtx={rowCtx}
                  layoutKey={layoutKey}
                  onPages={onPages}
                />
              )}
            </div>
            {detailOpen && focused && (
              <DetailPanel
                key={focused.id}
                datasetId={ds}
                row={focused}
                fields={fields}
                schema={schema}
                reviewer={reviewer}
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
      {help && <HelpDialog schema={schema} onClose={() => setHelp(false)} />}
      {editingLabels && (
        <LabelSchemaEditor
          datasetId={ds}
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
  );
}

function findCached(qc: ReturnType<typeof useQueryClient>, ds: string, id: string): RecordRow | undefined {
  for (const [, data] of qc.getQueriesData<RecordRow[]>({ queryKey: keys.pages(ds) })) {
    const r = data?.find((x) => x.id === id);
    if (r) return r;
  }
}

function Progress({ stats, reviewed }: { stats: ReviewStats; reviewed: number }) {
  const pct = (n: number) => (stats.total ? (n / stats.total) * 100 : 0);
  const rate = reviewed ? Math.round((stats.accepted / reviewed) * 100) : null;
  return (
    <div className="min-w-72 flex-1 max-w-xl">
      <div className="mb-1 flex justify-between text-sm">
        <span data-testid="review-progress">
          {reviewed.toLocaleString("en-US")} / {stats.total.toLocaleString("en-US")} reviewed
        </span>
        <span className="text-stone-500" data-testid="accept-rate">{rate === null ? "—" : `${rate}% accepted`}</span>
      </div>
      <div className="flex h-2 overflow-hidden rounded bg-stone-100" role="progressbar" aria-label="Review progress" aria-valuenow={reviewed} aria-valuemax={stats.total}>
        <div className="bg-emerald-500" style={{ width: `${pct(stats.accepted)}%` }} />
        <div className="bg-red-400" style={{ width: `${pct(stats.rejected)}%` }} />
      </div>
    </div>
  );
}

function BulkBar(p: {
  count: number;
  allMatching: boolean;
  total: number;
  schema: LabelSchema;
  pending: boolean;
  onAll: () => void;
  onClear: () => void;
  onDecide: (d: Decision) => void;
  onLabel: (label: string, value: string | number | null) => void;
}) {
  const choices = p.schema.labels.flatMap((l) =>
    l.kind === "rating" ? [1, 2, 3, 4, 5].map((n) => ({ label: l.name, value: n as string | number, text: `${l.name}: ${n}` })) : (l.options ?? []).map((o) => ({ label: l.name, value: o as string | number, text: `${l.name}: ${o}` })),
  );
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-2 py-1" data-testid="bulk-bar">
      <span className="font-medium">{p.allMatching ? `All ${p.count.toLocaleString("en-US")} matching records` : `${p.count.toLocaleString("en-US")} selected`}</span>
      {!p.allMatching && p.total > p.count && (
        <Button size="sm" variant="ghost" onClick={p.onAll}>Select all {p.total.toLocaleString("en-US")} matching</Button>
      )}
      <Button size="sm" variant="primary" disabled={p.pending} onClick={() => p.onDecide("accept")}>Accept all</Button>
      <Button size="sm" variant="danger" disabled={p.pending} onClick={() => p.onDecide("reject")}>Reject all</Button>
      <Button size="sm" disabled={p.pending} onClick={() => p.onDecide("reset")}>Reset all</Button>
      {choices.length > 0 && (
        <select
          aria-label="Label all"
          className="h-7 rounded border border-stone-300 bg-white px-1 text-xs"
          value=""
          disabled={p.pending}
          onChange={(e) => {
            const c = choices[Number(e.target.value)];
            if (c) p.onLabel(c.label, c.value);
          }}
        >
          <option value="">Label all…</option>
          {choices.map((c, i) => (
            <option key={c.text} value={i}>{c.text}</option>
          ))}
        </select>
      )}
      {p.pending && <span className="text-xs text-stone-500">Working…</span>}
      <Button size="sm" variant="ghost" onClick={p.onClear}>Clear selection</Button>
    </div>
  );
}

function HelpDialog({ schema, onClose }: { schema: LabelSchema; onClose: () => void }) {
  const digit = defaultDigitLabel(schema);
  return (
    <Dialog title="Keyboard shortcuts" onClose={onClose}>
      <table className="w-full text-sm">
        <thead>
          <tr className="border-b border-stone-200 text-left text-xs text-stone-500">
            <th scope="col" className="py-1 pr-3 font-medium">Keys</th>
            <th scope="col" className="py-1 font-medium">Action</th>
          </tr>
        </thead>
        <tbody>
          {KEY_HELP.map((k) => (
            <tr key={k.does} className="border-b border-stone-100">
              <td className="py-1 pr-3 whitespace-nowrap">{k.keys.map((x) => <kbd key={x} className="mr-1 rounded border border-stone-300 bg-stone-50 px-1.5 font-mono text-xs">{x}</kbd>)}</td>
              <td className="py-1 text-stone-700">{k.does}</td>
            </tr>
          ))}
          {schema.labels.filter((l) => l.key).map((l) => (
            <tr key={l.name} className="border-b border-stone-100">
              <td className="py-1 pr-3"><kbd className="rounded border border-stone-300 bg-stone-50 px-1.5 font-mono text-xs">{l.key}</kbd></td>
              <td className="py-1 text-stone-700">{l.kind === "note" ? `Write the "${l.name}" note` : `Digits set "${l.name}"${l.options ? `: ${l.options.map((o, i) => `${i + 1} ${o}`).join(", ")}` : " (1-5)"}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-3 text-xs text-stone-500">
        {digit ? `Until you press a label's key, digits set "${digit.name}".` : "Define labels (Labels…) to set them with digits."} Click a row to focus it; Ctrl/⌘-click or the box selects it; Shift-click selects a range.
      </p>
    </Dialog>
  );
}

function ExpandDialog({ datasetId, row, field, onClose }: { datasetId: string; row: RecordRow; field: string; onClose: () => void }) {
  const [full, setFull] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!row.clipped.includes(field)) return;
    readReview<{ values: Record<string, unknown> }>(datasetId, { kind: "record", recordId: row.id })
      .then((d) => setFull(show(d.values[field])))
      .catch((e: ActionFailed) => setError(e.message));
  }, [datasetId, row, field]);
  const text = row.clipped.includes(field) ? full : show(row.values[field]);
  return (
    <Dialog title={`${field} · record ${recordLabel(row.index)}`} onClose={onClose} wide>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : text === null ? <p className="text-sm text-stone-500">Loading…</p> : <pre data-testid="expanded-text" className="whitespace-pre-wrap font-sans text-sm text-stone-800">{text}</pre>}
    </Dialog>
  );
}

const show = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

const rowId = (gridId: string, index: number) => `${gridId}-row-${index}`;

type RowCtx = {
  gridId: string;
  columns: Column<RecordRow, unknown>[];
  cell: (id: string, r: RecordRow) => ReactNode;
  onClick: (index: number, e: React.MouseEvent) => void;
  onOpen: () => void;
};
type VirtualBodyHandle = { scrollToIndex(index: number): void };

/**
 * The rows under the viewport. It owns the virtualizer, so scrolling re-renders this list
 * and not the page around it, and each row is memoised: a frame of scrolling renders the
 * few rows that came into view, not every visible one.
 */
function VirtualBody(props: {
  handle: RefObject<VirtualBodyHandle | null>;
  count: number;
  scrollRef: RefObject<HTMLDivElement | null>;
  width: number;
  rowAt: (i: number) => RecordRow | undefined;
  focus: number;
  selected: Set<string>;
  allMatching: boolean;
  rowCtx: RefObject<RowCtx>;
  layoutKey: string;
  onPages: (first: number, last: number) => void;
}) {
  const { scrollRef, onPages } = props;
  const virtualizer = useVirtualizer({
    count: props.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Rows render in the server's HTML, before the browser has measured anything.
    initialRect: { width: 1200, height: 640 },
  });
  useImperativeHandle(props.handle, () => ({ scrollToIndex: (i) => virtualizer.scrollToIndex(i, { align: "auto" }) }), [virtualizer]);
  const items = virtualizer.getVirtualItems();
  // The cursor row for assistive technology: the grid keeps the focus, its active
  // descendant is the row the keys act on (only while that row is in the DOM).
  const cursorRendered = items.some((vi) => vi.index === props.focus);
  useEffect(() => {
    const grid = scrollRef.current;
    if (!grid) return;
    if (cursorRendered) grid.setAttribute("aria-activedescendant", rowId(grid.id, props.focus));
    else grid.removeAttribute("aria-activedescendant");
  }, [scrollRef, cursorRendered, props.focus]);
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE_SIZE);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE_SIZE);
  useEffect(() => onPages(firstPage, lastPage), [firstPage, lastPage, onPages]);
  return (
    <div style={{ height: virtualizer.getTotalSize(), width: props.width }} className="relative">
      {items.map((vi) => {
        const r = props.rowAt(vi.index);
        return (
          <GridRow
            key={vi.key}
            index={vi.index}
            start={vi.start}
            row={r}
            isFocus={vi.index === props.focus}
            isSel={r ? props.allMatching || props.selected.has(r.id) : false}
            ctx={props.rowCtx}
            layoutKey={props.layoutKey}
          />
        );
      })}
    </div>
  );
}

type GridRowProps = { index: number; start: number; row: RecordRow | undefined; isFocus: boolean; isSel: boolean; ctx: RefObject<RowCtx>; layoutKey: string };

const GridRow = memo(
  function GridRow({ index, start, row: r, isFocus, isSel, ctx }: GridRowProps) {
    const { columns, cell } = ctx.current;
    return (
      <div
        role="row"
        id={rowId(ctx.current.gridId, index)}
        aria-rowindex={index + 1}
        // Selected means ticked, as the checkbox says; the cursor is aria-current.
        aria-selected={isSel}
        aria-current={isFocus || undefined}
        data-testid={r ? "record-row" : "record-row-loading"}
        data-index={index}
        data-focused={isFocus || undefined}
        onClick={(e) => ctx.current.onClick(index, e)}
        onDoubleClick={() => ctx.current.onOpen()}
        style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
        className={`absolute top-0 left-0 flex w-full items-center border-b border-stone-100 ${isFocus ? "bg-indigo-50 outline-2 -outline-offset-2 outline-indigo-400" : isSel ? "bg-amber-50" : "hover:bg-stone-50"}`}
      >
        <div role="gridcell" className="flex w-10 shrink-0 justify-center" data-select>
          {r && <input type="checkbox" aria-label={`Select record ${recordLabel(r.index)}`} checked={isSel} readOnly tabIndex={-1} />}
        </div>
        {columns.map((c) => (
          <div key={c.id} role="gridcell" style={{ width: c.getSize() }} className="flex min-w-0 shrink-0 items-center overflow-hidden px-2">
            {r ? cell(c.id, r) : <span className="h-3 w-3/4 animate-pulse rounded bg-stone-100" />}
          </div>
        ))}
      </div>
    );
  },
  // Handlers and the cell renderer are read from ctx when the row renders; what a row shows
  // depends only on what is compared here (layoutKey: the columns, their widths, the runs).
  (a, b) => a.row === b.row && a.isFocus === b.isFocus && a.isSel === b.isSel && a.start === b.start && a.index === b.index && a.layoutKey === b.layoutKey,
);
