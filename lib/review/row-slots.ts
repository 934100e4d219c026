// Which rows the grid renders (windowIndexes), which rendered row element shows which record
// while the grid scrolls, and which pages of rows are read (pagesToRead). Pure.
//
// A virtual list keyed by record index unmounts the rows that leave the window and builds
// new ones for those that enter: three or four rows a frame in a fast scroll, each a dozen
// cells with their listeners, and creating and tearing down those elements was the largest
// share of the grid's script time per frame. Keyed by slot instead, a row element that
// leaves is handed to a record that enters and only its text and attributes change.
//
// The elements are also rendered in slot order while the grid scrolls, not in record order:
// in record order the element handed from the top of the window to the bottom had to move
// to the end of its parent, and the browser rebuilds the style and layout of a moved element
// as if it were new (every row entering the window was removed and inserted again). Once
// the scroll stops, the slots are settled back into record order, so at rest the DOM order
// is the order on screen, which screen readers' reading order follows.

/** Slot of each index in the window. */
export type RowSlots = ReadonlyMap<number, number>;

/**
 * The slots for the indexes now in the window: an index that stays keeps its slot, one
 * that enters takes the lowest slot no staying index holds. Slots stay unique and below
 * the size of the largest window.
 */
export function assignRowSlots(prev: RowSlots, indexes: readonly number[]): RowSlots {
  const next = new Map<number, number>();
  const kept = new Set<number>();
  for (const i of indexes) {
    const s = prev.get(i);
    if (s !== undefined) {
      next.set(i, s);
      kept.add(s);
    }
  }
  if (next.size === indexes.length) return next;
  // The lowest slots not kept: those of rows that left, and gaps left when the window shrank.
  let free = 0;
  for (const i of indexes) {
    if (next.has(i)) continue;
    while (kept.has(free)) free++;
    next.set(i, free++);
  }
  return next;
}

/** Slots in the order of the indexes: the window at rest, its DOM order the order on screen. */
export function settledSlots(indexes: readonly number[]): RowSlots {
  return new Map(indexes.map((i, k) => [i, k]));
}

/** The window's indexes in the order their elements are rendered: by slot, so no element moves among its siblings. */
export function inSlotOrder(slots: RowSlots): number[] {
  const out: number[] = [];
  for (const [i, s] of slots) out[s] = i;
  return out.filter((i) => i !== undefined);
}

/**
 * Rows rendered beyond those on screen, so that rows are there before the compositor scrolls
 * them into view: more ahead of the scroll than behind it. Every rendered row is walked again
 * by the browser's pre-paint, paint and layerize steps in each frame of a scroll, so rows
 * that only matter if the scroll turns back cost time in every frame (12 rows each way gave
 * a frame p95 about a fifth higher than 8 ahead and 2 behind: lib/review/README.md).
 */
export const OVERSCAN = { ahead: 8, behind: 2 };

/**
 * The indexes to render for the visible range `startIndex..endIndex` of `count` rows, for a
 * scroll going `direction` (the last one, also once it has stopped: the window keeps its
 * size and place when the scroll stops, so rows are not dropped and built again then).
 *
 * `fits`: the most rows the viewport can show at once (a row cut at each edge included). The
 * visible range is one row longer whenever the viewport straddles row edges, and a window
 * that followed it gained a row and lost it again every few frames of a scroll: a slot more
 * is a row element built from nothing (a dozen cells, their styles and layout) and a slot
 * less is one torn down, 88 of each in the benchmark's 240 frames. Sized by `fits`, the
 * window keeps one length wherever it is, so rows that enter always take the slots of rows
 * that left.
 */
export function windowIndexes(range: { startIndex: number; endIndex: number; count: number }, direction: "forward" | "backward", fits = 0): number[] {
  const before = direction === "forward" ? OVERSCAN.behind : OVERSCAN.ahead;
  const after = direction === "forward" ? OVERSCAN.ahead : OVERSCAN.behind;
  const size = Math.max(0, Math.min(range.count, before + Math.max(fits, range.endIndex - range.startIndex + 1) + after));
  // At either end of the rows the window shifts inwards rather than shrinking.
  const start = Math.max(0, Math.min(range.startIndex - before, range.count - size));
  return Array.from({ length: size }, (_, k) => start + k);
}

/**
 * The pages whose rows the body reads, for rows now on pages `first..last`. They change when
 * the rows reach a page not among them, and not again when the rows leave the page behind
 * (the pages kept then are one more than the rows span): each change renders the rows'
 * list again and changes which pages are subscribed, and in a scroll that was two changes
 * per page of rows, each in a frame of its own, among the slowest frames of the scroll.
 */
export function pagesToRead(p: { first: number; last: number }, first: number, last: number) {
  return first >= p.first && last <= p.last && p.last - p.first <= last - first + 1 ? p : { first, last };
}
