// Streaming parser for user-uploaded seed tables (CSV/TSV or JSON Lines).
//
// The server hands us the upload as a byte stream; we decode UTF-8 incrementally, parse
// incrementally and yield rows in batches, so the whole file never sits in memory as one
// string and the caller can insert batch after batch inside a single DB transaction
// (rolling it back if we throw, so nothing is half-saved). Every problem with the upload
// itself is thrown as a SeedTableParseError whose message a user can act on.
//
// Pure logic: no Prisma, no Next, no Node-only APIs (web streams + TextDecoder only).
//
// Why a hand-written CSV state machine instead of papaparse: papaparse has no clean
// "push the next decoded chunk" API that works the same on web streams (its streaming
// modes want a whole string, a File, or a Node stream), it reports record indexes rather
// than physical line numbers, and it is deliberately lenient about malformed quoting,
// which we want to report. The machine below is ~150 lines, keeps its state across chunk
// boundaries (so a quoted field, a CRLF or a multi-byte character may be split anywhere),
// scans unquoted fields with charCodeAt, jumps through quoted fields with indexOf and
// only ever slices ranges out of the chunk, so throughput is tens of MB per second.

// ---------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------

export type SeedTableFormat = "csv" | "jsonl";

/** Delimiters the CSV parser understands; "auto" picks one from the header row. */
export type CsvDelimiter = "," | "\t" | ";";

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_MAX_COLUMNS = 200;
/**
 * Longest value one cell may hold (characters). A 50 MB single value was accepted and then
 * sent whole by every endpoint that shows rows; no prompt needs a cell that long.
 */
export const DEFAULT_MAX_CELL_CHARS = 1_000_000;
export const DEFAULT_BATCH_SIZE = 1000;

export interface ParseSeedTableOptions {
  format: SeedTableFormat;
  /** Upload size limit in bytes (default 100 MiB, shown to users as "100 MB"). */
  maxBytes?: number;
  /** Limit on data rows (blank rows are not counted). Default: no limit. */
  maxRows?: number;
  /** Limit on columns (default 200, the blueprint's field limit). */
  maxColumns?: number;
  /** Longest value of one cell, in characters (default DEFAULT_MAX_CELL_CHARS). */
  maxCellChars?: number;
  /** Rows per yielded batch (default 1000). The last batch may be smaller. */
  batchSize?: number;
  /** CSV only. Default "auto": the most frequent of , TAB ; in the header row (ties: , then TAB). */
  delimiter?: CsvDelimiter | "auto";
}

/** One row: column name -> cell text. */
export type SeedRow = Record<string, string>;

export interface SeedTableBatch {
  /**
   * Columns known so far, in file order. For CSV this is the header and never changes.
   * For JSONL it is the union of keys seen so far and may grow in later batches, so the
   * `columns` of the LAST batch is the complete list.
   */
  columns: string[];
  /**
   * Non-empty; at most `batchSize` rows. Every row has a key for every column in this
   * batch's `columns` (missing cells are ""). JSONL rows already yielded in an earlier
   * batch lack keys first seen later: treat an absent key as "".
   */
  rows: SeedRow[];
}

/** The generator's return value (reachable via manual `next()`; `for await` discards it). */
export interface SeedTableSummary {
  format: SeedTableFormat;
  /** Final column list (same as the last batch's `columns`). */
  columns: string[];
  rowCount: number;
  byteCount: number;
  /** CSV only: the delimiter used. */
  delimiter?: CsvDelimiter;
}

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

/**
 * Guess the format from the file name, falling back to sniffing the first bytes.
 *
 * - .csv .tsv .tab -> "csv" (the parser auto-detects comma / tab / semicolon)
 * - .jsonl .ndjson .jsonlines .json-lines -> "jsonl"
 * - anything else (including .json and .txt): sniff `firstBytes` if given — first
 *   non-blank character `{` -> "jsonl"; `[` -> null (a JSON array, not JSON Lines);
 *   NUL bytes or a ZIP signature (e.g. .xlsx) -> null; other text -> "csv".
 * - null when it cannot tell (no usable bytes, binary, JSON array).
 */
