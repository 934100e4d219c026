// JSON lines written as bytes, straight from the UTF-8 PostgreSQL sent.
//
// Decoding each value into a JavaScript string, JSON.stringify-ing it and encoding the
// line back to UTF-8 cost ~4 us per 1 KB record here (text with accents and curly quotes
// makes V8 use two-byte strings, which are slower in all three steps). Escaping a JSON
// string needs only `"`, `\` and control characters rewritten, all single bytes in UTF-8,
// so the payload is scanned once and copied in runs. The result is byte-for-byte what
// JSON.stringify gives (it too leaves U+2028/2029 and DEL alone; lower-case \u00xx). Pure.
import { CELL_NULL, CELL_STRING, type CellBatch } from "@/lib/db/copy/cells";

// 0: copy as is; otherwise the escape's second character (or "u" for \u00XX).
const ESC = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) ESC[b] = 0x75; // u
ESC[0x08] = 0x62; // \b
ESC[0x09] = 0x74; // \t
ESC[0x0a] = 0x6e; // \n
ESC[0x0c] = 0x66; // \f
ESC[0x0d] = 0x72; // \r
ESC[0x22] = 0x22; // \"
ESC[0x5c] = 0x5c; // \\
const HEX = new TextEncoder().encode("0123456789abcdef");
const NULL_BYTES = new TextEncoder().encode("null");

type NodeCopy = Uint8Array & { copy(target: Uint8Array, targetStart: number, sourceStart: number, sourceEnd: number): number };

/** A growable output buffer, handed over in pieces. */
export class ByteOut {
  buf: Uint8Array;
  len = 0;

  constructor(capacity = 1 << 16) {
    this.buf = new Uint8Array(capacity);
  }

  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const nb = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    nb.set(this.buf.subarray(0, this.len));
    this.buf = nb;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  /** Copies src[s, e). */
  copy(src: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (n <= 0) return;
    this.ensure(n);
    if (n > 32 && typeof (src as NodeCopy).copy === "function") (src as NodeCopy).copy(this.buf, this.len, s, e);
    else if (n > 32) this.buf.set(src.subarray(s, e), this.len);
    else for (let i = 0; i < n; i++) this.buf[this.len + i] = src[s + i];
    this.len += n;
  }

  /** src[s, e) (UTF-8) as a JSON string literal. */
  jsonString(src: Uint8Array, s: number, e: number): void {
    this.byte(0x22);
    let run = s;
    for (let i = s; i < e; i++) {
      const x = ESC[src[i]];
      if (x === 0) continue;
      this.copy(src, run, i);
      run = i + 1;
      if (x === 0x75) {
        const b = src[i];
        this.ensure(6);
        const o = this.len;
        this.buf[o] = 0x5c;
        this.buf[o + 1] = 0x75;
        this.buf[o + 2] = 0x30;
        this.buf[o + 3] = 0x30;
        this.buf[o + 4] = HEX[b >> 4];
        this.buf[o + 5] = HEX[b & 15];
        this.len += 6;
      } else {
        this.ensure(2);
        this.buf[this.len] = 0x5c;
        this.buf[this.len + 1] = x;
        this.len += 2;
      }
    }
    this.copy(src, run, e);
    this.byte(0x22);
  }

  /** A cell as a JSON value: strings quoted, other JSON as is, missing as null. */
  cellJson(b: CellBatch, row: number, col: number): void {
    const s = b.start(row, col);
    if (s < 0) return this.raw(NULL_BYTES);
    if (b.type(row, col) === CELL_STRING) this.jsonString(b.buf, s, b.end(row, col));
    else this.copy(b.buf, s, b.end(row, col));
  }

  /** A cell as a JSON string (chat content): its text quoted; missing as "". */
  cellContent(b: CellBatch, row: number, col: number): void {
    const s = b.start(row, col);
    if (s < 0 || b.type(row, col) === CELL_NULL) {
      this.byte(0x22);
      this.byte(0x22);
      return;
    }
    this.jsonString(b.buf, s, b.end(row, col));
  }

  /** The bytes written so far; the buffer starts over. */
  take(): Uint8Array | null {
    if (this.len === 0) return null;
    const out = this.buf.subarray(0, this.len);
    this.buf = new Uint8Array(Math.max(1 << 16, this.buf.length));
    this.len = 0;
    return out;
  }
}
