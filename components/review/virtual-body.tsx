"use client";
// The grid's rows: only those under the viewport are in the DOM.
import type { Column } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, startTransition, useEffect, useImperativeHandle, useRef, type ReactNode, type RefObject } from "react";
import { recordLabel } from "@/lib/records/number";
import { assignRowSlots, type RowSlots } from "@/lib/review/row-slots";
import { PAGE_SIZE } from "@/lib/review/schemas";
import type { RecordRow } from "@/lib/review/types";
import { cellClass } from "./grid-columns";

const ROW_HEIGHT = 36;

const rowId = (gridId: string, index: number) => `${gridId}-row-${index}`;

export type RowCtx = {
  gridId: string;
  columns: Column<RecordRow, unknown>[];
  cell: (id: string, r: RecordRow) => ReactNode;
  onClick: (index: number, e: React.MouseEvent) => void;
  onOpen: () => void;
};
export type VirtualBodyHandle = { scrollToIndex(index: number): void };

/**
 * The rows under the viewport. It owns the virtualizer, so scrolling re-renders this list
 * and not the page around it, and each row is memoised: a frame of scrolling renders the
 * few rows that came into view, not every visible one. Rows are keyed by slot
 * (lib/review/row-slots.ts): a row element that leaves the window shows the next record
 * that enters instead of being torn down and built again.
 */
export function VirtualBody(props: {
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
  const slots = useRef<RowSlots>(new Map());
  slots.current = assignRowSlots(slots.current, items.map((vi) => vi.index));
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE_SIZE);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE_SIZE);
  // The page around the grid renders again when the pages under the rows change. Inside a
  // scroll event React renders synchronously; as a transition that render waits for the
  // frame to be drawn and yields to the next one.
  useEffect(() => startTransition(() => onPages(firstPage, lastPage)), [firstPage, lastPage, onPages]);
  return (
    <div style={{ height: virtualizer.getTotalSize(), width: props.width }} className="relative">
      {items.map((vi) => {
        const r = props.rowAt(vi.index);
        return (
          <GridRow
            key={slots.current.get(vi.index)}
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
        // `top`, not a transform: a transform per row gives each row its own paint chunk,
        // and the compositor's layerization then walks every row on every frame.
        style={{ top: start, height: ROW_HEIGHT }}
        className={`absolute left-0 flex w-full items-center border-b border-stone-100 ${isFocus ? "bg-indigo-50 outline-2 -outline-offset-2 outline-indigo-400" : isSel ? "bg-amber-50" : "hover:bg-stone-50"}`}
      >
        <div role="gridcell" className="flex w-10 shrink-0 justify-center" data-select>
          {r && <input type="checkbox" aria-label={`Select record ${recordLabel(r.index)}`} checked={isSel} readOnly tabIndex={-1} />}
        </div>
        {columns.map((c) => (
          <div key={c.id} role="gridcell" style={{ width: c.getSize() }} className={`flex min-w-0 shrink-0 items-center gap-1 overflow-hidden px-2 ${cellClass(c.id)}`}>
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
