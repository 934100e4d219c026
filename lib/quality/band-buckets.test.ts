import { describe, expect, it } from "vitest";
import { bandCopyPieces, bucketBits, bucketOf, groupBands, uuidBytes } from "./band-buckets";
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
});