export function detectFormat(fileName: string, firstBytes?: Uint8Array): SeedTableFormat | null {
  const lower = fileName.trim().toLowerCase();
  const dot = lower.lastIndexOf(".");
  const ext = dot === -1 ? "" : lower.slice(dot + 1);
  if (ext === "csv" || ext === "tsv" || ext === "tab") return "csv";
  if (ext === "jsonl" || ext === "ndjson" || ext === "jsonlines" || ext === "json-lines") return "jsonl";
  if (!firstBytes || firstBytes.length === 0) return null;
  if (isZip(firstBytes)) return null;
  const sample = new TextDecoder("utf-8").decode(firstBytes.subarray(0, 64 * 1024)); // strips a BOM
  if (sample.includes("\0")) return null;
  const m = /\S/.exec(sample);
  if (!m) return null;
  if (m[0] === "{") return "jsonl";
  if (m[0] === "[") return null;
  return "csv";
}

/**
 * Parse an uploaded seed table from a byte stream, yielding batches of rows.
 *
 * - Yields `{ columns, rows }` batches (see SeedTableBatch); returns a SeedTableSummary.
 * - Throws SeedTableParseError (see `code`) for: an empty file; more than `maxBytes`
 *   (thrown as soon as the limit is crossed, the rest is not read); invalid UTF-8 or NUL
 *   characters (with line and byte offset); CSV: missing/empty/duplicate header names, an
 *   unterminated quote (line where the field began), text after a closing quote, a row
 *   with a value beyond the header's columns; JSONL: a line that is not valid JSON or not
 *   an object; too many rows/columns; no data rows. Errors may come after some batches
 *   were yielded: run the inserts in one transaction and roll back on error.
 * - Stops reading (cancels the stream) when it throws or the consumer stops early.
 *
 * Conventions (what a user would expect from a spreadsheet export):
 * - A UTF-8 BOM is stripped. Line numbers are 1-based physical lines (LF, CRLF or CR).
 * - CSV: the first non-blank row is the header; names are trimmed. Trailing empty header
 *   cells (spreadsheet padding) are dropped. A row with fewer values than the header gets
 *   "" for the rest; extra values are an error unless they are all blank (padding).
 *   Fields follow RFC 4180 (quotes, doubled quotes, newlines inside quotes); a quote in
 *   the middle of an unquoted field is kept literally (`5" screen`); spaces after a
 *   closing quote are ignored.
 * - JSONL: one object per non-blank line. Strings are kept as-is, null -> "", numbers and
 *   booleans -> their JSON text ("3", "true"), arrays/objects -> JSON text.
 * - Rows whose values are all empty are skipped (blank lines, `,,,` padding, `{}`).
 */
