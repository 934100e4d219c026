// What PostgreSQL sends the exporter for each value: one cell per source, of the kind the
// export plan chose for it (ExportPlan.kinds), as the columns of a binary COPY:
//
//   "flagged"   `values->>name` (a string unescaped, other JSON as JSON text, NULL when
//               missing or JSON null), plus one bit, set for a string, in an int4 flags
//               column after the cells (31 cells per column; see cellLayout in
//               lib/db/copy/binary.ts). For values written as JSON values (JSONL fields).
//   "text"      just `values->>name`. For values written as text (CSV, Parquet, chat and
//               Alpaca contents), where the type does not matter.
//   "prefixed"  one column: "s" + a string, or "j" + JSON text, NULL when missing. For the
//               record's own facts (id, run, models), whose SQL knows the type.
//
// Measured on 1M records of ~1 KB (embedded PostgreSQL 18, 2 vCPUs): turning jsonb into
// JSON text costs PostgreSQL about twice as much as `->>` (which hands strings out
// unescaped), and JSON.stringify of a string in Node is cheaper still. So strings travel
// raw and Node escapes them; only the rare non-string value is serialised by PostgreSQL.
// Asking a value's type copies the value (`->`), and gluing a prefix to a long text copies
// it again: the COPY query for five fields of a million records took 2.0 s with `->>`
// alone, 2.6 s flagged and 3.0 s prefixed (medians of six runs). So each cell pays only
// for what its format needs.
//
// In memory (CellBatch, lib/db/copy/cells.ts) every cell reads the same way: a payload and
// a type, CELL_STRING / CELL_JSON where known, CELL_TEXT for text cells.
// Pure: no I/O, usable in tests and in the browser.
import { CELL_NULL, CELL_STRING, CELL_TEXT, type CellBatch } from "@/lib/db/copy/cells";

/** Value as JSON text: strings quoted and escaped, other JSON as is, missing as null. */
export function cellJson(b: CellBatch, row: number, col: number): string {
  const t = b.type(row, col);
  if (t === CELL_NULL) return "null";
  const s = b.text(row, col)!;
  return t === CELL_STRING ? JSON.stringify(s) : s;
}

/** Value as plain text: strings as they are, other JSON as JSON text, missing as "". */
export function cellText(b: CellBatch, row: number, col: number): string {
  return b.text(row, col) ?? "";
}

/** Value as a JSON string literal (chat content must be a string): cellText, quoted. */
export function cellContent(b: CellBatch, row: number, col: number): string {
  return JSON.stringify(b.text(row, col) ?? "");
}

/**
 * A typed cell ("s"/"j" prefix) for a JS value, as a flagged or prefixed cell reads: the
 * reference for tests. `undefined` is a missing field.
 */
export function toCell(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value === "string") return "s" + value;
  return "j" + JSON.stringify(value);
}

/** The text cell PostgreSQL produces for a JS value (`->>`): JSON null is NULL, like a missing field. */
export function toTextCell(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * A CellBatch over cells already in memory (tests, previews): one buffer, like a COPY
 * chunk. Cells are written as `toCell` does ("s"/"j" prefix), except in the columns that
 * `typed[c] === false` marks as text cells.
 */
export function arrayBatch(rows: (string | null)[][], width = rows[0]?.length ?? 0, typed: readonly boolean[] = []): CellBatch {
  const pre = Array.from({ length: width }, (_, c) => (typed[c] === false ? 0 : 1));
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const starts = new Int32Array(rows.length * width);
  const ends = new Int32Array(rows.length * width);
  let at = 0;
  rows.forEach((row, r) => {
    for (let c = 0; c < width; c++) {
      const v = row[c] ?? null;
      const i = r * width + c;
      if (v === null) {
        starts[i] = ends[i] = -1;
        continue;
      }
      const b = enc.encode(v);
      parts.push(b);
      starts[i] = at + pre[c];
      ends[i] = at + b.length;
      at += b.length;
    }
  });
  const buf = new Uint8Array(at);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  const dec = new TextDecoder();
  return {
    rows: rows.length,
    width,
    buf,
    start: (r, c) => starts[r * width + c],
    end: (r, c) => ends[r * width + c],
    type: (r, c) => (starts[r * width + c] < 0 ? CELL_NULL : pre[c] ? buf[starts[r * width + c] - 1] : CELL_TEXT),
    text: (r, c) => (starts[r * width + c] < 0 ? null : dec.decode(buf.subarray(starts[r * width + c], ends[r * width + c]))),
    bytes: (r, c) => (starts[r * width + c] < 0 ? null : buf.subarray(starts[r * width + c], ends[r * width + c])),
  };
}
