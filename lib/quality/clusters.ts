// Union-find over record positions: candidate pairs that pass verification are joined, and
// the components of two or more records are the duplicate clusters.

export class UnionFind {
  private readonly parent: Int32Array;
  private readonly rank: Uint8Array;

  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.rank = new Uint8Array(n);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[x] !== root) {
      const next = this.parent[x];
      this.parent[x] = root;
      x = next;
    }
    return root;
  }

  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.rank[ra] < this.rank[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    if (this.rank[ra] === this.rank[rb]) this.rank[ra]++;
    return true;
  }
}

/** Clusters (two or more members) from joined pairs over n items, members ascending, clusters by first member. */
export function clustersOf(n: number, pairs: Iterable<readonly [number, number]>): number[][] {
  const uf = new UnionFind(n);
  const touched = new Set<number>();
  for (const [a, b] of pairs) {
    uf.union(a, b);
    touched.add(a);
    touched.add(b);
  }
  const byRoot = new Map<number, number[]>();
  for (const i of [...touched].sort((x, y) => x - y)) {
    const r = uf.find(i);
    let c = byRoot.get(r);
    if (!c) byRoot.set(r, (c = []));
    c.push(i);
  }
  return [...byRoot.values()].filter((c) => c.length > 1).sort((x, y) => x[0] - y[0]);
}

/**
 * Which of n records verification can put in a cluster: those in a candidate pair or in a
 * group of equal exact keys (1), against those no verified pair can touch (0), whose
 * fingerprint (with no cluster) a full pass can write while verification runs.
 */
export function openRecords(n: number, pairs: Iterable<readonly [number, number]>, exactGroups: Iterable<readonly number[]>): Uint8Array {
  const open = new Uint8Array(n);
  for (const [a, b] of pairs) open[a] = open[b] = 1;
  for (const g of exactGroups) for (const i of g) open[i] = 1;
  return open;
}