export async function* parseSeedTable(
  stream: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: ParseSeedTableOptions,
): AsyncGenerator<SeedTableBatch, SeedTableSummary, undefined> {
  const maxBytes = positiveInt(opts.maxBytes, DEFAULT_MAX_BYTES, "maxBytes");
  const maxRows = opts.maxRows === undefined ? Infinity : positiveInt(opts.maxRows, 0, "maxRows");
  const maxColumns = positiveInt(opts.maxColumns, DEFAULT_MAX_COLUMNS, "maxColumns");
  const batchSize = positiveInt(opts.batchSize, DEFAULT_BATCH_SIZE, "batchSize");
  if (opts.format !== "csv" && opts.format !== "jsonl") {
    throw new RangeError(`parseSeedTable: unknown format ${JSON.stringify(opts.format)}`);
  }

  let pending: SeedRow[] = [];
  // JSONL: columns known when each pending row was made. Keys first seen later are appended
  // to `columns`, so a row made with k columns lacks exactly columns[k..]; drain() fills them.
  let pendingWidth: number[] = [];
  let rowCount = 0;
  const maxCellChars = positiveInt(opts.maxCellChars, DEFAULT_MAX_CELL_CHARS, "maxCellChars");
  const emit = (row: SeedRow, line: number, longest: number) => {
    if (longest > maxCellChars) {
      const key = Object.keys(row).find((k) => row[k].length > maxCellChars)!;
      throw new SeedTableParseError(
        `Line ${line}: the value in column "${key.length > 40 ? `${key.slice(0, 39)}…` : key}" is ${fmtInt(row[key].length)} characters long; one value can be at most ${fmtInt(maxCellChars)}. ` +
          `Shorten it or split it across rows.`,
        { code: "cell_too_large", line },
      );
    }
    if (++rowCount > maxRows) {
      throw new SeedTableParseError(
        `Line ${line}: the file has more than ${fmtInt(maxRows)} rows, the most one seed table can hold. ` +
          `Split it into smaller files.`,
        { code: "too_many_rows", line },
      );
    }
    pending.push(row);
    if (opts.format === "jsonl") pendingWidth.push(sink.columns.length);
  };
  const sink: TableSink =
    opts.format === "csv"
      ? new CsvTable(opts.delimiter ?? "auto", maxColumns, emit)
      : new JsonlTable(maxColumns, emit);

  // Yield full batches out of `pending` (index slicing: no O(n) splice per batch).
  function* drain(all: boolean): Generator<SeedTableBatch> {
    if (pending.length < batchSize && !(all && pending.length > 0)) return;
    const columns = sink.columns.slice();
    if (pendingWidth.length > 0) {
      for (let r = 0; r < pending.length; r++) {
        for (let k = pendingWidth[r]; k < columns.length; k++) setCell(pending[r], columns[k], "", columns[k] === "__proto__");
      }
      pendingWidth = [];
    }
    let start = 0;
    while (pending.length - start >= batchSize) {
      yield { columns, rows: pending.slice(start, start + batchSize) };
      start += batchSize;
    }
    if (all && start < pending.length) {
      yield { columns, rows: pending.slice(start) };
      start = pending.length;
    }
    pending = start === pending.length ? [] : pending.slice(start);
    if (opts.format === "jsonl") pendingWidth = pending.map(() => columns.length);
  }

  const decoder = new TextDecoder("utf-8", { fatal: true }); // ignoreBOM: false => BOM stripped
  let byteCount = 0;
  let head: Uint8Array = new Uint8Array(0); // first few bytes, to explain encoding errors
  let tail: Uint8Array = new Uint8Array(0); // last <=3 bytes fed to the decoder (a possibly split character)

  for await (const chunk of readChunks(stream)) {
    // Feed big chunks in slices so size errors are prompt and `pending` stays bounded.
    for (let off = 0; off < chunk.length; off += SLICE_BYTES) {
      const part = chunk.subarray(off, Math.min(chunk.length, off + SLICE_BYTES));
      if (byteCount + part.length > maxBytes) {
        throw new SeedTableParseError(
          `File is larger than ${fmtBytes(maxBytes)}. Split it into smaller files (or drop columns you ` +
            `don't need) and upload each one.`,
          { code: "too_large", byteOffset: maxBytes },
        );
      }
      if (head.length < 4) head = concatBytes(head, part.subarray(0, 4 - head.length));

      let text: string;
      try {
        text = decoder.decode(part, { stream: true });
      } catch (cause) {
        throw encodingError(head, tail, part, byteCount, sink, cause);
      }
      byteCount += part.length;
      tail = part.length >= 3 ? part.slice(part.length - 3) : concatBytes(tail, part).slice(-3);

      checkNoNul(text, sink, byteCount - part.length);
      sink.push(text);
      yield* drain(false);
    }
  }

  let rest: string;
  try {
    rest = decoder.decode();
  } catch (cause) {
    throw new SeedTableParseError(
      `The file ends in the middle of a UTF-8 character (byte ${fmtInt(byteCount - incompleteTailLength(tail))}` +
        `, line ${sink.currentLine()}). It may be truncated or not UTF-8; save it again as UTF-8 and re-upload.`,
      { code: "encoding", line: sink.currentLine(), byteOffset: byteCount - incompleteTailLength(tail), cause },
    );
  }
  if (rest) {
    checkNoNul(rest, sink, byteCount);
    sink.push(rest);
  }
  sink.finish();

  if (byteCount === 0) {
    throw new SeedTableParseError("The file is empty (0 bytes).", { code: "empty" });
  }
  if (!sink.sawContent) {
    throw new SeedTableParseError("The file is empty: it contains only blank lines or whitespace.", {
      code: "empty",
    });
  }
  if (rowCount === 0) {
    throw new SeedTableParseError(
      opts.format === "csv"
        ? "The file has a header row but no data rows. Add at least one row below the header."
        : "The file has no rows with values: every line is an empty object.",
      { code: "no_rows" },
    );
  }
  yield* drain(true);

  const summary: SeedTableSummary = { format: opts.format, columns: sink.columns.slice(), rowCount, byteCount };
  if (sink instanceof CsvTable) summary.delimiter = sink.delimiterUsed();
  return summary;
}

