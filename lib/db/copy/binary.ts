// Reader for PostgreSQL's binary COPY format, for a query whose columns are text (and the
// int4 flags columns of cells.ts), fed the CopyData payloads where they lie in the socket's
// chunks (server/copy-out.ts).
//
// Why binary COPY instead of a cursor: COPY streams continuously, so PostgreSQL produces
// rows on one core while Node encodes them on another (a FETCH loop leaves one side idle
// at each round trip: 145k rows/s against 450k+ here), and binary text columns arrive as
// length-prefixed UTF-8 with no escaping to undo. Rows are not materialised as objects:
// a batch is the chunk plus cell offsets, and cells are decoded on demand.
//
// Format (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4):
// 11-byte signature, int32 flags, int32 extension length + extension; then per tuple an
// int16 field count followed by (int32 length | -1 for NULL, bytes) per field; then int16 -1.
import { CELL_JSON, CELL_STRING, CELL_TEXT, type CellBatch, type CellKind } from "./cells";

const SIGNATURE = [0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00];
/** What a binary COPY stream we write starts with: the signature, no flags, no header extension. */
export const COPY_BINARY_HEADER: Readonly<Uint8Array> = Uint8Array.from([...SIGNATURE, 0, 0, 0, 0, 0, 0, 0, 0]);

type NodeBufferLike = Uint8Array & { toString(encoding: "utf8", start: number, end: number): string };
const NodeBuffer = (globalThis as { Buffer?: { isBuffer(b: unknown): boolean } }).Buffer;

export class CopyBinaryParser {
  private headerDone = false;
  private ended = false;
  private width = -1;
  private readonly decoder = new TextDecoder("utf-8");
  rowCount = 0;

  private layout: Layout | null;

  /** `kinds`: how each cell arrives (see cells.ts); without it every column is one prefixed cell. */
  constructor(kinds?: readonly CellKind[]) {
    this.layout = kinds ? cellLayout(kinds) : null;
  }

  /**
   * Rows from CopyData message payloads, read where they lie (server/copy-out.ts):
   * payload i is f.buf[f.starts[i], f.ends[i]). Each payload holds whole rows: PostgreSQL
   * sends one row per message, the header with the first and the end marker on its own.
   */
  pushFrames(f: CopyFrames): CellBatch | null {
    const buf = f.buf;
    let starts = new Int32Array(0);
    let ends = new Int32Array(0);
    let rows = 0;
    for (let m = 0; m < f.count; m++) {
      let p = f.starts[m];
      const e = f.ends[m];
      if (!this.headerDone) {
        if (e - p < 19) throw new Error("Not PostgreSQL binary COPY data (short header)");
        for (let i = 0; i < SIGNATURE.length; i++) {
          if (buf[p + i] !== SIGNATURE[i]) throw new Error("Not PostgreSQL binary COPY data (bad signature)");
        }
        p += 19 + readInt32(buf, p + 15);
        this.headerDone = true;
      }
      while (p < e) {
        if (this.ended) throw new Error("COPY data continues after the end-of-data marker");
        if (e - p < 2) throw new Error("A COPY row is cut across messages");
        const n = (buf[p] << 8) | buf[p + 1];
        p += 2;
        if (n === 0xffff) {
          this.ended = true;
          continue;
        }
        if (this.width === -1) {
          this.width = n;
          this.layout ??= cellLayout(Array<CellKind>(n).fill("prefixed"));
          if (this.layout.columns !== n) throw new Error(`COPY row has ${n} fields, expected ${this.layout.columns}`);
        } else if (n !== this.width) throw new Error(`COPY row has ${n} fields, expected ${this.width}`);
        if ((rows + 1) * n > starts.length) {
          // One row per message as a rule: sized for that, doubled if a message holds more.
          const size = Math.max(f.count * n, starts.length * 2, (rows + 1) * n);
          const ns = new Int32Array(size);
          const ne = new Int32Array(size);
          ns.set(starts);
          ne.set(ends);
          starts = ns;
          ends = ne;
        }
        let i = rows * n;
        for (let k = 0; k < n; k++, i++) {
          if (e - p < 4) throw new Error("A COPY row is cut across messages");
          const l = readInt32(buf, p);
          p += 4;
          if (l < 0) {
            starts[i] = -1;
            ends[i] = -1;
          } else {
            if (e - p < l) throw new Error("A COPY row is cut across messages");
            starts[i] = p;
            ends[i] = p + l;
            p += l;
          }
        }
        rows++;
      }
    }
    if (rows === 0) return null;
    this.rowCount += rows;
    return new CopyBatch(buf, starts, ends, rows, this.width, this.layout!, this.decoder);
  }

  /** Checks that the data ended cleanly (a truncated stream must not pass as a short export). */
  finish(): void {
    if (!this.ended) throw new Error("COPY data ended without its end-of-data marker");
  }
}

/** Where each cell lives among the COPY columns (see cellLayout). */
type Layout = {
  /** How many COPY columns a row has. */
  columns: number;
  /** Per cell (cell c is column c): the length of its type prefix, its flag column (or -1) and bit. */
  pre: Uint8Array;
  flag: Int32Array;
  bit: Int32Array;
};

