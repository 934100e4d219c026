import { describe, expect, test } from "vitest";
import { CopyBinaryParser, encodeCopyBinary } from "./copy-binary";
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

  test("text columns (no type prefix) beside typed ones, split anywhere", () => {
    const cells = [
      ["sid-1", "Hello", '{"a": 1}'],
      ["sid-2", "", null],
      [null, "é 東京", "42"],
    ];
    const bytes = encodeCopyBinary(cells);
    for (let i = 0; i < bytes.length; i += 7) {
      const p = new CopyBinaryParser([true, false, false]);
      const rows: (string | null)[][] = [];
      const types: number[][] = [];
      for (const c of splitAt(bytes, [i])) for (const b of p.push(c)) read(b, rows, types);
      expect(rows).toEqual([
        ["id-1", "Hello", '{"a": 1}'],
        ["id-2", "", null],
        [null, "é 東京", "42"],
      ]);
      expect(types).toEqual([
        [115, 116, 116],
        [115, 116, 0],
        [0, 116, 116],
      ]);
    }
    const [b] = new CopyBinaryParser([true, false, false]).push(bytes);
    expect(new TextDecoder().decode(b.bytes(0, 1)!)).toBe("Hello");
    expect(b.buf.subarray(b.start(0, 0), b.end(0, 0))).toEqual(new TextEncoder().encode("id-1"));
    expect(b.buf.subarray(b.start(1, 1), b.end(1, 1))).toEqual(new Uint8Array());
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
