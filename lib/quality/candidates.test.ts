import { describe, expect, it } from "vitest";
import { candidatePairs, exactGroups } from "./candidates";
import { parseCopyLine } from "./copy-text";

describe("candidatePairs", () => {
  it("pairs records that share a hash in any band, each pair once, and skips records without bands", () => {
    // 4 records × 2 bands: 0 and 2 share band 0; 1 and 2 share band 1; 3 shares band 0 with 0 but has none.
    const bands = Int32Array.from([5, 6, 7, 8, 5, 8, 5, 9]);
    const pairs = [...candidatePairs(bands, 4, 2, Uint8Array.from([1, 1, 1, 0])).values()].sort();
    expect(pairs).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });
  it("handles negative (int4) hashes and caps a huge run", () => {
    const n = 50;
    const bands = new Int32Array(n).fill(-123);
    expect(candidatePairs(bands, n, 1, new Uint8Array(n).fill(1), { cap: 10 }).size).toBe(10);
    expect(candidatePairs(bands, n, 1, new Uint8Array(n).fill(1)).size).toBe(n - 1);
  });
  it("pairs a run with the member `before` puts first, whatever the positions", () => {
    // Records 0..3 share one hash; their own order (say, by id) puts 2 first.
    const rank = [3, 1, 0, 2];
    const bands = new Int32Array(4).fill(7);
    const pairs = [...candidatePairs(bands, 4, 1, new Uint8Array(4).fill(1), { before: (a, b) => rank[a] < rank[b] }).values()].sort();
    expect(pairs).toEqual([
      [0, 2],
      [1, 2],
      [2, 3],
    ]);
    // The same records read in another order (positions permuted) give the same pairs of records.
    const perm = [2, 0, 3, 1]; // position -> record
    const permuted = [...candidatePairs(bands, 4, 1, new Uint8Array(4).fill(1), { before: (a, b) => rank[perm[a]] < rank[perm[b]] }).values()];
    expect(permuted.map(([a, b]) => [perm[a], perm[b]].sort()).sort()).toEqual(pairs);
  });
});

describe("exactGroups and parseCopyLine", () => {
  it("groups equal keys", () => {
    expect(exactGroups(["a", "b", "a", "c", "b", "a"])).toEqual([[0, 2, 5], [1, 4]]);
  });
  it("reads COPY text columns: nulls and escapes", () => {
    expect(parseCopyLine("id\tplain\t\\N\ta\\tb\\nc\\\\d")).toEqual(["id", "plain", null, "a\tb\nc\\d"]);
  });
});
