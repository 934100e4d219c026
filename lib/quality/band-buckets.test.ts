import { describe, expect, it } from "vitest";
import { bandCopyPieces, bucketBits, bucketOf, groupBands, signatureCopyPieces, uuidBytes } from "./band-buckets";
import { prng } from "./synthetic";

describe("band buckets", () => {
  it("groups every (hash, record) once under the bucket of its top bits, buckets ascending, records ascending within one", () => {
    const rand = prng(5);
    const n = 500;
    const B = 17;
    const bands = Int32Array.from({ length: n * B }, () => (rand() * 2 ** 32) | 0);
    const hasBands = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1));
    const g = groupBands(bands, n, B, hasBands, 6);
    const seen: string[] = [];
    for (let k = 0; k < g.buckets.length; k++) {
      if (k) expect(g.buckets[k]).toBeGreaterThan(g.buckets[k - 1]);
      expect(g.offsets[k + 1]).toBeGreaterThan(g.offsets[k]);
      for (let e = g.offsets[k]; e < g.offsets[k + 1]; e++) {
        expect(bucketOf(g.hashes[e], 6)).toBe(g.buckets[k]);
        if (e > g.offsets[k]) expect(g.records[e]).toBeGreaterThanOrEqual(g.records[e - 1]);
        seen.push(`${g.hashes[e]}:${g.records[e]}`);
      }
    }
    const want: string[] = [];
    for (let i = 0; i < n; i++) if (hasBands[i]) for (let b = 0; b < B; b++) want.push(`${bands[i * B + b]}:${i}`);
    expect(seen.sort()).toEqual(want.sort());
    expect(bucketOf(-1, 6)).toBe(63);
  });

  it("sizes buckets to about 100 entries: 2^14 for 100,000 records of 17 bands, 2^17 for 1M", () => {
    expect(bucketBits(100_000, 17)).toBe(14);
    expect(bucketBits(1_000_000, 17)).toBe(17);
    expect(bucketBits(3, 17)).toBe(4);
  });

  it("encodes binary COPY rows: header, one tuple per bucket with its arrays, trailer; the same bytes whatever the piece size", () => {
    const id = "0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9";
    const idBytes = new Uint8Array(16);
    uuidBytes(id, idBytes, 0);
    expect(Buffer.from(idBytes).toString("hex")).toBe(id.replaceAll("-", ""));
    const g = groupBands(Int32Array.from([7, -7]), 1, 2, Uint8Array.from([1]), 18);
    const whole = Buffer.concat([...bandCopyPieces(id, g, idBytes)]);
    expect(whole.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
    expect(whole.readInt16BE(19)).toBe(4);
    // datasetId, then bucket 0 (hash 7), then its arrays: one int4 (7) and one uuid.
    expect(whole.readInt32BE(21)).toBe(16);
    expect(whole.readInt32BE(41)).toBe(4);
    expect(whole.readInt32BE(45)).toBe(0);
    expect(whole.readInt32BE(49)).toBe(28);
    expect([whole.readInt32BE(53), whole.readInt32BE(61), whole.readInt32BE(65)]).toEqual([1, 23, 1]);
    expect(whole.readInt32BE(77)).toBe(7);
    expect(whole.readInt16BE(whole.length - 2)).toBe(-1);
    // Two tuples (buckets 0 and 2^18 - 1), 2 + 20 + 8 + 32 + 44 bytes each.
    expect(whole.length).toBe(19 + 2 * 106 + 2);
    const pieces = [...bandCopyPieces(id, g, idBytes, 40)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).equals(whole)).toBe(true);
  });

  it("writes a signature row as four fields: the record's and the dataset's UUIDs, the key, the cluster or null", () => {
    const ds = "00000000-0000-4000-8000-0000000000aa";
    const ids = ["11111111-2222-4333-8444-555555555555", "ffffffff-0000-4000-8000-000000000001"];
    const idBytes = new Uint8Array(32);
    ids.forEach((id, i) => uuidBytes(id, idBytes, i * 16));
    const cluster = new Uint8Array(16).fill(9);
    const whole = Buffer.concat([...signatureCopyPieces(ds, idBytes, ["0123456789abcdef", "fedcba9876543210"], (i) => (i === 0 ? cluster : null))]);
    expect(whole.subarray(0, 11).toString("latin1")).toBe("PGCOPY\n\xff\r\n\0");
    const hex = (from: number) => whole.subarray(from, from + 16).toString("hex");
    // Row 1 at 19: 4 fields, id, dataset, key, cluster (2 + 20 + 20 + 20 + 20 bytes).
    expect(whole.readInt16BE(19)).toBe(4);
    expect([whole.readInt32BE(21), hex(25)]).toEqual([16, ids[0].replaceAll("-", "")]);
    expect([whole.readInt32BE(41), hex(45)]).toEqual([16, ds.replaceAll("-", "")]);
    expect([whole.readInt32BE(61), whole.toString("latin1", 65, 81)]).toEqual([16, "0123456789abcdef"]);
    expect([whole.readInt32BE(81), hex(85)]).toEqual([16, "09".repeat(16)]);
    // Row 2 at 101: its cluster is null (length -1, no bytes).
    expect([whole.readInt16BE(101), hex(107), whole.toString("latin1", 147, 163), whole.readInt32BE(163)]).toEqual([4, ids[1].replaceAll("-", ""), "fedcba9876543210", -1]);
    expect(whole.readInt16BE(167)).toBe(-1);
    expect(whole.length).toBe(169);
    const pieces = [...signatureCopyPieces(ds, idBytes, ["0123456789abcdef", "fedcba9876543210"], (i) => (i === 0 ? cluster : null), 50)];
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).equals(whole)).toBe(true);
  });

  it("writes only the records it is told to include, in two COPYs that together hold every row once", () => {
    const ds = "00000000-0000-4000-8000-0000000000aa";
    const ids = ["11111111-2222-4333-8444-555555555555", "ffffffff-0000-4000-8000-000000000001", "abababab-0000-4000-8000-000000000002"];
    const idBytes = new Uint8Array(48);
    ids.forEach((id, i) => uuidBytes(id, idBytes, i * 16));
    const keys = ["0123456789abcdef", "fedcba9876543210", "00000000ffffffff"];
    const rows = (b: Buffer) => b.subarray(19, b.length - 2);
    const all = rows(Buffer.concat([...signatureCopyPieces(ds, idBytes, keys, () => null)]));
    const odd = rows(Buffer.concat([...signatureCopyPieces(ds, idBytes, keys, () => null, 1 << 20, (i) => i === 1)]));
    const even = rows(Buffer.concat([...signatureCopyPieces(ds, idBytes, keys, () => null, 1 << 20, (i) => i !== 1)]));
    expect(odd.length).toBe(all.length / 3);
    expect(odd.subarray(6, 22).toString("hex")).toBe(ids[1].replaceAll("-", ""));
    expect(Buffer.concat([even.subarray(0, odd.length), odd, even.subarray(odd.length)]).equals(all)).toBe(true);
  });
});
