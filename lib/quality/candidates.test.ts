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
    expect(candidatePairs(bands, n, 1, new Uint8Array(n).fill(1), 10).size).toBe(10);
    expect(candidatePairs(bands, n, 1, new Uint8Array(n).fill(1)).size).toBe(n - 1);
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
