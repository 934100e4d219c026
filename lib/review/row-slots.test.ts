import { describe, expect, it } from "vitest";
import { assignRowSlots, inSlotOrder, OVERSCAN, pagesToRead, settledSlots, windowIndexes, type RowSlots } from "./row-slots";

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe("assignRowSlots", () => {
  it("gives a first window one slot per row", () => {
    const s = assignRowSlots(new Map(), range(0, 5));
    expect([...s.values()].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps the slot of every row that stays, and hands the slots of rows that left to rows that entered", () => {
    const a = assignRowSlots(new Map(), range(0, 46));
    const b = assignRowSlots(a, range(3, 49));
    for (const i of range(3, 46)) expect(b.get(i)).toBe(a.get(i));
    expect([46, 47, 48].map((i) => b.get(i)).sort()).toEqual([0, 1, 2].map((i) => a.get(i)).sort());
    expect(new Set(b.values()).size).toBe(46);
  });

  it("never uses more slots than the largest window, over a long scroll that grows and shrinks the window", () => {
    let s: RowSlots = new Map();
    let most = 0;
    for (let top = 0; top < 3000; top += 1 + (top % 7)) {
      const size = 40 + (top % 3); // the window gains or loses a row as the viewport straddles row edges
      most = Math.max(most, size);
      s = assignRowSlots(s, range(top, top + size));
      expect(s.size).toBe(size);
      expect(new Set(s.values()).size).toBe(size);
      expect(Math.max(...s.values())).toBeLessThan(most);
    }
  });

  it("reuses every slot after a jump to a far place", () => {
    const a = assignRowSlots(new Map(), range(0, 30));
    const b = assignRowSlots(a, range(50_000, 50_030));
    expect([...b.values()].sort((x, y) => x - y)).toEqual(range(0, 30));
  });

  it("renders in slot order, so a scroll step moves no element among its siblings; settled, slot order is record order", () => {
    const a = settledSlots(range(0, 6));
    expect(inSlotOrder(a)).toEqual(range(0, 6));
    // Two rows scroll away at the top, two enter at the bottom: they take the freed slots 0
    // and 1, so the elements stay where they were and only show other records.
    const b = assignRowSlots(a, range(2, 8));
    expect(inSlotOrder(b)).toEqual([6, 7, 2, 3, 4, 5]);
    const c = assignRowSlots(b, range(3, 9));
    expect(inSlotOrder(c)).toEqual([6, 7, 8, 3, 4, 5]);
    expect(inSlotOrder(settledSlots(range(3, 9)))).toEqual(range(3, 9));
  });

  it("skips the gaps of a window that shrank", () => {
    const a = assignRowSlots(settledSlots(range(0, 6)), range(4, 7));
    expect(inSlotOrder(a)).toEqual([6, 4, 5]);
  });
});

describe("windowIndexes", () => {
  const visible = { startIndex: 100, endIndex: 119, count: 1000 };
  it("renders more rows ahead of a scroll than behind it, either way", () => {
    expect(windowIndexes(visible, "forward")).toEqual(range(100 - OVERSCAN.behind, 120 + OVERSCAN.ahead));
    expect(windowIndexes(visible, "backward")).toEqual(range(100 - OVERSCAN.ahead, 120 + OVERSCAN.behind));
    expect(OVERSCAN.ahead).toBeGreaterThan(OVERSCAN.behind);
  });

  it("stays inside the rows there are", () => {
    expect(windowIndexes({ startIndex: 0, endIndex: 3, count: 4 }, "forward")).toEqual(range(0, 4));
    expect(windowIndexes({ startIndex: 0, endIndex: -1, count: 0 }, "backward")).toEqual([]);
  });

  it("keeps one length as the viewport straddles row edges and reaches either end, so no row element is built or torn down", () => {
    const fits = 21; // a 700 px viewport of 36 px rows: 20 rows, or 21 with one cut at each edge
    const size = OVERSCAN.behind + fits + OVERSCAN.ahead;
    for (const direction of ["forward", "backward"] as const) {
      for (let top = 0; top < 1000 - 20; top++) {
        for (const shown of [20, 21]) {
          const endIndex = Math.min(999, top + shown - 1);
          const w = windowIndexes({ startIndex: top, endIndex, count: 1000 }, direction, fits);
          expect(w).toHaveLength(size);
          expect(w).toEqual(range(w[0], w[0] + size));
          expect(w[0]).toBeLessThanOrEqual(top);
          expect(w.at(-1)).toBeGreaterThanOrEqual(endIndex);
        }
      }
    }
    // Fewer rows than a window: all of them.
    expect(windowIndexes({ startIndex: 0, endIndex: 9, count: 10 }, "backward", fits)).toEqual(range(0, 10));
    // A viewport that shows more than `fits` says (it grew) still gets every visible row.
    expect(windowIndexes({ startIndex: 100, endIndex: 129, count: 1000 }, "forward", fits)).toEqual(range(98, 138));
  });

  it("with the same window length, hands slots only from rows that left to rows that entered over a whole scroll", () => {
    let slots: RowSlots = new Map();
    let built = 0;
    for (let px = 0; px < 36 * 900; px += 120) {
      const top = Math.floor(px / 36);
      const shown = Math.ceil((px + 700) / 36) - top; // 20 or 21
      const w = windowIndexes({ startIndex: top, endIndex: top + shown - 1, count: 1000 }, "forward", 21);
      const next = assignRowSlots(slots, w);
      const had = new Set(slots.values());
      built += [...new Set(next.values())].filter((s) => !had.has(s)).length;
      slots = next;
    }
    expect(built).toBe(OVERSCAN.behind + 21 + OVERSCAN.ahead); // the first window's, and none after
  });
});

describe("pagesToRead", () => {
  it("changes once per page the rows reach in a scroll either way, not again when they leave the page behind", () => {
    for (const dir of [1, -1]) {
      let p = { first: 50, last: 50 };
      let changes = 0;
      // A window of 31 rows, pages of 100, moving 3 rows a frame over 10 pages.
      for (let f = 0; f < 334; f++) {
        const top = dir === 1 ? 5000 + 3 * f : 5069 - 3 * f;
        const next = pagesToRead(p, Math.floor(top / 100), Math.floor((top + 30) / 100));
        if (next !== p) changes++;
        expect(next.first).toBeLessThanOrEqual(Math.floor(top / 100));
        expect(next.last).toBeGreaterThanOrEqual(Math.floor((top + 30) / 100));
        p = next;
      }
      expect(changes).toBe(10);
    }
  });

  it("follows a jump at once, and keeps no more than one page beyond the rows", () => {
    expect(pagesToRead({ first: 5, last: 6 }, 40, 40)).toEqual({ first: 40, last: 40 });
    expect(pagesToRead({ first: 5, last: 7 }, 6, 6)).toEqual({ first: 6, last: 6 });
    const kept = { first: 5, last: 6 };
    expect(pagesToRead(kept, 6, 6)).toBe(kept);
    expect(pagesToRead(kept, 5, 6)).toBe(kept);
  });
});
