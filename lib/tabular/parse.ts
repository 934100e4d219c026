// Streaming parser for uploaded tables (CSV/TSV or JSON Lines): seed tables and imports.
//
// The server hands us the upload as a byte stream; we decode UTF-8 incrementally, parse
// incrementally and yield rows in batches, so the whole file never sits in memory as one
// string and the caller can insert batch after batch inside a single DB transaction
// (rolling it back if we throw, so nothing is half-saved). Every problem with the upload
// itself is thrown as a SeedTableParseError whose message a user can act on.
//
// This module is the one to import: it runs the layers below and re-exports what callers
// need. bytes.ts reads the stream and explains encoding errors; csv.ts and jsonl.ts turn
// decoded text into rows; table.ts holds what they share (rows, the error, the sink).
//
// Pure logic: no Prisma, no Next, no Node-only APIs (web streams + TextDecoder only).
import { checkNoNul, concatBytes, encodingError, incompleteTailLength, isZip, readChunks, SLICE_BYTES } from "./bytes";
import { CsvTable } from "./csv";
import { JsonlTable } from "./jsonl";
import { type CsvDelimiter, fmtInt, type SeedRow, SeedTableParseError, type SeedTableFormat, setCell, type TableSink } from "./table";

export { SeedTableParseError, type CsvDelimiter, type SeedRow, type SeedTableErrorCode, type SeedTableFormat } from "./table";

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

function positiveInt(v: number | undefined, dflt: number, name: string): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v <= 0) {
    throw new RangeError(`parseSeedTable: ${name} must be a positive integer, got ${v}`);
  }
  return v;
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
