import { describe, expect, test } from "vitest";
import { CopyBinaryParser, cellLayout, encodeCopyFrames, type CopyFrames } from "./binary";
import type { CellBatch } from "./cells";

function read(b: CellBatch | null, rows: (string | null)[][], types: number[][]) {
  for (let r = 0; b && r < b.rows; r++) {
    const row: (string | null)[] = [];
    const t: number[] = [];
    for (let c = 0; c < b.width; c++) {
      row.push(b.text(r, c));
      t.push(b.type(r, c));
    }
    rows.push(row);
    types.push(t);
  }
}

/** The same messages delivered as socket chunks would: frames [from, to) of `f`. */
function slice(f: CopyFrames, from: number, to: number): CopyFrames {
  return { buf: f.buf, starts: f.starts.subarray(from, to), ends: f.ends.subarray(from, to), count: to - from };
}

const ROWS: (string | null)[][] = [
  ["sHello, world", 'j{"a": [1, 2]}', null],
  ["s", "j42", "sLine one\nLine \"two\", café 東京 🦜"],
  [null, null, null],
];

describe("binary COPY reader", () => {
  test("reads cells, NULLs and types from CopyData payloads, however they are grouped", () => {
    const frames = encodeCopyFrames(ROWS);
    expect(frames.count).toBe(4); // header + first row, two rows, the end marker
    for (const groups of [[0, 4], [0, 1, 4], [0, 1, 2, 3, 4], [0, 3, 4]]) {
      const p = new CopyBinaryParser();
      const rows: (string | null)[][] = [];
      const types: number[][] = [];
      for (let g = 0; g + 1 < groups.length; g++) read(p.pushFrames(slice(frames, groups[g], groups[g + 1])), rows, types);
      p.finish();
      expect(p.rowCount).toBe(3);
      expect(rows).toEqual(ROWS.map((r) => r.map((c) => (c === null ? null : c.slice(1)))));
      expect(types[0]).toEqual([115, 106, 0]);
    }
  });

  test("bytes() gives the payload without the type prefix", () => {
    const b = new CopyBinaryParser().pushFrames(encodeCopyFrames([["scafé", null]]))!;
    expect(new TextDecoder().decode(b.bytes(0, 0)!)).toBe("café");
    expect(b.bytes(0, 1)).toBeNull();
  });

  test("prefixed, text and flagged cells side by side", () => {
    // Cells: prefixed id, text, flagged, flagged; then the flags column (bit 1: the second
    // flagged cell holds a string).
    const kinds = ["prefixed", "text", "flagged", "flagged"] as const;
    const frames = encodeCopyFrames([
      ["sid-1", "Hello", '{"a": 1}', "x", 2],
      ["sid-2", "", "plain", "[1]", 1],
      [null, "é 東京", null, "3", 0],
    ]);
    const p = new CopyBinaryParser([...kinds]);
    const b = p.pushFrames(frames)!;
    p.finish();
    const rows: (string | null)[][] = [];
    const types: number[][] = [];
    read(b, rows, types);
    expect(b.width).toBe(4);
    expect(rows).toEqual([
      ["id-1", "Hello", '{"a": 1}', "x"],
      ["id-2", "", "plain", "[1]"],
      [null, "é 東京", null, "3"],
    ]);
    expect(types).toEqual([
      [115, 116, 106, 115],
      [115, 116, 115, 106],
      [0, 116, 0, 106],
    ]);
    expect(new TextDecoder().decode(b.bytes(0, 1)!)).toBe("Hello");
    expect(b.buf.subarray(b.start(0, 0), b.end(0, 0))).toEqual(new TextEncoder().encode("id-1"));
    expect(b.buf.subarray(b.start(1, 2), b.end(1, 2))).toEqual(new TextEncoder().encode("plain"));
    expect(b.buf.subarray(b.start(1, 1), b.end(1, 1))).toEqual(new Uint8Array());
    expect(() => new CopyBinaryParser(["text", "text"]).pushFrames(frames)).toThrow(/5 fields, expected 2/);
  });

  test("31 flagged cells to a flags column", () => {
    const layout = cellLayout(["prefixed", ...Array(40).fill("flagged"), "text"]);
    expect(layout.columns).toBe(42 + 2);
    expect([layout.flag[0], layout.flag[1], layout.bit[1], layout.flag[31], layout.bit[31], layout.flag[32], layout.bit[32], layout.flag[41]]).toEqual([-1, 42, 0, 42, 30, 43, 0, -1]);
  });

  test("a stream cut before its end marker is an error, not a short export", () => {
    const frames = encodeCopyFrames(ROWS);
    const p = new CopyBinaryParser();
    p.pushFrames(slice(frames, 0, frames.count - 1));
    expect(() => p.finish()).toThrow(/end-of-data/);
  });

  test("rejects data that is not binary COPY, and a row cut between messages", () => {
    const csv = new TextEncoder().encode("id,name\n1,a\n2,b\n3,c\n");
    expect(() => new CopyBinaryParser().pushFrames({ buf: csv, starts: Int32Array.of(0), ends: Int32Array.of(csv.length), count: 1 })).toThrow(/signature/);
    const frames = encodeCopyFrames(ROWS);
    const short = { ...slice(frames, 0, 1), ends: Int32Array.of(frames.ends[0] - 3) };
    expect(() => new CopyBinaryParser().pushFrames(short)).toThrow(/cut across messages/);
  });
});
