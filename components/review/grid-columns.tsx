"use client";
// The grid's columns: TanStack Table keeps their visibility, order and widths (saved per
// dataset in this browser); the header moves and resizes them; cellContent draws a cell.
import { getCoreRowModel, useReactTable, type ColumnDef, type Table } from "@tanstack/react-table";
import { memo, useMemo, useState, type ReactNode } from "react";
import { recordLabel } from "@/lib/records/number";
import type { QualitySetup, RecordRow } from "@/lib/review/types";
import { LabelsCell } from "./suggested-labels";
import { EMPTY_LAYOUT, useColumnLayout } from "./use-layout-settings";

const STATE_TONE: Record<string, string> = {
  unreviewed: "bg-stone-100 text-stone-600",
  accepted: "bg-emerald-100 text-emerald-800",
  rejected: "bg-red-100 text-red-800",
};
const STATUS_TONE: Record<string, string> = { succeeded: "text-stone-600", failed: "text-red-700", pending: "text-amber-700" };

export function useGridColumns(datasetId: string, fields: string[], runs: { id: string; number: number }[], quality: QualitySetup) {
  const [layout, setLayout] = useColumnLayout(datasetId);
  const columns = useMemo<ColumnDef<RecordRow>[]>(
    () => [
      { id: "index", header: "#", size: 70 },
      { id: "status", header: "Status", size: 90 },
      { id: "review", header: "Review", size: 110 },
      { id: "labels", header: "Labels", size: 170 },
      ...fields.map((f) => ({ id: `field:${f}`, header: f, size: 240 })),
      // Only once there is something to show: no empty columns on a plain dataset.
      ...(quality.validators.length ? [{ id: "checks", header: "Checks", size: 160 }] : []),
      ...(quality.duplicates || quality.contamination ? [{ id: "duplicates", header: "Duplicates", size: 120 }] : []),
      ...quality.judges.map((j) => ({ id: `judge:${j.field}:${j.criterion}`, header: `${j.field}.${j.criterion}`, size: 110 })),
      { id: "run", header: "Run", size: 70 },
      { id: "tokens", header: "Tokens", size: 80 },
      { id: "cost", header: "Cost", size: 90 },
    ],
    [fields, quality.validators.length, quality.duplicates, quality.contamination, quality.judges],
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
  const visible = table.getVisibleLeafColumns();
  const width = 40 + visible.reduce((s, c) => s + c.getSize(), 0);
  // What a row's look depends on besides its record: rows re-render only when it changes.
  const layoutKey = visible.map((c) => `${c.id}:${c.getSize()}`).join(",") + `|${runs.length}`;
  const runNumber = useMemo(() => new Map(runs.map((r) => [r.id, r.number])), [runs]);
  return { table, visible, width, layoutKey, runNumber, resetLayout: () => setLayout(() => EMPTY_LAYOUT) };
}

/**
 * The header row: drag a header to move its column, its right edge to resize it. The table
 * object stays the same while its state changes, so what the header shows is passed as well
 * (layoutKey, the column being resized): the page renders again whenever a page of rows
 * arrives while scrolling, and the header then need not.
 */
export const GridHeader = memo(function GridHeader({ table, width }: { table: Table<RecordRow>; width: number; layoutKey: string; resizing: string | false }) {
  const [dragging, setDragging] = useState<string | null>(null);
  const moveColumn = (from: string, to: string) => {
    const saved = table.getState().columnOrder;
    const order = saved.length ? [...saved] : table.getAllLeafColumns().map((c) => c.id);
    const a = order.indexOf(from);
    const b = order.indexOf(to);
    if (a < 0 || b < 0 || a === b) return;
    order.splice(b, 0, ...order.splice(a, 1));
    table.setColumnOrder(order);
  };
  const headers = table.getHeaderGroups()[0].headers;
  return (
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
  );
});

// Plain-text cells are styled on the cell itself: one element fewer each, in every row
// that scrolls into view.
//
// A cell does not clip what overflows it. Each clip is a clip node in the browser's paint
// property tree and splits the rows' paint into chunks, and layerizing and painting those
// chunks was the largest part of a scroll frame (lib/review/README.md gives the figures).
// Cells are flex items, which paint one after another each as a whole, background first,
// so a cell's opaque background (the row's colour) covers the text that runs on from the
// cell before it, as in a spreadsheet. Each row clips once, at its own edges (virtual-body.tsx).
const CELL_CLASS: Record<string, string> = { index: "tabular-nums text-stone-600", run: "text-stone-600", tokens: "tabular-nums", cost: "tabular-nums" };
export const cellClass = (id: string) => CELL_CLASS[id] ?? "";
// toLocaleString("en-US") builds its formatter on every call.
const INTEGER = new Intl.NumberFormat("en-US");

/** What a cell of a record shows (in a flex cell: a field's value, its edit mark and its expand button side by side); `tone` is the row's background. */
export function cellContent(id: string, r: RecordRow, tone: string, runNumber: Map<string, number>, onExpand: (row: RecordRow, field: string) => void): ReactNode {
  switch (id) {
    case "index":
      return recordLabel(r.index);
    case "status":
      return <span className={STATUS_TONE[r.status]} title={r.error ?? undefined}>{r.status}</span>;
    case "review":
      return (
        <span data-testid="review-state" className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATE_TONE[r.reviewState]}`} title={r.reviewedBy ? `${r.reviewedBy}, ${new Date(r.reviewedAt!).toLocaleString()}` : undefined}>
          {r.reviewState}
        </span>
      );
    case "labels":
      return <LabelsCell row={r} />;
    case "run":
      return r.runId ? `#${runNumber.get(r.runId) ?? "?"}` : "import";
    case "tokens":
      return INTEGER.format(r.tokensIn + r.tokensOut);
    case "cost":
      return `$${r.costUsd.toFixed(5)}`;
    case "checks":
      return r.failing.length === 0 ? (
        <span className="text-xs text-stone-600">{r.rejected ? "rejected" : "passed"}</span>
      ) : (
        <span data-testid="checks" className="min-w-0 text-xs whitespace-nowrap">
          {r.failing.map((c) => (
            <span key={c.name} title={c.message} className={`mr-1 rounded px-1 ${c.mode === "reject" ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>
              {c.mode === "reject" ? "✕ " : "! "}
              {c.name}
            </span>
          ))}
        </span>
      );
    case "duplicates":
      return (
        <span data-testid="duplicates" className="min-w-0 text-xs whitespace-nowrap">
          {r.cluster && (
            <span className="mr-1 rounded bg-violet-100 px-1 text-violet-900" title={`In a cluster of ${r.cluster.size} ${r.cluster.exact ? "exact" : "near"} duplicates`}>
              {r.cluster.exact ? "exact" : "near"} ×{r.cluster.size}
            </span>
          )}
          {r.contamination !== null && (
            <span className="rounded bg-orange-100 px-1 text-orange-900" title={`Shares ${r.contamination} 13-word runs with the reference set`}>ref ×{r.contamination}</span>
          )}
        </span>
      );
  }
  if (id.startsWith("judge:")) {
    const [, field, criterion] = id.split(":");
    const score = r.scores[field]?.[criterion];
    return <span data-testid="judge-score" className="tabular-nums">{score === undefined ? "" : String(score)}</span>;
  }
  const f = id.slice("field:".length);
  const v = r.values[f];
  const text = v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
  const long = text.length > 60 || r.clipped.includes(f);
  return (
    <>
      {r.edited.includes(f) && <span title="Edited by a reviewer" className="mr-1 text-amber-600">✎</span>}
      <span className="min-w-0 flex-1 whitespace-nowrap" data-field={f}>{text}</span>
      {long && (
        // The button's wrapper reaches the cell's right edge, so its background covers the
        // text running on beside and behind the button.
        <span className={`-mr-2 shrink-0 pr-2 pl-1 ${tone}`}>
          <button
            type="button"
            aria-label={`Expand ${f}`}
            className="rounded px-1 text-xs text-stone-600 hover:bg-stone-200 hover:text-stone-800"
            onClick={(e) => {
              e.stopPropagation();
              onExpand(r, f);
            }}
          >
            ⤢
          </button>
        </span>
      )}
    </>
  );
}
