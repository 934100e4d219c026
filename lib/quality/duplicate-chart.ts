// The health page's duplicate charts from cluster counts grouped by size (one small
// GROUP BY over DuplicateCluster, whatever the dataset's size): the duplicate rate, split
// exact / near, and a cluster-size histogram whose bars are ranges a filter can select.

/** Clusters of one size and kind, as the database groups them. */
export type ClusterSizeRow = { size: number; exact: boolean; clusters: number };

/** A histogram bar: clusters of `min` to `max` members (`max` null: and more). */
export type SizeBucket = { label: string; min: number; max: number | null; clusters: number; records: number };

export type DuplicateRate = { checked: number; inClusters: number; exactRecords: number; nearRecords: number; clusters: number; rate: number };

/** Bucket edges: single sizes where most clusters are (pairs, triples), then widening ranges. */
const EDGES = [2, 3, 4, 5, 6, 11, 21, 51, 101];

export function sizeBuckets(rows: readonly ClusterSizeRow[]): SizeBucket[] {
  const buckets: SizeBucket[] = EDGES.map((min, i) => {
    const next = EDGES[i + 1];
    const max = next === undefined ? null : next - 1;
    const label = max === null ? `${min}+` : max === min ? String(min) : `${min}–${max}`;
    return { label, min, max, clusters: 0, records: 0 };
  });
  for (const r of rows) {
    let i = EDGES.length - 1;
    while (i > 0 && r.size < EDGES[i]) i--;
    buckets[i].clusters += r.clusters;
    buckets[i].records += r.clusters * r.size;
  }
  // Empty buckets past the largest cluster say nothing; the ones between stay (a gap is information).
  let last = buckets.length - 1;
  while (last > 0 && buckets[last].clusters === 0) last--;
  return buckets.slice(0, last + 1);
}

/** Records in clusters among the `checked` records, exact-only clusters apart from near ones. */
export function duplicateRate(rows: readonly ClusterSizeRow[], checked: number): DuplicateRate {
  let exactRecords = 0;
  let nearRecords = 0;
  let clusters = 0;
  for (const r of rows) {
    clusters += r.clusters;
    if (r.exact) exactRecords += r.clusters * r.size;
    else nearRecords += r.clusters * r.size;
  }
  const inClusters = exactRecords + nearRecords;
  return { checked, inClusters, exactRecords, nearRecords, clusters, rate: checked ? inClusters / checked : 0 };
}
