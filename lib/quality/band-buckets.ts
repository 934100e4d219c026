// Band hashes grouped for storage (RecordBand, prisma/schema.prisma): one row per
// (dataset, bucket), the bucket being the top BUCKET_BITS bits of the hash, holding the
// hashes that fall in it and their records. A GIN index on 17 hashes per record cost most
// of a full pass (bench/README.md, "Duplicate detection"): grouped, 1M records are ~250,000
// rows written by one COPY in primary-key order, and a new record's candidates are 17
// primary-key lookups of a few dozen entries each.
//
// Pure: the grouping (a counting sort over typed arrays) and the binary COPY encoding.

/**
 * Bits of a bucket number for a pass over `records` records of `bands` bands: about 100
 * entries (~2 KB) per bucket. Fewer, larger rows are cheaper to write (each row costs its
 * own insert and primary-key entry: 2^18 rows for 100,000 records took three times as long
 * as 2^14 at 100,000, bench/README.md), smaller ones cheaper to probe. Derived from the
 * pass's record count (DedupeState.total, which only a pass sets), so landed records use
 * the pass's buckets.
 */
export function bucketBits(records: number, bands: number): number {
  return Math.max(4, Math.min(20, Math.round(Math.log2(Math.max(1, records * bands) / 100))));
}

export const bucketOf = (hash: number, bits: number) => hash >>> (32 - bits);

export type BandBuckets = {
  /** The non-empty buckets, ascending. */
  buckets: Int32Array;
  /** Entries of `buckets[k]` are `offsets[k]` .. `offsets[k + 1]` of `hashes` and `records`. */
  offsets: Int32Array;
  hashes: Int32Array;
  /** Record positions (indexes into the caller's list of ids). */
  records: Int32Array;
};

/**
 * Groups the band hashes of n records (`bands[i * B .. i * B + B]`, records with
 * `hasBands[i] === 0` skipped) by bucket, records in ascending order within a bucket.
 */
export function groupBands(bands: Int32Array, n: number, B: number, hasBands: Uint8Array, bits: number): BandBuckets {
  const count = new Int32Array((1 << bits) + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (!hasBands[i]) continue;
    for (let b = i * B; b < i * B + B; b++) count[bucketOf(bands[b], bits) + 1]++;
    total += B;
  }
  let nonEmpty = 0;
  for (let k = 1; k < count.length; k++) {
    if (count[k]) nonEmpty++;
    count[k] += count[k - 1];
  }
  const hashes = new Int32Array(total);
  const records = new Int32Array(total);
  const next = count.slice(0, 1 << bits);
  for (let i = 0; i < n; i++) {
    if (!hasBands[i]) continue;
    for (let b = i * B; b < i * B + B; b++) {
      const at = next[bucketOf(bands[b], bits)]++;
      hashes[at] = bands[b];
      records[at] = i;
    }
  }
  const buckets = new Int32Array(nonEmpty);
  const offsets = new Int32Array(nonEmpty + 1);
  let k = 0;
  for (let bucket = 0; bucket < 1 << bits; bucket++) {
    if (count[bucket + 1] === count[bucket]) continue;
    buckets[k] = bucket;
    offsets[k] = count[bucket];
    k++;
  }
  offsets[nonEmpty] = total;
  return { buckets, offsets, hashes, records };
}

/** 16 bytes of a UUID written as 36 characters. */
export function uuidBytes(id: string, out: Uint8Array, at: number): void {
  const hex = id.replaceAll("-", "");
  for (let j = 0; j < 16; j++) out[at + j] = parseInt(hex.slice(j * 2, j * 2 + 2), 16);
}

const INT4_OID = 23;
const UUID_OID = 2950;

/**
 * The rows of `copy "RecordBand" ("datasetId", bucket, hashes, records) from stdin with
 * (format binary)`, header and trailer included, in pieces of about `pieceBytes`.
 * `idBytes` holds record i's UUID at `i * 16`. Binary, because the text form of 17M hashes
 * and UUIDs is ~0.8 GB for PostgreSQL to parse, against ~0.5 GB copied as is.
 */
