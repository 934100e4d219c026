// Candidate pairs of a full pass, found by sorting instead of hash maps: for each band, the
// records' (band hash, position) pairs packed into one float64 (hash × 2^21 + position,
// exact below 2^53) and sorted, so records sharing that band's hash sit side by side.
// Sorting a million doubles takes ~0.1 s; a Map of a million entries per band took longer
// and held far more memory.

const POSITION_BITS = 2 ** 21;
/** Most records a full pass packs this way (positions need 21 bits). */
export const MAX_PASS_RECORDS = POSITION_BITS;

/**
 * Pairs (a < b) of records that share at least one band hash, each once. `bands` holds
 * `perRecord` hashes per record (record i at i * perRecord); `hasBands[i] = 0` leaves a
 * record out (an empty text). A run of m records with one hash gives m - 1 pairs, each to the
 * run's hub, enough for union-find to join them all; `cap` bounds the pairs per run so one
 * hash shared by thousands of records (the same boilerplate text) cannot blow up the count.
 *
 * The hub is the run's first record by `before`, not by position: Jaccard is not transitive,
 * so which member the others are compared with decides which edges pass verification, and
 * positions follow the order rows were read (worker threads return blocks out of order, an
 * updated row moves in the heap). Ordering by something of the record's own (its id) gives
 * the same clusters however the pass read them. Only a run longer than `cap` still depends
 * on the order, in which of its members get a pair.
 */
export function candidatePairs(
  bands: Int32Array,
  n: number,
  perRecord: number,
  hasBands: Uint8Array,
  { cap = 10_000, before = (a: number, b: number) => a < b }: { cap?: number; before?: (a: number, b: number) => boolean } = {},
): Map<number, [number, number]> {
  if (n > MAX_PASS_RECORDS) throw new Error(`A full pass handles at most ${MAX_PASS_RECORDS} records, not ${n}`);
  const pairs = new Map<number, [number, number]>();
  const packed = new Float64Array(n);
  for (let b = 0; b < perRecord; b++) {
    let m = 0;
    for (let i = 0; i < n; i++) if (hasBands[i]) packed[m++] = (bands[i * perRecord + b] >>> 0) * POSITION_BITS + i;
    const sorted = packed.subarray(0, m).sort();
    let runStart = 0;
    for (let j = 1; j <= m; j++) {
      if (j < m && Math.floor(sorted[j] / POSITION_BITS) === Math.floor(sorted[runStart] / POSITION_BITS)) continue;
      if (j - runStart > 1) {
        let hub = sorted[runStart] % POSITION_BITS;
        for (let k = runStart + 1; k < j; k++) {
          const p = sorted[k] % POSITION_BITS;
          if (before(p, hub)) hub = p;
        }
        let paired = 0;
        for (let k = runStart; k < j && paired < cap; k++) {
          const other = sorted[k] % POSITION_BITS;
          if (other === hub) continue;
          paired++;
          const a = Math.min(hub, other);
          const c = Math.max(hub, other);
          const key = a * POSITION_BITS + c;
          if (!pairs.has(key)) pairs.set(key, [a, c]);
        }
      }
      runStart = j;
    }
  }
  return pairs;
}

/** Groups (two or more positions) of equal exact keys. */
export function exactGroups(keys: readonly string[]): number[][] {
  const by = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i++) {
    const g = by.get(keys[i]);
    if (g) g.push(i);
    else by.set(keys[i], [i]);
  }
  return [...by.values()].filter((g) => g.length > 1);
}
