// A block of whole rows of the full pass's COPY (each the record's id, then the chosen
// fields), fingerprinted at once: what the pass did row by row, over a block, so that the
// work can go to worker threads (server/fingerprint-workers.ts) and come back as a few
// typed arrays and two strings instead of an object per record. The pass fingerprints its
// blocks with this function in its own thread or in workers, so both give the same result.
import { fingerprintCopyColumns } from "./copy-fingerprint";
import { parseCopyLine } from "./copy-text";
import { fingerprint } from "./fingerprint";
import type { Banding } from "./lsh";

export type LineBatch = {
  count: number;
  /** The records' ids, 36 characters each, end to end. */
  ids: string;
  /** Their exact keys, 16 characters each, end to end. */
  keys: string;
  /** `bands` hashes per record (zeros for a record without any, see `hasBands`). */
  bands: Int32Array;
  /** 1 when the record has band hashes (an empty text has none). */
  hasBands: Uint8Array;
};

const ID = 36;
const NEWLINE = 10;

/** Fingerprints of the rows in `buf`, each ended by a newline (a last row without one counts too). */
export function fingerprintLines(buf: Uint8Array, banding: Banding): LineBatch {
  const B = banding.bands;
  let count = 0;
  for (let i = buf.indexOf(NEWLINE); i >= 0; i = buf.indexOf(NEWLINE, i + 1)) count++;
  if (buf.length && buf[buf.length - 1] !== NEWLINE) count++;
  const bands = new Int32Array(count * B);
  const hasBands = new Uint8Array(count);
  const ids: string[] = new Array(count);
  const keys: string[] = new Array(count);
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let start = 0;
  for (let r = 0; r < count; r++) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = buf.length;
    // The id (36 characters and a tab), then the fields: most rows are plain ASCII and are
    // fingerprinted from their bytes; the rest are decoded first (same result).
    const fp = fingerprintCopyColumns(buf, start + ID + 1, end, banding) ?? fingerprint(parseCopyLine(text.toString("utf8", start + ID + 1, end)), banding);
    ids[r] = text.toString("latin1", start, start + ID);
    keys[r] = fp.key;
    if (fp.bands.length) {
      bands.set(fp.bands, r * B);
      hasBands[r] = 1;
    }
    start = end + 1;
  }
  return { count, ids: ids.join(""), keys: keys.join(""), bands, hasBands };
}
