// MinHash signatures: k numbers per text such that two texts agree on a given position
// with probability equal to the Jaccard similarity of their shingle sets.
//
// `ophSignature` is one-permutation hashing (Li, Owen & Zhang 2012): each shingle is
// hashed once; the hash's top bits pick one of k bins and the rest is its value; a bin
// keeps its smallest value. That is one hash per shingle instead of k. A text with fewer
// shingles than bins leaves bins empty; "optimal densification" (Shrivastava 2017) fills
// each from a bin picked by a hash of (bin, attempt) that both texts follow alike, so the
// estimate stays unbiased. `classicSignature` is the textbook k independent hashes,
// kept for the comparison in lib/quality/README.md and the tests.
import { fmix32, seeds } from "./hash";

export const SIGNATURE_SIZE = 128;
const EMPTY = 0xffffffff;
const OPH_SEED = 0x2545f491;

/** One-permutation MinHash of shingle hashes; null when there are none. k must be a power of two. */
export function ophSignature(shingles: Uint32Array, k = SIGNATURE_SIZE, out = new Uint32Array(k)): Uint32Array | null {
  if (shingles.length === 0) return null;
  const bits = Math.log2(k);
  if (!Number.isInteger(bits)) throw new Error(`One-permutation hashing needs a power-of-two signature size, not ${k}`);
  const shift = 32 - bits;
  const mask = bits === 0 ? 0xffffffff : (1 << shift) - 1;
  out.fill(EMPTY);
  for (let i = 0; i < shingles.length; i++) {
    const v = fmix32(shingles[i] ^ OPH_SEED);
    const bin = bits === 0 ? 0 : v >>> shift;
    const val = (v & mask) >>> 0;
    if (val < out[bin]) out[bin] = val;
  }
  densify(out);
  return out;
}

function densify(sig: Uint32Array) {
  const k = sig.length;
  let empty = false;
  for (let i = 0; i < k; i++) if (sig[i] === EMPTY) empty = true;
  if (!empty) return;
  const filled = sig.slice();
  for (let i = 0; i < k; i++) {
    if (filled[i] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const j = fmix32(Math.imul(i + 1, 0x9e3779b1) ^ attempt) % k;
      if (filled[j] !== EMPTY) {
        sig[i] = filled[j];
        break;
      }
    }
  }
}

const classicSeeds = new Map<number, Uint32Array>();

/** k independent hashes (one seeded mix each), the minimum of each over the shingles. */
export function classicSignature(shingles: Uint32Array, k = SIGNATURE_SIZE): Uint32Array | null {
  if (shingles.length === 0) return null;
  let s = classicSeeds.get(k);
  if (!s) classicSeeds.set(k, (s = seeds(k)));
  const out = new Uint32Array(k).fill(EMPTY);
  for (let i = 0; i < shingles.length; i++) {
    const x = shingles[i];
    for (let j = 0; j < k; j++) {
      const v = fmix32(x ^ s[j]);
      if (v < out[j]) out[j] = v;
    }
  }
  return out;
}

/** The share of positions where two signatures agree: an estimate of the Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
