// The byte layer of the table parser: the upload's chunks (a web stream or an async
// iterable, cancelled when the parse stops early), and encoding problems explained in
// words a user can act on (UTF-16, a spreadsheet, Windows-1252, NUL characters), with the
// line and byte where they are. Decoding itself is TextDecoder's, in parse.ts.
import { countChar, fmtInt, LF, SeedTableParseError, type TableSink } from "./table";

export const SLICE_BYTES = 1024 * 1024;

function isReadableStream(s: unknown): s is ReadableStream<Uint8Array> {
  return typeof (s as { getReader?: unknown }).getReader === "function";
}

/** A source read one chunk at a time, and let go of: cancelled unless it ended on its own. */
type ChunkSource = { next(): Promise<{ done?: boolean; value?: unknown }>; stop(finished: boolean): Promise<void> };

function chunkSource(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): ChunkSource {
  if (isReadableStream(source)) {
    const reader = source.getReader();
    return {
      next: () => reader.read(),
      async stop(finished) {
        if (!finished) await reader.cancel().catch(() => {});
        try {
          reader.releaseLock();
        } catch {
          // already released / errored: nothing to clean up
        }
      },
    };
  }
  const it = source[Symbol.asyncIterator]();
  return {
    next: () => it.next(),
    async stop(finished) {
      if (!finished) await Promise.resolve(it.return?.()).catch(() => {});
    },
  };
}

/** Chunks of the upload; cancels the source when the consumer stops early or throws. */
export async function* readChunks(
  source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const chunks = chunkSource(source);
  let finished = false;
  try {
    for (;;) {
      let result: { done?: boolean; value?: unknown };
      try {
        result = await chunks.next();
      } catch (cause) {
        finished = true; // an errored source needs no cancel
        throw readFailed(cause);
      }
      if (result.done) {
        finished = true;
        return;
      }
      yield asBytes(result.value);
    }
  } finally {
    await chunks.stop(finished);
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

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

// ---------------------------------------------------------------------------------------
// Encoding errors
// ---------------------------------------------------------------------------------------

const SAVE_AS_UTF8 = 'Save or export it as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and upload it again.';

export function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

/** Length of an incomplete UTF-8 sequence at the end of `tail` (0 if it ends on a boundary). */
export function incompleteTailLength(tail: Uint8Array): number {
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

export function encodingError(
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
export function checkNoNul(text: string, sink: TableSink, textByteOffset: number): void {
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
