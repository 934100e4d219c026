// What PostgreSQL sends the exporter for each value: one cell of text per source, in one
// of two kinds, chosen per column by the export plan (ExportPlan.typed):
//
// Typed cells, for values written as JSON values (JSONL fields, provenance):
//   "s" + text      a JSON string, unescaped (from `values->>name`)
//   "j" + json      any other JSON value as JSON text: number, boolean, array, object, null
//   NULL            the record has no such field / label
//
// Text cells, for values written as text (CSV, Parquet, chat and Alpaca contents):
//   text            `values->>name` as it is: a string unescaped, other JSON as JSON text
//   NULL            no such field, or JSON null
//
// Measured on 1M records of ~1 KB (embedded PostgreSQL 18, 2 vCPUs): turning jsonb into
// JSON text costs PostgreSQL about twice as much as `->>` (which hands strings out
// unescaped), and JSON.stringify of a string in Node is cheaper still. So strings travel
// raw and Node escapes them; only the rare non-string value is serialised by PostgreSQL.
// Finding a value's type costs a third of the query (`->` copies the value to ask), so
// only columns that need it are typed: a text cell is just `->>`, and the Parquet export
// ran 10-15% faster for it.
// Pure: no I/O, usable in tests and in the browser.

/** One batch of rows, each with `width` cells, decoded lazily from one buffer. */
export interface CellBatch {
  readonly rows: number;
  readonly width: number;
  /** The bytes the cells live in. */
  readonly buf: Uint8Array;
  /** Offset of a cell's payload in `buf` (in a typed cell its type byte is just before), or -1 for NULL. */
  start(row: number, col: number): number;
  /** Offset just past a cell's payload. */
  end(row: number, col: number): number;
  /** CELL_STRING or CELL_JSON (typed cells), CELL_TEXT (text cells), or CELL_NULL when the record has no such value. */
  type(row: number, col: number): number;
  /** The cell's payload (prefix removed), or null. */
  text(row: number, col: number): string | null;
  /** The payload's UTF-8 bytes (a view into the batch's buffer), or null. */
  bytes(row: number, col: number): Uint8Array | null;
}

export const CELL_NULL = 0;
export const CELL_STRING = 115; // "s"
export const CELL_JSON = 106; // "j"
/** A text cell: the value's text, whatever its JSON type (never seen in a typed column). */
export const CELL_TEXT = 116; // "t"

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
 * The cell PostgreSQL produces for a JS value (the reference for tests, and for previews
 * built from in-memory records). `undefined` is a missing field.
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
 * chunk. `typed[c] === false` marks a column of text cells; the others are typed.
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