// ---------------------------------------------------------------------------------------
// Byte stream plumbing
// ---------------------------------------------------------------------------------------

const SLICE_BYTES = 1024 * 1024;

function isReadableStream(s: unknown): s is ReadableStream<Uint8Array> {
  return typeof (s as { getReader?: unknown }).getReader === "function";
}

/** Chunks of the upload; cancels the source when the consumer stops early or throws. */
async function* readChunks(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    let finished = false;
    try {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (cause) {
          finished = true; // an errored stream needs no cancel
          throw readFailed(cause);
        }
        if (result.done) {
          finished = true;
          return;
        }
        yield asBytes(result.value);
      }
    } finally {
      if (!finished) await reader.cancel().catch(() => {});
      try {
        reader.releaseLock();
      } catch {
        // already released / errored: nothing to clean up
      }
    }
  } else {
    const it = source[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        let result: IteratorResult<Uint8Array>;
        try {
          result = await it.next();
        } catch (cause) {
          finished = true;
          throw readFailed(cause);
        }
        if (result.done) {
          finished = true;
          return;
        }
        yield asBytes(result.value);
      }
    } finally {
      if (!finished) await Promise.resolve(it.return?.()).catch(() => {});
    }
  }
}

function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError("parseSeedTable: the stream must produce Uint8Array chunks");
}

