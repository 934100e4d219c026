// Locality-sensitive hashing by banding. A k-number signature is cut into b bands of r
// rows; two texts become candidates when all r rows of at least one band agree. For two
// texts of Jaccard similarity s that happens with probability
//
//     P(s) = 1 - (1 - s^r)^b
//
// an S-curve: near 0 for dissimilar texts, near 1 for similar ones, rising steepest around
// s ≈ (1/b)^(1/r). With k = 128 and the default threshold 0.8 this picks b = 17, r = 7
// (119 of the 128 numbers): P(0.5) = 0.12, P(0.7) = 0.77, P(0.8) = 0.98, P(0.85) = 0.9986,
// P(0.9) = 0.99998. Unrelated texts (similarity well under 0.3) almost never meet. The curve
// is placed so that a pair exactly at the threshold is caught 95% of the time (`CATCH_AT_THRESHOLD`),
// and among the bandings that do, the one with the least area under the curve left of the
// threshold (fewest false candidates) is chosen: a false candidate costs one exact Jaccard
// check and is then dropped, while a missed pair is lost for good.
import { fmix32 } from "./hash";

export type Banding = { bands: number; rows: number };

export function bandProbability(s: number, { bands, rows }: Banding): number {
  return 1 - Math.pow(1 - Math.pow(s, rows), bands);
}

const STEPS = 200;
export const CATCH_AT_THRESHOLD = 0.95;

/** Bands × rows (≤ k) for a threshold in (0, 1]; see the S-curve above. */
export function chooseBanding(threshold: number, k: number): Banding {
  if (!(threshold > 0 && threshold <= 1)) throw new Error(`The similarity threshold must be in (0, 1], not ${threshold}`);
  let best: Banding | null = null;
  let bestArea = Infinity;
  for (let bands = 1; bands <= k; bands++) {
    const b = { bands, rows: Math.floor(k / bands) };
    if (bandProbability(threshold, b) < CATCH_AT_THRESHOLD) continue;
    let area = 0;
    for (let i = 0; i < STEPS; i++) {
      const s = ((i + 0.5) / STEPS) * threshold;
      area += (bandProbability(s, b) * threshold) / STEPS;
    }
    if (area < bestArea) {
      bestArea = area;
      best = b;
    }
  }
  // Only a very low threshold with a tiny k catches nothing at 95%: one row per band is the most sensitive.
  return best ?? { bands: k, rows: 1 };
}

/**
 * One 32-bit hash per band (signed, as PostgreSQL's int4 stores it). The band's number is
 * mixed in, so equal rows in different bands never collide and a record's band hashes can
 * sit together in one indexed array.
 */
export function bandHashes(sig: Uint32Array, { bands, rows }: Banding, out = new Int32Array(bands)): Int32Array {
  for (let b = 0; b < bands; b++) {
    let h = fmix32(Math.imul(b + 1, 0x9e3779b1));
    for (let r = b * rows, end = r + rows; r < end; r++) h = fmix32(Math.imul(h ^ sig[r], 0x01000193));
    out[b] = h | 0;
  }
  return out;
}
