// How the binary COPY reader (binary.ts) hands rows over: a batch of cells read where
// they lie. Whoever writes the COPY query chooses each cell's kind: "flagged" (a text
// column, its type in a bit of an int4 flags column after the cells), "text" (type not
// needed) or "prefixed" ("s" or "j" before the text); lib/export/cells.ts says which the
// exporter uses and why. In memory (CellBatch) every cell reads the same way: a payload
// and a type, CELL_STRING / CELL_JSON where known, CELL_TEXT for text cells.
// Pure: no I/O, usable in tests and in the browser.

export type CellKind = "flagged" | "text" | "prefixed";

/** One batch of rows, each with `width` cells, decoded lazily from one buffer. */
export interface CellBatch {
  readonly rows: number;
  readonly width: number;
  /** The bytes the cells live in. */
  readonly buf: Uint8Array;
  /** Offset of a cell's payload in `buf`, or -1 for NULL. */
  start(row: number, col: number): number;
  /** Offset just past a cell's payload. */
  end(row: number, col: number): number;
  /** CELL_STRING or CELL_JSON (flagged and prefixed cells), CELL_TEXT (text cells), or CELL_NULL when there is no value. */
  type(row: number, col: number): number;
  /** The cell's payload (prefix removed), or null. */
  text(row: number, col: number): string | null;
  /** The payload's UTF-8 bytes (a view into the batch's buffer), or null. */
  bytes(row: number, col: number): Uint8Array | null;
}

export const CELL_NULL = 0;
export const CELL_STRING = 115; // "s"
export const CELL_JSON = 106; // "j"
/** A text cell: the value's text, whatever its JSON type. */
export const CELL_TEXT = 116; // "t"