function readFailed(cause: unknown): SeedTableParseError {
  if (cause instanceof SeedTableParseError) return cause;
  return new SeedTableParseError("The upload was interrupted before the whole file arrived. Please upload it again.", {
    code: "read_failed",
    cause,
  });
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// ---------------------------------------------------------------------------------------
// Encoding errors
// ---------------------------------------------------------------------------------------

const SAVE_AS_UTF8 = 'Save or export it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and upload it again.';

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** Length of an incomplete UTF-8 sequence at the end of `tail` (0 if it ends on a boundary). */
function incompleteTailLength(tail: Uint8Array): number {
  for (let k = 1; k <= Math.min(3, tail.length); k++) {
    const b = tail[tail.length - k];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/**
 * Index of the first byte that makes `bytes` invalid UTF-8 (strict like TextDecoder:
 * no overlongs, surrogates or > U+10FFFF). A truncated sequence at the very end is fine.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return -1; // truncated at the end: the next chunk may complete it
      const c = bytes[i + k];
      if (k === 1 ? c < lo || c > hi : (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

function encodingError(
  head: Uint8Array,
  tail: Uint8Array,
  part: Uint8Array,
  partOffset: number,
  sink: TableSink,
  cause: unknown,
): SeedTableParseError {
  // FF and FE never occur in UTF-8; at the very start they are a UTF-16 byte order mark.
  if (head[0] === 0xff || head[0] === 0xfe) {
    return new SeedTableParseError(`The file is UTF-16 text, not UTF-8. ${SAVE_AS_UTF8}`, {
      code: "encoding",
      line: 1,
      byteOffset: 0,
      cause,
    });
  }
  if (isZip(head)) {
    return new SeedTableParseError(
      "The file looks like an Excel workbook or ZIP archive, not CSV or JSON Lines text. " + SAVE_AS_UTF8,
      { code: "encoding", line: 1, byteOffset: 0, cause },
    );
  }
  // Re-validate this slice together with the bytes of a character the previous slice left
  // unfinished (TextDecoder keeps those internally) to locate the bad byte.
  const carried = tail.subarray(tail.length - incompleteTailLength(tail));
  const bad = firstInvalidUtf8(concatBytes(carried, part));
  const inPart = bad === -1 ? 0 : Math.max(0, bad - carried.length);
  const byteOffset = bad === -1 ? partOffset : partOffset - carried.length + bad;
  let line = sink.currentLine();
  for (let i = part.indexOf(0x0a); i !== -1 && i < inPart; i = part.indexOf(0x0a, i + 1)) line++;
  return new SeedTableParseError(
    `The file is not valid UTF-8 text: invalid bytes on line ${line} (byte ${fmtInt(byteOffset)}). ` +
      `It was probably saved in another encoding such as Windows-1252 or Latin-1. ${SAVE_AS_UTF8}`,
    { code: "encoding", line, byteOffset, cause },
  );
}

/** PostgreSQL text cannot hold NUL, and NULs mean UTF-16 or a binary file anyway. */
function checkNoNul(text: string, sink: TableSink, textByteOffset: number): void {
  const z = text.indexOf("\0");
  if (z === -1) return;
  const before = text.slice(0, z);
  const line = sink.currentLine() + countChar(before, LF);
  const byteOffset = textByteOffset + new TextEncoder().encode(before).length;
  throw new SeedTableParseError(
    `The file contains a NUL character on line ${line} (byte ~${fmtInt(byteOffset)}), so it is probably ` +
      `UTF-16 text or a binary file (such as a spreadsheet) rather than CSV or JSON Lines. ${SAVE_AS_UTF8}`,
    { code: "encoding", line, byteOffset },
  );
}

// ---------------------------------------------------------------------------------------
// Table parsers: fed decoded text in arbitrary pieces
// ---------------------------------------------------------------------------------------

interface TableSink {
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
type Emit = (row: SeedRow, line: number, longest: number) => void;

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const SEMICOLON = 59;

/** Header names that would hit Object.prototype's setter on a plain object. */
function setCell(row: SeedRow, key: string, value: string, special: boolean): void {
  if (special) Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
  else row[key] = value;
}

// CSV machine states.
const FIELD_START = 0; // nothing of the current field consumed yet
const UNQUOTED = 1; // inside an unquoted field
const QUOTED = 2; // inside a quoted field
const QUOTE_SEEN = 3; // inside a quoted field, just read a `"` (closing, or first of `""`)
const AFTER_QUOTE = 4; // after a closing quote: only spaces, then delimiter / line end

const DELIM_NAMES: Record<CsvDelimiter, string> = { ",": "comma", "\t": "tab", ";": "semicolon" };

class CsvTable implements TableSink {
  columns: string[] = [];
  sawContent = false;

  private delim = -1; // char code; -1 until sniffed from the header
  private sniffBuf: string[] = [];
  private sniffLen = 0;

  private header = false;
  private special: boolean[] = []; // per column: needs defineProperty (`__proto__`)

  // Machine state (persists across push() calls).
  private line = 1; // line of the next character
  private recordLine = 1; // line the current record began on
  private fieldLine = 1; // line the current quoted field began on
  private state = FIELD_START;
  private fields: string[] = [];
  private partial = ""; // text of the current field carried across chunks / `""` escapes
  private pendingCR = false; // previous chunk ended in CR: skip a leading LF

  constructor(
    delimiter: CsvDelimiter | "auto",
    private readonly maxColumns: number,
    private readonly emit: Emit,
  ) {
    if (delimiter !== "auto") this.delim = delimiter.charCodeAt(0);
  }

  delimiterUsed(): CsvDelimiter {
    return (this.delim === TAB ? "\t" : this.delim === SEMICOLON ? ";" : ",") as CsvDelimiter;
  }

  currentLine(): number {
    if (this.delim < 0) return this.line + countChar(this.sniffBuf.join(""), LF);
    return this.line;
  }

  push(text: string): void {
    if (text.length === 0) return;
    if (this.delim < 0) {
      // Buffer until the header line is complete, then pick the delimiter from it.
      this.sniffBuf.push(text);
      this.sniffLen += text.length;
      if (text.indexOf("\n") === -1 && text.indexOf("\r") === -1 && this.sniffLen < 64 * 1024) return;
      const buf = this.sniffBuf.join("");
      const d = sniffDelimiter(buf, this.sniffLen >= 64 * 1024);
      if (d < 0) {
        this.sniffBuf = [buf];
        return;
      }
      this.delim = d;
      this.sniffBuf = [];
      this.run(buf);
      return;
    }
    this.run(text);
  }

  finish(): void {
    if (this.delim < 0) {
      const buf = this.sniffBuf.join("");
      this.sniffBuf = [];
      this.delim = sniffDelimiter(buf, true);
      this.run(buf);
    }
    switch (this.state) {
      case QUOTED:
        throw new SeedTableParseError(
          `Line ${this.fieldLine}: a quoted value starts here but its closing quote (") is missing, so the rest ` +
            `of the file was read as part of it. Check for a stray quote; to put a quote inside a value, ` +
            `wrap the whole value in quotes and double the quote ("").`,
          { code: "malformed", line: this.fieldLine },
        );
      case UNQUOTED:
      case QUOTE_SEEN:
      case AFTER_QUOTE:
        this.fields.push(this.partial);
        this.partial = "";
        this.endRecord(this.recordLine);
        break;
      case FIELD_START:
        if (this.fields.length > 0) {
          this.fields.push(""); // file ends right after a delimiter
          this.endRecord(this.recordLine);
        }
        break;
    }
    this.state = FIELD_START;
  }

  /** The state machine. Hot loop: no per-character string building, only range slices. */
  private run(text: string): void {
    const n = text.length;
    const d = this.delim;
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (n > 0 && text.charCodeAt(0) === LF) i = 1;
    }
    let state = this.state;
    let nl = -2; // position of the next LF at or after the current quoted value (-1: none)
    while (i < n) {
      switch (state) {
        case FIELD_START:
          if (text.charCodeAt(i) === QUOTE) {
            state = QUOTED;
            this.fieldLine = this.line;
            i++;
            break;
          }
          state = UNQUOTED;
        // falls through
        case UNQUOTED: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            this.partial += text.slice(i);
            i = n;
            break;
          }
          this.fields.push(this.partial === "" ? text.slice(i, j) : this.partial + text.slice(i, j));
          this.partial = "";
          state = FIELD_START;
          if (c === d) i = j + 1;
          else {
            const recordLine = this.recordLine;
            i = this.lineBreak(text, j);
            this.endRecord(recordLine);
          }
          break;
        }
        case QUOTED: {
          const q = text.indexOf('"', i);
          const end = q === -1 ? n : q;
          // Count line breaks inside the value; `nl` caches the next LF so this stays linear.
          if (nl !== -1 && nl < i) nl = text.indexOf("\n", i);
          while (nl !== -1 && nl < end) {
            this.line++;
            nl = text.indexOf("\n", nl + 1);
          }
          this.partial += text.slice(i, end);
          if (q === -1) i = n;
          else {
            state = QUOTE_SEEN;
            i = q + 1;
          }
          break;
        }
        case QUOTE_SEEN:
          if (text.charCodeAt(i) === QUOTE) {
            this.partial += '"';
            state = QUOTED;
            i++;
            break;
          }
          state = AFTER_QUOTE;
        // falls through
        case AFTER_QUOTE: {
          const c = text.charCodeAt(i);
          if (c === d || c === LF || c === CR) {
            this.fields.push(this.partial);
            this.partial = "";
            state = FIELD_START;
            if (c === d) i++;
            else {
              const recordLine = this.recordLine;
              i = this.lineBreak(text, i);
              this.endRecord(recordLine);
            }
          } else if (c === SPACE || c === TAB) {
            i++;
          } else {
            throw new SeedTableParseError(
              `Line ${this.line}: unexpected text after the closing quote of value ${this.fields.length + 1}. ` +
                `A quoted value must end right before a ${DELIM_NAMES[this.delimiterUsed()]} or the end of the ` +
                `line; to put a quote inside a value, double it ("").`,
              { code: "malformed", line: this.line },
            );
          }
          break;
        }
      }
    }
    this.state = state;
  }

  /** Consume the line break at `j` (CR, LF or CRLF, possibly split across chunks). */
  private lineBreak(text: string, j: number): number {
    this.line++;
    this.recordLine = this.line;
    if (text.charCodeAt(j) === CR) {
      if (j + 1 === text.length) {
        this.pendingCR = true;
        return j + 1;
      }
      if (text.charCodeAt(j + 1) === LF) return j + 2;
    }
    return j + 1;
  }
  /** A record that began on `line` is complete. */
  private endRecord(line: number): void {
    const fields = this.fields;
    this.fields = [];
    if (!this.header) this.setHeader(fields, line);
    else this.addRow(fields, line);
  }

  private setHeader(fields: string[], line: number): void {
    const names = fields.map((f) => f.trim());
    if (names.every((s) => s === "")) return; // blank line before the header
    this.sawContent = true;
    while (names[names.length - 1] === "") names.pop(); // spreadsheet padding
    const hint = "The first row must be a header row with a unique name for each column.";
    const empty = names.flatMap((s, k) => (s === "" ? [k + 1] : []));
    if (empty.length > 0) {
      throw new SeedTableParseError(
        `The header (line ${line}) has no name for ${plural("column", empty)}. ${hint}`,
        { code: "header", line },
      );
    }
    const seen = new Map<string, number[]>();
    names.forEach((s, k) => seen.set(s, [...(seen.get(s) ?? []), k + 1]));
    const dups = [...seen].filter(([, at]) => at.length > 1);
    if (dups.length > 0) {
      const list = dups.map(([s, at]) => `"${s}" (${plural("column", at)})`).join(", ");
      throw new SeedTableParseError(
        `The header (line ${line}) repeats ${dups.length === 1 ? "a column name" : "column names"}: ${list}. ${hint}`,
        { code: "header", line },
      );
    }
    if (names.length > this.maxColumns) {
      throw new SeedTableParseError(
        `The file has ${fmtInt(names.length)} columns; a seed table can have at most ${fmtInt(this.maxColumns)}. ` +
          `Remove the columns you don't need.`,
        { code: "too_many_columns", line },
      );
    }
    this.header = true;
    this.columns = names;
    this.special = names.map((s) => s === "__proto__");
  }

  private addRow(fields: string[], line: number): void {
    const columns = this.columns;
    const ncol = columns.length;
    const nf = fields.length;
    if (nf > ncol) {
      let last = -1;
      for (let k = ncol; k < nf; k++) if (fields[k].trim() !== "") last = k;
      if (last !== -1) {
        const d = DELIM_NAMES[this.delimiterUsed()];
        throw new SeedTableParseError(
          `Line ${line} has ${last + 1} values but the header has ${ncol} column${ncol === 1 ? "" : "s"}. ` +
            `A value probably contains a ${d}: wrap such values in double quotes.`,
          { code: "malformed", line },
        );
      }
    }
    const row: SeedRow = {};
    const special = this.special;
    let blank = true;
    let longest = 0;
    for (let k = 0; k < ncol; k++) {
      const v = k < nf ? fields[k] : "";
      if (blank && v !== "") blank = false;
      if (v.length > longest) longest = v.length;
      setCell(row, columns[k], v, special[k]);
    }
    if (!blank) this.emit(row, line, longest);
  }
}

/** Delimiter char code from the first non-blank line, or -1 if that line isn't complete yet. */
function sniffDelimiter(text: string, final: boolean): number {
  let inQuotes = false;
  let comma = 0;
  let tab = 0;
  let semi = 0;
  let content = false;
  const pick = () => (comma >= tab && comma >= semi ? COMMA : tab >= semi ? TAB : SEMICOLON);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      inQuotes = !inQuotes;
      content = true;
    } else if (inQuotes) {
      continue;
    } else if (c === LF || c === CR) {
      if (content) return pick();
      comma = tab = semi = 0;
    } else if (c === COMMA) comma++;
    else if (c === TAB) tab++;
    else if (c === SEMICOLON) semi++;
    else if (c !== SPACE) content = true;
  }
  return final ? pick() : -1;
}