/** Cells flagged per int4 flags column (bit 31 is the sign; left alone). */
const FLAGS_PER_COLUMN = 31;

/**
 * The COPY columns of a row: one per cell in order, then, when there are flagged cells,
 * one int4 column per 31 of them whose bits say which hold strings (cells.ts).
 */
export function cellLayout(kinds: readonly CellKind[]): Layout {
  const n = kinds.length;
  const pre = Uint8Array.from(kinds, (k) => (k === "prefixed" ? 1 : 0));
  const flag = new Int32Array(n).fill(-1);
  const bit = new Int32Array(n);
  let j = 0;
  kinds.forEach((kind, c) => {
    if (kind !== "flagged") return;
    flag[c] = n + Math.floor(j / FLAGS_PER_COLUMN);
    bit[c] = j % FLAGS_PER_COLUMN;
    j++;
  });
  return { columns: n + Math.ceil(j / FLAGS_PER_COLUMN), pre, flag, bit };
}

/**
 * A batch as the parser found it: the chunk and each COPY column's offsets. A class (not an
 * object of closures, as arrayBatch is) so that the encoders' per-cell calls stay
 * monomorphic and inline: with closures, JSON lines spent a quarter more time in them.
 */
class CopyBatch implements CellBatch {
  readonly width: number;
  private readonly pre: Uint8Array;
  private readonly flag: Int32Array;
  private readonly bit: Int32Array;
  private readonly node: NodeBufferLike | null;

  constructor(
    readonly buf: Uint8Array,
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    readonly rows: number,
    private readonly columns: number,
    layout: Layout,
    private readonly decoder: TextDecoder,
  ) {
    this.width = layout.pre.length;
    this.pre = layout.pre;
    this.flag = layout.flag;
    this.bit = layout.bit;
    this.node = NodeBuffer?.isBuffer(buf) ? (buf as NodeBufferLike) : null;
  }

  start(r: number, c: number): number {
    const s = this.starts[r * this.columns + c];
    return s < 0 ? -1 : s + this.pre[c];
  }

  end(r: number, c: number): number {
    return this.ends[r * this.columns + c];
  }

  type(r: number, c: number): number {
    const s = this.starts[r * this.columns + c];
    if (s < 0) return 0;
    if (this.pre[c]) return this.buf[s];
    const fc = this.flag[c];
    if (fc < 0) return CELL_TEXT;
    const f = this.starts[r * this.columns + fc];
    return f >= 0 && (readInt32(this.buf, f) >>> this.bit[c]) & 1 ? CELL_STRING : CELL_JSON;
  }

  text(r: number, c: number): string | null {
    const i = r * this.columns + c;
    const s = this.starts[i];
    if (s < 0) return null;
    const from = s + this.pre[c];
    return this.node ? this.node.toString("utf8", from, this.ends[i]) : this.decoder.decode(this.buf.subarray(from, this.ends[i]));
  }

  bytes(r: number, c: number): Uint8Array | null {
    const i = r * this.columns + c;
    const s = this.starts[i];
    return s < 0 ? null : this.buf.subarray(s + this.pre[c], this.ends[i]);
  }
}

function readInt32(b: Uint8Array, p: number): number {
  return (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
}

/** One row in binary COPY: the field count, then each field's length and bytes (-1 for NULL). */
function rowBytes(row: (string | number | null)[]): Uint8Array {
  const enc = new TextEncoder();
  const fields = row.map((v) => (v === null ? null : typeof v === "number" ? int4(v) : enc.encode(v)));
  const out = new Uint8Array(2 + fields.reduce((n, f) => n + 4 + (f ? f.length : 0), 0));
  const view = new DataView(out.buffer);
  view.setInt16(0, row.length);
  let o = 2;
  for (const f of fields) {
    view.setInt32(o, f ? f.length : -1);
    o += 4;
    if (f) {
      out.set(f, o);
      o += f.length;
    }
  }
  return out;
}

function int4(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v);
  return b;
}

/** The payloads of a stream of CopyData messages. */
export type CopyFrames = { buf: Uint8Array; starts: Int32Array; ends: Int32Array; count: number };

/**
 * Rows as PostgreSQL frames them (tests and the pure-JS reference): one CopyData message per
 * row, the header in the first, the end marker in its own, in one buffer with the 5-byte
 * message headers between them.
 */
export function encodeCopyFrames(rows: (string | number | null)[][]): CopyFrames {
  const [first, ...rest] = rows.map(rowBytes);
  const payloads = [first ? Uint8Array.from([...COPY_BINARY_HEADER, ...first]) : COPY_BINARY_HEADER, ...rest, Uint8Array.from([0xff, 0xff])];
  const buf = new Uint8Array(payloads.reduce((n, x) => n + 5 + x.length, 0));
  const starts = new Int32Array(payloads.length);
  const ends = new Int32Array(payloads.length);
  let o = 0;
  payloads.forEach((x, i) => {
    buf[o] = 0x64;
    new DataView(buf.buffer).setInt32(o + 1, 4 + x.length);
    buf.set(x, o + 5);
    starts[i] = o + 5;
    ends[i] = o + 5 + x.length;
    o += 5 + x.length;
  });
  return { buf, starts, ends, count: payloads.length };
}
