// Reader for PostgreSQL's binary COPY format, for a query whose columns are all text.
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

type NodeBufferLike = Uint8Array & { toString(encoding: "utf8", start: number, end: number): string };
const NodeBuffer = (globalThis as { Buffer?: { isBuffer(b: unknown): boolean; concat(list: Uint8Array[]): Uint8Array } }).Buffer;

export class CopyBinaryParser {
  private carry: Uint8Array | null = null;
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
   * Feeds the next chunk of COPY data; returns batches of the rows it completes. A row cut
   * by the chunk boundary is completed in a small buffer of its own, so the chunk itself
   * is parsed in place instead of being copied onto the leftover (a 64 KB allocation per
   * chunk, a gigabyte per million rows, that the garbage collector then had to chase).
   */
  push(chunk: Uint8Array): CellBatch[] {
    if (this.ended) {
      if (chunk.length === 0) return [];
      throw new Error("COPY data continues after the end-of-data marker");
    }
    const out: CellBatch[] = [];
    if (this.carry && this.headerDone) {
      const k = itemEnd(this.carry, chunk);
      if (k < 0) {
        this.carry = concat(this.carry, chunk);
        return out;
      }
      const head = concat(this.carry, chunk.subarray(0, k));
      this.carry = null;
      const b = this.parse(head);
      if (b) out.push(b);
      chunk = chunk.subarray(k);
      if (chunk.length === 0) return out;
    } else if (this.carry) {
      chunk = concat(this.carry, chunk);
      this.carry = null;
    }
    const b = this.parse(chunk);
    if (b) out.push(b);
    return out;
  }

  private parse(buf: Uint8Array): CellBatch | null {
    if (this.ended) {
      if (buf.length === 0) return null;
      throw new Error("COPY data continues after the end-of-data marker");
    }
    let pos = 0;
    if (!this.headerDone) {
      if (buf.length < 19) {
        this.carry = buf;
        return null;
      }
      for (let i = 0; i < SIGNATURE.length; i++) {
        if (buf[i] !== SIGNATURE[i]) throw new Error("Not PostgreSQL binary COPY data (bad signature)");
      }
      const ext = readInt32(buf, 15);
      if (buf.length < 19 + ext) {
        this.carry = buf;
        return null;
      }
      pos = 19 + ext;
      this.headerDone = true;
    }

    // First pass: find where the complete tuples end (allocation-free), then record each
    // cell's start and end in arrays of the exact size.
    const len = buf.length;
    const first = pos;
    let rows = 0;
    for (;;) {
      if (len - pos < 2) break;
      const n = (buf[pos] << 8) | buf[pos + 1];
      if (n === 0xffff) {
        this.ended = true;
        break;
      }
      if (this.width === -1) {
        this.width = n;
        this.layout ??= cellLayout(Array<CellKind>(n).fill("prefixed"));
        if (this.layout.columns !== n) throw new Error(`COPY row has ${n} fields, expected ${this.layout.columns}`);
      } else if (n !== this.width) throw new Error(`COPY row has ${n} fields, expected ${this.width}`);
      let p = pos + 2;
      let complete = true;
      for (let k = 0; k < n; k++) {
        if (len - p < 4) {
          complete = false;
          break;
        }
        const l = readInt32(buf, p);
        p += 4;
        if (l > 0) {
          if (len - p < l) {
            complete = false;
            break;
          }
          p += l;
        }
      }
      if (!complete) break;
      rows++;
      pos = p;
    }
    const end = pos;
    if (this.ended) pos += 2;
    let starts: Int32Array | null = null;
    let ends: Int32Array | null = null;
    if (rows > 0) {
      const n = this.width;
      starts = new Int32Array(rows * n);
      ends = new Int32Array(rows * n);
      let q = first;
      for (let i = 0; q < end; ) {
        q += 2;
        for (let k = 0; k < n; k++, i++) {
          const l = readInt32(buf, q);
          q += 4;
          if (l < 0) {
            starts[i] = -1;
            ends[i] = -1;
          } else {
            starts[i] = q;
            ends[i] = q + l;
            q += l;
          }
        }
      }
    }
    if (pos < len) {
      if (this.ended) throw new Error("COPY data continues after the end-of-data marker");
      this.carry = buf.subarray(pos);
    }
    if (rows === 0 || !starts || !ends) return null;
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
export const FLAGS_PER_COLUMN = 31;

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

/**
 * How many bytes of `b` complete the tuple (or end marker) that starts in `a`;
 * -1 when `b` does not hold all of it yet. Reads only the length headers.
 */
function itemEnd(a: Uint8Array, b: Uint8Array): number {
  const total = a.length + b.length;
  const at = (i: number) => (i < a.length ? a[i] : b[i - a.length]);
  const int32 = (i: number) => (at(i) << 24) | (at(i + 1) << 16) | (at(i + 2) << 8) | at(i + 3);
  if (total < 2) return -1;
  const n = (at(0) << 8) | at(1);
  let p = 2;
  if (n !== 0xffff) {
    for (let k = 0; k < n; k++) {
      if (total - p < 4) return -1;
      const l = int32(p);
      p += 4;
      if (l > 0) {
        if (total - p < l) return -1;
        p += l;
      }
    }
  }
  return p - a.length;
}

function readInt32(b: Uint8Array, p: number): number {
  return (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (NodeBuffer) return NodeBuffer.concat([a, b]);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Binary COPY bytes for rows of text and int4 columns (tests and the pure-JS reference). */
export function encodeCopyBinary(rows: (string | number | null)[][]): Uint8Array {
  const enc = new TextEncoder();
  const parts: number[] = [...SIGNATURE, 0, 0, 0, 0, 0, 0, 0, 0];
  const out: Uint8Array[] = [Uint8Array.from(parts)];
  for (const row of rows) {
    const head = new Uint8Array(2);
    head[0] = (row.length >> 8) & 0xff;
    head[1] = row.length & 0xff;
    out.push(head);
    for (const v of row) {
      const bytes = v === null ? null : typeof v === "number" ? int4(v) : enc.encode(v);
      const l = new Uint8Array(4);
      new DataView(l.buffer).setInt32(0, bytes ? bytes.length : -1);
      out.push(l);
      if (bytes) out.push(bytes);
    }
  }
  out.push(Uint8Array.from([0xff, 0xff]));
  const total = out.reduce((s, b) => s + b.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const b of out) {
    all.set(b, o);
    o += b.length;
  }
  return all;
}

function int4(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v);
  return b;
}