class JsonlTable implements TableSink {
  columns: string[] = [];
  sawContent = false;
  private known = new Set<string>();
  private special: boolean[] = [];
  private line = 1;
  private parts: string[] = []; // the current line's text so far, when split across chunks

  constructor(
    private readonly maxColumns: number,
    private readonly emit: Emit,
  ) {}

  currentLine(): number {
    return this.line;
  }

  push(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) {
        if (start < text.length) this.parts.push(text.slice(start));
        return;
      }
      let lineText = text.slice(start, nl);
      if (this.parts.length > 0) {
        this.parts.push(lineText);
        lineText = this.parts.join("");
        this.parts = [];
      }
      this.handleLine(lineText, this.line);
      this.line++;
      start = nl + 1;
    }
  }

  finish(): void {
    if (this.parts.length > 0) {
      const lineText = this.parts.join("");
      this.parts = [];
      this.handleLine(lineText, this.line);
    }
  }

  private handleLine(text: string, line: number): void {
    const first = /\S/.exec(text);
    if (!first) return; // blank line
    this.sawContent = true;
    let value: unknown;
    try {
      value = JSON.parse(text); // JSON whitespace includes the \r of CRLF
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message.slice(0, 200) : "syntax error";
      let hint = 'Each line must be one complete JSON object, e.g. {"question": "...", "answer": "..."}.';
      if (line === 1 && first[0] === "[") {
        hint = "The file looks like a JSON array; upload JSON Lines instead: one object per line, no [ ] around them.";
      } else if (text.trim() === "{") {
        hint = "The file looks like pretty-printed JSON; in JSON Lines each object must be on a single line.";
      }
      throw new SeedTableParseError(`Line ${line} is not valid JSON (${detail}). ${hint}`, {
        code: "malformed",
        line,
        cause,
      });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      const found = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
      throw new SeedTableParseError(
        `Line ${line} is ${found}, not a JSON object. Each line must be an object like ` +
          `{"question": "...", "answer": "..."}.`,
        { code: "malformed", line },
      );
    }
    const obj = value as Record<string, unknown>;
    if (text.indexOf("\\u0000") !== -1 && hasNul(obj)) {
      throw new SeedTableParseError(
        `Line ${line} contains a NUL character (\\u0000), which cannot be stored. Remove it and upload again.`,
        { code: "malformed", line },
      );
    }
    for (const key of Object.keys(obj)) {
      if (this.known.has(key)) continue;
      if (key.trim() === "") {
        throw new SeedTableParseError(`Line ${line} has an empty key (""). Every key must be a column name.`, {
          code: "header",
          line,
        });
      }
      if (this.columns.length >= this.maxColumns) {
        throw new SeedTableParseError(
          `Line ${line} brings the number of distinct keys above ${fmtInt(this.maxColumns)}, the most columns a ` +
            `seed table can have. Remove the keys you don't need.`,
          { code: "too_many_columns", line },
        );
      }
      this.known.add(key);
      this.columns.push(key);
      this.special.push(key === "__proto__");
    }
    const row: SeedRow = {};
    const columns = this.columns;
    const special = this.special;
    let blank = true;
    let longest = 0;
    for (let k = 0; k < columns.length; k++) {
      const key = columns[k];
      const v = Object.prototype.hasOwnProperty.call(obj, key) ? cellText(obj[key]) : "";
      if (blank && v !== "") blank = false;
      if (v.length > longest) longest = v.length;
      setCell(row, key, v, special[k]);
    }
    if (!blank) this.emit(row, line, longest);
  }
}

