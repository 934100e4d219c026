// What the layers of the table parser share (parse.ts runs them): a row, the one error a
// bad upload raises, the sink that CSV and JSONL text is pushed into, and a few helpers.
// Pure, no I/O.

export type SeedTableFormat = "csv" | "jsonl";

/** Delimiters the CSV parser understands; "auto" picks one from the header row. */
export type CsvDelimiter = "," | "\t" | ";";

/** One row: column name -> cell text. */
export type SeedRow = Record<string, string>;

export type SeedTableErrorCode =
  | "empty" // 0 bytes, only whitespace / blank lines
  | "too_large" // more than maxBytes
  | "encoding" // not UTF-8, NUL characters, binary (e.g. an .xlsx)
  | "malformed" // CSV quoting, too many values, invalid JSON, non-object line
  | "header" // empty or duplicate column names
  | "no_rows" // header only / nothing but empty rows
  | "too_many_rows"
  | "too_many_columns"
  | "cell_too_large"
  | "read_failed"; // the upload stream itself failed (connection dropped, aborted)

/** The only error parseSeedTable throws for a bad upload. `message` is meant for the user. */
export class SeedTableParseError extends Error {
  override readonly name = "SeedTableParseError";
  readonly code: SeedTableErrorCode;
  /** 1-based line in the file the problem is on (where known). */
  readonly line?: number;
  /** 0-based byte offset of the problem (encoding errors, size limit). */
  readonly byteOffset?: number;

  constructor(
    message: string,
    details: { code: SeedTableErrorCode; line?: number; byteOffset?: number; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    if (details.line !== undefined) this.line = details.line;
    if (details.byteOffset !== undefined) this.byteOffset = details.byteOffset;
  }
}

export interface TableSink {
  push(text: string): void;
  finish(): void;
  /** Columns known so far. */
  readonly columns: readonly string[];
  /** Some non-blank content was seen (distinguishes "empty" from "no rows"). */
  readonly sawContent: boolean;
  /** 1-based line of the first character not yet handed to push() (for error messages). */
  currentLine(): number;
}

/** `longest`: the length of the row's longest value, tracked as cells are made (cheaper than a second pass). */
export type Emit = (row: SeedRow, line: number, longest: number) => void;

export const LF = 10;

/** Header names that would hit Object.prototype's setter on a plain object. */
export function setCell(row: SeedRow, key: string, value: string, special: boolean): void {
  if (special) Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  else row[key] = value;
}

export function countChar(s: string, code: number): number {
  const ch = String.fromCharCode(code);
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

export function fmtInt(n: number): string {
  return n.toLocaleString("en-US");
}
