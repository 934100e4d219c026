// What the table parser's tests share: a stream cut at chosen bytes, and parses checked to
// agree under every way of cutting the input into chunks.
import { expect } from "vitest";
import { type ParseSeedTableOptions, parseSeedTable, type SeedRow, SeedTableParseError, type SeedTableSummary } from "./parse";

export const enc = new TextEncoder();
const bytesOf = (input: string | Uint8Array) => (typeof input === "string" ? enc.encode(input) : input);

/** A web ReadableStream delivering `input` cut at the given byte offsets (or every `size` bytes). */
export function streamOf(input: string | Uint8Array, cut: number | number[] = Infinity): ReadableStream<Uint8Array> {
  const bytes = bytesOf(input);
  const chunks: Uint8Array[] = [];
  if (Array.isArray(cut)) {
    let prev = 0;
    for (const at of [...cut, bytes.length]) {
      chunks.push(bytes.slice(prev, at));
      prev = at;
    }
  } else {
    for (let i = 0; i < bytes.length; i += cut === Infinity ? bytes.length : cut) {
      chunks.push(bytes.slice(i, i + (cut === Infinity ? bytes.length : cut)));
    }
  }
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (k < chunks.length) controller.enqueue(chunks[k++]);
      else controller.close();
    },
  });
}

export interface Parsed {
  columns: string[];
  rows: SeedRow[];
  batchSizes: number[];
  summary: SeedTableSummary;
}

export async function parse(
  input: string | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: ParseSeedTableOptions,
  cut?: number | number[],
): Promise<Parsed> {
  const source = typeof input === "string" || input instanceof Uint8Array ? streamOf(input, cut) : input;
  const gen = parseSeedTable(source, opts);
  const rows: SeedRow[] = [];
  const batchSizes: number[] = [];
  let columns: string[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { columns, rows, batchSizes, summary: r.value };
    expect(r.value.rows.length).toBeGreaterThan(0);
    columns = r.value.columns;
    rows.push(...r.value.rows);
    batchSizes.push(r.value.rows.length);
  }
}

export async function parseError(
  input: string | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: ParseSeedTableOptions,
  cut?: number | number[],
): Promise<SeedTableParseError> {
  try {
    await parse(input, opts, cut);
  } catch (e) {
    expect(e).toBeInstanceOf(SeedTableParseError);
    return e as SeedTableParseError;
  }
  throw new Error("expected parseSeedTable to throw");
}

/** Every way of cutting `input` into two chunks, plus 1-, 2- and 3-byte chunks. */
function cuts(input: string | Uint8Array): (number | number[])[] {
  const n = bytesOf(input).length;
  const out: (number | number[])[] = [1, 2, 3, Infinity];
  for (let i = 1; i < n; i++) out.push([i]);
  return out;
}

/** Parse under every chunking and check they all agree; returns the unchunked result. */
export async function parseAllCuts(input: string | Uint8Array, opts: ParseSeedTableOptions): Promise<Parsed> {
  const whole = await parse(input, opts);
  for (const cut of cuts(input)) {
    const got = await parse(input, opts, cut);
    expect({ cut, columns: got.columns, rows: got.rows }).toEqual({ cut, columns: whole.columns, rows: whole.rows });
  }
  return whole;
}

/** Same error (message, line, offset) under every chunking. */
export async function errorAllCuts(input: string | Uint8Array, opts: ParseSeedTableOptions): Promise<SeedTableParseError> {
  const whole = await parseError(input, opts);
  for (const cut of cuts(input)) {
    const got = await parseError(input, opts, cut);
    expect({ cut, message: got.message, line: got.line, byteOffset: got.byteOffset }).toEqual({
      cut,
      message: whole.message,
      line: whole.line,
      byteOffset: whole.byteOffset,
    });
  }
  return whole;
}

export const csv: ParseSeedTableOptions = { format: "csv" };
export const jsonl: ParseSeedTableOptions = { format: "jsonl" };