/** NUL in a key or top-level string (nested values are re-escaped by JSON.stringify). */
function hasNul(obj: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(obj)) {
    if (k.includes("\0") || (typeof v === "string" && v.includes("\0"))) return true;
  }
  return false;
}

function cellText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v); // number, boolean
}

// ---------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------

function positiveInt(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new RangeError(`parseSeedTable: ${name} must be a positive integer, got ${v}`);
  }
  return v;
}

function countChar(s: string, code: number): number {
  const ch = String.fromCharCode(code);
  let n = 0;
  for (let i = s.indexOf(ch); i !== -1; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

function fmtInt(n: number): string {
  return n.toLocaleString("en-US");
}

/** 100 MiB -> "100 MB", 1536 -> "1.5 KB" (binary units, conventional labels). */
function fmtBytes(n: number): string {
  const units: [number, string][] = [
    [1024 ** 3, "GB"],
    [1024 ** 2, "MB"],
    [1024, "KB"],
  ];
  for (const [size, label] of units) {
    if (n >= size) return `${Number((n / size).toFixed(1))} ${label}`;
  }
  return `${n} bytes`;
}

function plural(word: string, positions: number[]): string {
  if (positions.length === 1) return `${word} ${positions[0]}`;
  const last = positions[positions.length - 1];
  return `${word}s ${positions.slice(0, -1).join(", ")} and ${last}`;
}
