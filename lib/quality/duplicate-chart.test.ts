import { describe, expect, test } from "vitest";
import { duplicateRate, sizeBuckets } from "./duplicate-chart";

describe("duplicate charts", () => {
  test("cluster sizes fall into their buckets, with the records they hold", () => {
    const b = sizeBuckets([
      { size: 2, exact: true, clusters: 3 },
      { size: 2, exact: false, clusters: 4 },
      { size: 3, exact: false, clusters: 1 },
      { size: 7, exact: false, clusters: 2 },
      { size: 10, exact: true, clusters: 1 },
    ]);
    expect(b.map((x) => [x.label, x.min, x.max, x.clusters, x.records])).toEqual([
      ["2", 2, 2, 7, 14],
      ["3", 3, 3, 1, 3],
      ["4", 4, 4, 0, 0],
      ["5", 5, 5, 0, 0],
      ["6–10", 6, 10, 3, 24],
    ]);
  });

  test("the last bucket is open-ended", () => {
    const b = sizeBuckets([{ size: 5000, exact: false, clusters: 1 }]);
    expect(b.at(-1)).toEqual({ label: "101+", min: 101, max: null, clusters: 1, records: 5000 });
  });

  test("no clusters: one empty bucket", () => {
    expect(sizeBuckets([])).toEqual([{ label: "2", min: 2, max: 2, clusters: 0, records: 0 }]);
  });

  test("duplicate rate: records in clusters of all checked, exact apart from near", () => {
    const r = duplicateRate(
      [
        { size: 2, exact: true, clusters: 3 },
        { size: 4, exact: false, clusters: 2 },
      ],
      100,
    );
    expect(r).toEqual({ checked: 100, inClusters: 14, exactRecords: 6, nearRecords: 8, clusters: 5, rate: 0.14 });
    expect(duplicateRate([], 0).rate).toBe(0);
  });
});
