// Small, fast 32-bit hashes shared by the dedupe modules. Everything here must give the
// same numbers in every process and on every run: band hashes are stored in PostgreSQL
// and compared with the ones a later process computes for a new record.

/** MurmurHash3's finaliser: a cheap bijective mix of 32 bits with full avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic stream of 32-bit seeds (splitmix32), for the independent hash family. */
export function seeds(count: number, seed = 0x9e3779b9): Uint32Array {
  const out = new Uint32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) >>> 0;
    out[i] = fmix32(s);
  }
  return out;
}
