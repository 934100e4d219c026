// Which rendered row element shows which record, while the grid scrolls. Pure.
//
// A virtual list keyed by record index unmounts the rows that leave the window and builds
// new ones for those that enter: three or four rows a frame in a fast scroll, each a dozen
// cells with their listeners, and creating and tearing down those elements was the largest
// share of the grid's script time per frame. Keyed by slot instead, a row element that
// leaves is handed to a record that enters and only its text and attributes change.

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