export function* bandCopyPieces(datasetId: string, g: BandBuckets, idBytes: Uint8Array, pieceBytes = 1 << 20): Generator<Buffer> {
  const ds = new Uint8Array(16);
  uuidBytes(datasetId, ds, 0);
  let buf = Buffer.allocUnsafe(pieceBytes + 64);
  let at = 0;
  // PGCOPY\n\377\r\n\0, flags, header extension length.
  buf.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00], 0);
  at = buf.writeInt32BE(0, 11);
  at = buf.writeInt32BE(0, at);
  for (let k = 0; k < g.buckets.length; k++) {
    const from = g.offsets[k];
    const m = g.offsets[k + 1] - from;
    const size = 2 + (4 + 16) + (4 + 4) + (4 + 20 + 8 * m) + (4 + 20 + 20 * m);
    if (at + size > buf.length) {
      if (at) yield buf.subarray(0, at);
      buf = Buffer.allocUnsafe(Math.max(pieceBytes, size) + 64);
      at = 0;
    }
    at = buf.writeInt16BE(4, at);
    at = buf.writeInt32BE(16, at);
    buf.set(ds, at);
    at += 16;
    at = buf.writeInt32BE(4, at);
    at = buf.writeInt32BE(g.buckets[k], at);
    // An array: dimensions, has-nulls flag, element type, length and lower bound, then each
    // element as its length and bytes.
    at = buf.writeInt32BE(20 + 8 * m, at);
    at = arrayHeader(buf, at, INT4_OID, m);
    for (let e = from; e < from + m; e++) {
      at = buf.writeInt32BE(4, at);
      at = buf.writeInt32BE(g.hashes[e], at);
    }
    at = buf.writeInt32BE(20 + 20 * m, at);
    at = arrayHeader(buf, at, UUID_OID, m);
    for (let e = from; e < from + m; e++) {
      at = buf.writeInt32BE(16, at);
      const r = g.records[e] * 16;
      buf.set(idBytes.subarray(r, r + 16), at);
      at += 16;
    }
  }
  at = buf.writeInt16BE(-1, at);
  yield buf.subarray(0, at);
}

/**
 * The rows of `copy "RecordSignature" ("recordId", "datasetId", "exactKey", "clusterId") from
 * stdin with (format binary)`, header and trailer included, in pieces of about `pieceBytes`:
 * record i's id is at `idBytes[i * 16]`, its exact key (ASCII) `keys[i]`, its cluster's 16
 * bytes `clusterOf(i)` or null; only the records `include` keeps (a full pass writes those
 * in no cluster while it verifies, the rest after). Binary: PostgreSQL copies UUIDs as they are instead of
 * parsing 36 characters three times a row.
 */
export function* signatureCopyPieces(
  datasetId: string,
  idBytes: Uint8Array,
  keys: readonly string[],
  clusterOf: (i: number) => Uint8Array | null,
  pieceBytes = 1 << 20,
  include: (i: number) => boolean = () => true,
): Generator<Buffer> {
  const ds = new Uint8Array(16);
  uuidBytes(datasetId, ds, 0);
  let buf = Buffer.allocUnsafe(pieceBytes + 64);
  buf.set([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00], 0);
  let at = buf.writeInt32BE(0, 11);
  at = buf.writeInt32BE(0, at);
  for (let i = 0; i < keys.length; i++) {
    if (!include(i)) continue;
    const key = keys[i];
    const size = 2 + 20 + 20 + 4 + key.length + 20;
    if (at + size > buf.length) {
      yield buf.subarray(0, at);
      buf = Buffer.allocUnsafe(Math.max(pieceBytes, size) + 64);
      at = 0;
    }
    at = buf.writeInt16BE(4, at);
    at = buf.writeInt32BE(16, at);
    buf.set(idBytes.subarray(i * 16, i * 16 + 16), at);
    at += 16;
    at = buf.writeInt32BE(16, at);
    buf.set(ds, at);
    at += 16;
    at = buf.writeInt32BE(key.length, at);
    at += buf.write(key, at, "latin1");
    const c = clusterOf(i);
    if (c) {
      at = buf.writeInt32BE(16, at);
      buf.set(c, at);
      at += 16;
    } else at = buf.writeInt32BE(-1, at);
  }
  at = buf.writeInt16BE(-1, at);
  yield buf.subarray(0, at);
}

function arrayHeader(buf: Buffer, at: number, oid: number, m: number): number {
  at = buf.writeInt32BE(1, at);
  at = buf.writeInt32BE(0, at);
  at = buf.writeInt32BE(oid, at);
  at = buf.writeInt32BE(m, at);
  return buf.writeInt32BE(1, at);
}
