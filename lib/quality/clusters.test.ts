import { describe, expect, it } from "vitest";
import { clustersOf, openRecords, UnionFind } from "./clusters";

describe("clusters", () => {
  it("joins pairs transitively into clusters of two or more", () => {
    expect(clustersOf(10, [[1, 2], [5, 4], [2, 3], [8, 9], [3, 1]])).toEqual([[1, 2, 3], [4, 5], [8, 9]]);
    expect(clustersOf(3, [])).toEqual([]);
  });
  it("union reports whether it joined two sets", () => {
    const uf = new UnionFind(4);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(1, 0)).toBe(false);
    expect(uf.find(0)).toBe(uf.find(1));
    expect(uf.find(2)).not.toBe(uf.find(0));
  });
  it("handles long chains", () => {
    const n = 100_000;
    const pairs = Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as const);
    const c = clustersOf(n, pairs);
    expect(c).toHaveLength(1);
    expect(c[0]).toHaveLength(n);
  });
  it("marks open every record of a candidate pair or an exact group, and no other: only those can end in a cluster", () => {
    const open = openRecords(8, [[1, 6], [2, 6]], [[3, 7]]);
    expect(Array.from(open)).toEqual([0, 1, 1, 1, 0, 0, 1, 1]);
    // Whatever verification accepts among the pairs, every clustered record is open.
    for (const accepted of [[], [[1, 6]], [[1, 6], [2, 6]]] as [number, number][][]) {
      for (const c of clustersOf(8, [...accepted, [3, 7]])) for (const i of c) expect(open[i]).toBe(1);
    }
  });
});
