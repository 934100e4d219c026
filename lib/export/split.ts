// Train / validation / test assignment, deterministic by seed.
//
// Each record gets a key: the first 52 bits of md5("<seed>:<record id>") (PostgreSQL
// computes it; 52 bits so it is exact in a double). Without stratification a record's
// split depends on its key alone, cut at the cumulative percentages: the same seed always
// gives the same split, and adding records never moves an existing one. Stratified, the
// records of each label value are ranked by key and cut at exact counts (largest
// remainder), so a rare value gets its share in every split; a record near a cut can move
// when that value's count changes. Pure.
import { SPLITS, type SplitName, type SplitSpec } from "./schemas";

export const KEY_SPACE = 2 ** 52;

/** The key of a record from the md5 hex of "<seed>:<id>" (what PostgreSQL computes). */
export function keyFromMd5Hex(hex: string): number {
  return parseInt(hex.slice(0, 13), 16);
}

/** Splits with a share above 0, in order. */
export function activeSplits(spec: Pick<SplitSpec, SplitName>): SplitName[] {
  return SPLITS.filter((s) => spec[s] > 0);
}

/** Without stratification: [lo, hi) of keys per split. */
export function keyRanges(spec: Pick<SplitSpec, SplitName>): Record<SplitName, [number, number]> {
  const out = {} as Record<SplitName, [number, number]>;
  let cum = 0;
  let lo = 0;
  for (const s of SPLITS) {
    cum += spec[s];
    const hi = s === "test" || cum >= 100 ? KEY_SPACE : Math.floor((cum / 100) * KEY_SPACE);
    out[s] = [lo, Math.max(lo, hi)];
    lo = Math.max(lo, hi);
  }
  return out;
}

export function splitOfKey(key: number, ranges: Record<SplitName, [number, number]>): SplitName {
  for (const s of SPLITS) if (key >= ranges[s][0] && key < ranges[s][1]) return s;
  return "test";
}

/** Exact records per split for a group of n (largest remainder; ties go to the earlier split). */
export function splitCounts(n: number, spec: Pick<SplitSpec, SplitName>): Record<SplitName, number> {
  const quota = SPLITS.map((s) => (n * spec[s]) / 100);
  const counts = quota.map((q) => Math.floor(q + 1e-9));
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = SPLITS.map((_, i) => i)
    .filter((i) => spec[SPLITS[i]] > 0)
    .sort((a, b) => quota[b] - counts[b] - (quota[a] - counts[a]) || a - b);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) counts[order[k]]++;
  return { train: counts[0], validation: counts[1], test: counts[2] };
}

/**
 * Stratified: 1-based ranks (by key, within the group) of the first record of validation
 * and of test; null when that split starts past the end (it gets none of this group).
 */
export function cutRanks(n: number, spec: Pick<SplitSpec, SplitName>): { validation: number | null; test: number | null } {
  const c = splitCounts(n, spec);
  const v = c.train + 1;
  const t = c.train + c.validation + 1;
  return { validation: v <= n ? v : null, test: t <= n ? t : null };
}
