import { describe, expect, test } from "vitest";
import { cellLayout, CopyBinaryParser, encodeCopyBinary } from "./copy-binary";
import type { CellBatch } from "./cells";

function collect(chunks: Uint8Array[]) {
  const p = new CopyBinaryParser();
  const rows: (string | null)[][] = [];
  const types: number[][] = [];
  for (const c of chunks) for (const b of p.push(c)) read(b, rows, types);
  p.finish();
  return { rows, types, count: p.rowCount };
}

function read(b: CellBatch, rows: (string | null)[][], types: number[][]) {
  for (let r = 0; r < b.rows; r++) {
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

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...cuts.filter((x) => x > 0 && x < bytes.length)].sort((a, b) => a - b)) {
    out.push(bytes.slice(prev, c));
    prev = c;
  }
  out.push(bytes.slice(prev));
  return out;
}

const ROWS: (string | null)[][] = [
  ["sHello, world", 'j{"a": [1, 2]}', null],
  ["s", "j42", "sLine one\nLine \"two\", café 東京 🦜"],
  [null, null, null],
];

describe("binary COPY reader", () => {
  test("reads text cells, NULLs and types from one chunk", () => {
    const { rows, types, count } = collect([encodeCopyBinary(ROWS)]);
    expect(count).toBe(3);
    expect(rows).toEqual(ROWS.map((r) => r.map((c) => (c === null ? null : c.slice(1)))));
    expect(types[0]).toEqual([115, 106, 0]);
  });

  test("any split of the stream gives the same rows (multi-byte characters included)", () => {
    const bytes = encodeCopyBinary(ROWS);
    const whole = collect([bytes]).rows;
    for (let i = 1; i < bytes.length; i++) expect(collect(splitAt(bytes, [i])).rows).toEqual(whole);
    let seed = 7;
    for (let k = 0; k < 200; k++) {
      const cuts = Array.from({ length: 5 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % bytes.length);
      expect(collect(splitAt(bytes, cuts)).rows).toEqual(whole);
    }
  });

  test("bytes() gives the payload without the type prefix", () => {
    const p = new CopyBinaryParser();
    const [b] = p.push(encodeCopyBinary([["scafé", null]]));
    expect(new TextDecoder().decode(b.bytes(0, 0)!)).toBe("café");
    expect(b.bytes(0, 1)).toBeNull();
  });

  test("prefixed, text and flagged cells side by side, the stream split anywhere", () => {
    // Cells: prefixed id, text, flagged, flagged; then the flags column (bit 1: the second
    // flagged cell holds a string).
    const kinds = ["prefixed", "text", "flagged", "flagged"] as const;
    const cells = [
      ["sid-1", "Hello", '{"a": 1}', "x", 2],
      ["sid-2", "", "plain", "[1]", 1],
      [null, "é 東京", null, "3", 0],
    ];
    const bytes = encodeCopyBinary(cells);
    for (let i = 0; i < bytes.length; i += 5) {
      const p = new CopyBinaryParser([...kinds]);
      const rows: (string | null)[][] = [];
      const types: number[][] = [];
      for (const c of splitAt(bytes, [i])) for (const b of p.push(c)) read(b, rows, types);
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
    }
    const [b] = new CopyBinaryParser([...kinds]).push(bytes);
    expect(b.width).toBe(4);
    expect(new TextDecoder().decode(b.bytes(0, 1)!)).toBe("Hello");
    expect(b.buf.subarray(b.start(0, 0), b.end(0, 0))).toEqual(new TextEncoder().encode("id-1"));
    expect(b.buf.subarray(b.start(1, 2), b.end(1, 2))).toEqual(new TextEncoder().encode("plain"));
    expect(b.buf.subarray(b.start(1, 1), b.end(1, 1))).toEqual(new Uint8Array());
    expect(() => new CopyBinaryParser(["text", "text"]).push(bytes)).toThrow(/5 fields, expected 2/);
  });

  test("31 flagged cells to a flags column", () => {
    const layout = cellLayout(["prefixed", ...Array(40).fill("flagged"), "text"]);
    expect(layout.columns).toBe(42 + 2);
    expect([layout.flag[0], layout.flag[1], layout.bit[1], layout.flag[31], layout.bit[31], layout.flag[32], layout.bit[32], layout.flag[41]]).toEqual([-1, 42, 0, 42, 30, 43, 0, -1]);
  });

  test("a stream cut before its end marker is an error, not a short export", () => {
    const bytes = encodeCopyBinary(ROWS);
    const p = new CopyBinaryParser();
    p.push(bytes.slice(0, bytes.length - 2));
    expect(() => p.finish()).toThrow(/end-of-data/);
  });

  test("rejects data that is not binary COPY", () => {
    expect(() => new CopyBinaryParser().push(new TextEncoder().encode("id,name\n1,a\n2,b\n3,c\n"))).toThrow(/signature/);
  });
});
