"use client";
// The grid's rows: only those under the viewport are in the DOM.
import type { Column } from "@tanstack/react-table";
import { useVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { memo, startTransition, useCallback, useEffect, useImperativeHandle, useRef, useState, type ReactNode, type RefObject } from "react";
import { recordLabel } from "@/lib/records/number";
import { assignRowSlots, inSlotOrder, pagesToRead, settledSlots, windowIndexes, type RowSlots } from "@/lib/review/row-slots";
import { PAGE_SIZE } from "@/lib/review/schemas";
import type { RecordRow } from "@/lib/review/types";
import { cellClass } from "./grid-columns";
import { usePageRows, type PageSource } from "./use-grid-data";

const ROW_HEIGHT = 36;

const rowId = (gridId: string, index: number) => `${gridId}-row-${index}`;

export type RowCtx = {
  gridId: string;
  columns: Column<RecordRow, unknown>[];
  /** `tone`: the row's background classes, for parts of a cell that must cover text running on under them. */
  cell: (id: string, r: RecordRow, tone: string) => ReactNode;
  onClick: (index: number, e: React.MouseEvent) => void;
  onOpen: () => void;
};
export type VirtualBodyHandle = { scrollToIndex(index: number): void };

type VirtualBodyProps = {
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
};

/**
 * The rows with their data. Which pages are read is state of this component, not of the
 * page around the grid: scrolling onto another page renders the rows again, and not the
 * filter bar, counts and panels (a render of the whole page took 4-9 ms, in the same frame
 * as the scroll's own work, at every page boundary).
 */
export function GridRows({ source, onError, ...body }: Omit<VirtualBodyProps, "rowAt" | "onPages"> & { source: PageSource; onError: (e: Error | null) => void }) {
  const [pages, setPages] = useState({ first: 0, last: 0 });
  const onPages = useCallback((first: number, last: number) => setPages((p) => pagesToRead(p, first, last)), []);
  const rows = usePageRows(source, pages, body.count);
  useEffect(() => onError(rows.error), [rows.error, onError]);
  return <VirtualBody {...body} rowAt={rows.rowAt} onPages={onPages} />;
}

/**
 * The rows under the viewport. It owns the virtualizer, so scrolling re-renders this list
 * and not the page around it, and each row is memoised: a frame of scrolling renders the
 * few rows that came into view, not every visible one. Rows are keyed by slot and, while
 * scrolling, rendered in slot order (lib/review/row-slots.ts): a row element that leaves the
 * window shows the next record that enters, in place, instead of being torn down and built
 * again or moved; once the scroll stops the rows settle back into record order.
 */
function VirtualBody(props: VirtualBodyProps) {
  const { scrollRef, onPages } = props;
  const self = useRef<Virtualizer<HTMLDivElement, Element>>(null);
  const direction = useRef<"forward" | "backward">("forward");
  const virtualizer = useVirtualizer({
    count: props.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Read while the virtualizer renders, after the scroll that set its direction; the
    // virtualizer forgets the direction when the scroll stops, the window keeps it.
    // The window is sized by the rows the viewport can show, not by the rows it shows now.
    rangeExtractor: (range) =>
      windowIndexes(range, (direction.current = self.current?.scrollDirection ?? direction.current), Math.ceil((self.current?.scrollRect?.height ?? 0) / ROW_HEIGHT) + 1),
    // Rows render in the server's HTML, before the browser has measured anything.
    initialRect: { width: 1200, height: 640 },
  });
  self.current = virtualizer;
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
  const indexes = items.map((vi) => vi.index);
  slots.current = virtualizer.isScrolling ? assignRowSlots(slots.current, indexes) : settledSlots(indexes);
  const itemAt = new Map(items.map((vi) => [vi.index, vi]));
  const firstPage = Math.floor((items[0]?.index ?? 0) / PAGE_SIZE);
  const lastPage = Math.floor((items.at(-1)?.index ?? 0) / PAGE_SIZE);
  // The pages to read change as the rows move onto another page. Inside a scroll event
  // React renders synchronously; as a transition that render waits for the frame to be
  // drawn and yields to the next one.
  useEffect(() => startTransition(() => onPages(firstPage, lastPage)), [firstPage, lastPage, onPages]);
  return (
    // Cells let their text run on under the next cell (see cellClass); each row's own clip
    // keeps it inside the row.
    <div style={{ height: virtualizer.getTotalSize(), width: props.width }} className="relative">
      {inSlotOrder(slots.current).map((index) => {
        const vi = itemAt.get(index)!;
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
    // Every cell paints the row's background itself (see cellClass in grid-columns.tsx). The
    // classes are repeated on each cell rather than inherited: a style with an inherited
    // value cannot come from the browser's cache of matched styles, and resolving every
    // cell's style afresh tripled the style time of a scroll frame.
    const tone = isFocus ? "bg-indigo-50" : isSel ? "bg-amber-50" : "bg-white group-hover:bg-stone-50";
    return (
      // The row sits in a clip of its own size. While the grid scrolls, the browser widens the
      // area it paints around the viewport every ~512 px, and every row layer whose paint
      // area changed was painted again: all rows, every fifth frame of a fast scroll. Inside
      // this clip a row's paint area is the clip, which does not change as the grid scrolls
      // (the row inside is `relative`, a paint layer of its own under the clip).
      // `top`, not a transform: a transform per row gives each row its own paint chunk, and
      // the compositor's layerization then walks every row on every frame.
      <div role="presentation" style={{ top: start, height: ROW_HEIGHT }} className="absolute left-0 w-full overflow-clip">
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
        className={`group relative flex h-full w-full items-center border-b border-stone-100 ${isFocus ? "outline-2 -outline-offset-2 outline-indigo-400" : ""}`}
      >
        <div role="gridcell" className={`flex w-10 shrink-0 items-center justify-center self-stretch ${tone}`} data-select>
          {r && <input type="checkbox" aria-label={`Select record ${recordLabel(r.index)}`} checked={isSel} readOnly tabIndex={-1} />}
        </div>
        {columns.map((c) => (
          <div key={c.id} role="gridcell" style={{ width: c.getSize() }} className={`flex min-w-0 shrink-0 items-center self-stretch px-2 whitespace-nowrap ${tone} ${cellClass(c.id)}`}>
            {r ? cell(c.id, r, tone) : <span className="h-3 w-3/4 animate-pulse rounded bg-stone-100" />}
          </div>
        ))}
      </div>
      </div>
    );
  },
  // Handlers and the cell renderer are read from ctx when the row renders; what a row shows
  // depends only on what is compared here (layoutKey: the columns, their widths, the runs).
  (a, b) => a.row === b.row && a.isFocus === b.isFocus && a.isSel === b.isSel && a.start === b.start && a.index === b.index && a.layoutKey === b.layoutKey,
);
