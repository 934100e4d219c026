// The full pass's fast path: the fingerprint of one row of `COPY ... TO STDOUT` (text format)
// straight from its bytes when the row is plain ASCII, which is most text. It normalises as
// `normalizeText` does on ASCII (lower case; a run of whitespace and punctuation is one
// space; trimmed) and joins the fields as `joinedText` does, but into a byte array: no
// UTF-8 decoding, no string per field, no regular expression. The exact key hashes the same
// bytes the string would encode to, and the shingles read the bytes as code points, so the
// result is the one `fingerprint` gives for the decoded row (a test holds them equal).
// Rows with other bytes (non-ASCII text) return null: the caller decodes them and takes
// the general path.
import { createHash } from "node:crypto";
import type { Fingerprint } from "./fingerprint";
import { bandHashes, type Banding } from "./lsh";
import { ophSignature, SIGNATURE_SIZE } from "./minhash";
import { pointShingles } from "./shingles";

/** Per byte: 0 = dropped into a space (whitespace, punctuation, symbols), else the byte lower-cased. */
const MAP = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const isBreak = (c >= 9 && c <= 13) || (c >= 32 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  MAP[c] = isBreak ? 0 : c >= 65 && c <= 90 ? c + 32 : c;
}
/** What COPY's backslash escapes stand for (PostgreSQL writes no other on output). */
const ESCAPED = new Int16Array(128).fill(-1);
for (const [ch, v] of Object.entries({ b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92 })) ESCAPED[ch.charCodeAt(0)] = v;

const TAB = 9;
const BACKSLASH = 92;
let norm = new Uint8Array(4096);
let shingleScratch = new Uint32Array(4096);
const sigScratch = new Uint32Array(SIGNATURE_SIZE);

/**
 * Fingerprint of the columns in `buf[start, end)` (tab-separated, `\N` for null), or null
 * when the row is not plain ASCII (or holds an escape this path does not know).
 */
export function fingerprintCopyColumns(buf: Uint8Array, start: number, end: number, banding: Banding): Omit<Fingerprint, "text"> | null {
  if (norm.length < end - start) {
    norm = new Uint8Array((end - start) * 2);
    shingleScratch = new Uint32Array((end - start) * 2);
  }
  let n = 0;
  let space = false;
  let fieldStart = true;
  for (let i = start; i < end; i++) {
    let c = buf[i];
    if (c >= 128) return null;
    if (fieldStart) {
      fieldStart = false;
      // A null field adds nothing (joinedText skips it).
      if (c === BACKSLASH && buf[i + 1] === 78 && (i + 2 === end || buf[i + 2] === TAB)) {
        i += 1;
        continue;
      }
    }
    if (c === TAB) {
      fieldStart = true;
      space = true;
      continue;
    }
    if (c === BACKSLASH) {
      const e = i + 1 < end ? ESCAPED[buf[i + 1]] : -1;
      if (e < 0) return null;
      c = e;
      i++;
    }
    const m = MAP[c];
    if (m === 0) space = true;
    else {
      if (space && n > 0) norm[n++] = 32;
      space = false;
      norm[n++] = m;
    }
  }
  const bytes = norm.subarray(0, n);
  const key = createHash("sha256").update(bytes).digest("hex").slice(0, 16);
  const sig = n ? ophSignature(pointShingles(bytes, n, shingleScratch), SIGNATURE_SIZE, sigScratch) : null;
  return { key, bands: sig ? bandHashes(sig, banding) : new Int32Array(0) };
}
