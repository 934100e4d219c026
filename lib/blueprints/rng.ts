// Deterministic randomness for record generation.
//
// Every draw is keyed by (seed, record index, stream), never by a shared running
// generator: that way record 5 can be regenerated alone, records can be produced in
// parallel, and adding/reordering fields doesn't shift any other field's values.

/** A source of floats in [0, 1). */
export type Rng = () => number;

/**
 * cyrb53: a fast 53-bit string hash with good avalanche. Strings, not numbers, are
 * hashed so the stream name (usually a field name) is part of the key for free.
 */
export function hashString(input: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < input.length; i++) {
    const ch = input.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** mulberry32: tiny 32-bit-state PRNG; plenty for sampling, not for cryptography. */
export function mulberry32(state: number): Rng {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Generator for one (seed, record, stream) triple. Stream names used by this module's
 * callers: a field name (its sampled value), `name:fewshot` (few-shot draws) and
 * `seed-table:<id>` (seed row). Field names can't contain `:` or `-`, so these never
 * collide with each other.
 */
export function rngFor(seed: number, recordIndex: number, stream: string): Rng {
  // The decimal string keeps any finite seed (negative, > 2^32, fractional) distinct.
  const key = `${seed}\u0000${recordIndex}\u0000${stream}`;
  const h = hashString(key);
  // Fold the high bits in so the full 53-bit hash influences the 32-bit state.
  return mulberry32((h ^ Math.floor(h / 4294967296)) >>> 0);
}

/** Uniform integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}
