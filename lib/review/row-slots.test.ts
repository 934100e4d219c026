import { describe, expect, it } from "vitest";
import { assignRowSlots, type RowSlots } from "./row-slots";

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
});
