// What checking a batch of newly landed records changes, worked out in memory from the batch
// and its candidates (stored records sharing an exact key or a band hash with any of it), so
// the service reads once and writes once per batch instead of a round trip per record.
//
// Each landed record, in order, joins every candidate and every earlier record of the batch
// whose exact key equals its own, or that shares a band hash with it and whose exact 5-gram
// Jaccard reaches the threshold. A component that holds a landed record and anything else is
// one cluster: the smallest id among the stored clusters it touches (the others merge into
// it), or a new one.
import { UnionFind } from "./clusters";
import { jaccard, shingleSet } from "./shingles";

export type LandedRecord = { id: string; key: string; text: string; bands: ArrayLike<number> };
/** A stored fingerprint; `text` (normalised and joined) may be null when its key equals a landed record's. */
export type StoredCandidate = { id: string; cluster: string | null; key: string; bands: ArrayLike<number>; text: string | null };

export type LandedPlan = {
  /** The landed records' fingerprints, with the cluster each joined (or null). */
  signatures: { id: string; key: string; bands: ArrayLike<number>; cluster: string | null }[];
  /** Clusters to create. */
  created: string[];
  /** Stored clusters merged into another: every member of `from` moves to `to`, and `from` goes. */
  merged: { from: string; to: string }[];
  /** Stored records that were in no cluster and join one. */
  assigned: { id: string; cluster: string }[];
  /** Clusters whose size and exactness change. */
  touched: string[];
  /** Landed records that joined a cluster. */
  joined: number;
};

export function planLanded(
  batch: readonly LandedRecord[],
  candidates: readonly StoredCandidate[],
  threshold: number,
  newId: () => string = () => crypto.randomUUID(),
): LandedPlan {
  const m = batch.length;
  const key = (i: number) => (i < m ? batch[i].key : candidates[i - m].key);
  const textByKey = new Map(batch.map((b) => [b.key, b.text]));
  const sets = new Map<number, Uint32Array>();
  const setOf = (i: number) => {
    let s = sets.get(i);
    if (!s) sets.set(i, (s = shingleSet(i < m ? batch[i].text : (candidates[i - m].text ?? textByKey.get(key(i)) ?? ""))));
    return s;
  };

  const uf = new UnionFind(m + candidates.length);
  const byKey = new Map<string, number[]>();
  const byBand = new Map<number, number[]>();
  const add = (i: number, bands: ArrayLike<number>) => {
    push(byKey, key(i), i);
    for (let b = 0; b < bands.length; b++) push(byBand, bands[b], i);
  };
  // Members of one stored cluster are together already: no need to verify them twice.
  const firstOfCluster = new Map<string, number>();
  candidates.forEach((c, k) => {
    const i = m + k;
    add(i, c.bands);
    if (c.cluster === null) return;
    const first = firstOfCluster.get(c.cluster);
    if (first === undefined) firstOfCluster.set(c.cluster, i);
    else uf.union(first, i);
  });
  for (let x = 0; x < m; x++) {
    for (const i of byKey.get(batch[x].key) ?? []) uf.union(x, i);
    const bands = batch[x].bands;
    for (let b = 0; b < bands.length; b++) {
      for (const i of byBand.get(bands[b]) ?? []) {
        if (uf.find(x) !== uf.find(i) && jaccard(setOf(x), setOf(i)) >= threshold) uf.union(x, i);
      }
    }
    add(x, bands);
  }

  const members = new Map<number, number[]>();
  for (let i = 0; i < m + candidates.length; i++) push(members, uf.find(i), i);
  const plan: LandedPlan = { signatures: [], created: [], merged: [], assigned: [], touched: [], joined: 0 };
  const clusterOf = new Array<string | null>(m).fill(null);
  for (const group of members.values()) {
    if (group.length < 2 || group[0] >= m) continue; // alone, or stored records only (unchanged)
    const existing = [...new Set(group.filter((i) => i >= m && candidates[i - m].cluster !== null).map((i) => candidates[i - m].cluster!))].sort();
    const target = existing[0] ?? newId();
    if (!existing.length) plan.created.push(target);
    for (const from of existing.slice(1)) plan.merged.push({ from, to: target });
    for (const i of group) {
      if (i < m) {
        clusterOf[i] = target;
        plan.joined++;
      } else if (candidates[i - m].cluster === null) plan.assigned.push({ id: candidates[i - m].id, cluster: target });
    }
    plan.touched.push(target);
  }
  plan.signatures = batch.map((b, i) => ({ id: b.id, key: b.key, bands: b.bands, cluster: clusterOf[i] }));
  return plan;
}

function push<K>(map: Map<K, number[]>, k: K, v: number) {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

/** Which landed records to check: these ids, a run's (some of its indexes, or all), or an import's. */
export type Landed = { ids: string[] } | { runId: string; indexes?: number[] } | { importId: string };

/**
 * The requests that found a full pass running (DedupeState.landedDuringPass), merged for the
 * pass to check after its commit: one of ids, one per run (all of a run when any request
 * asked for all of it), one per import. A run landing in small batches during a one-minute
 * pass leaves hundreds of requests; merged, they are a chunked check each.
 */
export function mergeLanded(requests: readonly Landed[]): Landed[] {
  const ids = new Set<string>();
  const runs = new Map<string, Set<number> | "all">();
  const imports = new Set<string>();
  for (const r of requests) {
    if ("ids" in r) for (const id of r.ids) ids.add(id);
    else if ("importId" in r) imports.add(r.importId);
    else {
      const had = runs.get(r.runId);
      if (!r.indexes || had === "all") runs.set(r.runId, "all");
      else runs.set(r.runId, new Set([...(had ?? []), ...r.indexes]));
    }
  }
  const out: Landed[] = [];
  if (ids.size) out.push({ ids: [...ids] });
  for (const [runId, indexes] of runs) out.push(indexes === "all" ? { runId } : { runId, indexes: [...indexes].sort((a, b) => a - b) });
  for (const importId of imports) out.push({ importId });
  return out;
}
