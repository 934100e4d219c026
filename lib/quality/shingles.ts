// Character 5-grams of normalised text, each hashed to 32 bits. Code points, not UTF-16
// units, so a shingle of emoji or CJK text is five characters like any other.
import { fmix32 } from "./hash";

export const SHINGLE = 5;

let points = new Uint32Array(4096);

/**
 * Hashes of every 5-gram of `text` (already normalised), in order, repeats included
 * (MinHash does not care; `shingleSet` removes them). A text shorter than five characters
 * is one shingle; an empty text has none.
 */
export function shingleHashes(text: string, out?: Uint32Array): Uint32Array {
  let n = 0;
  if (points.length < text.length) points = new Uint32Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      points[n++] = text.codePointAt(i)!;
      i++;
    } else points[n++] = c;
  }
  if (n === 0) return new Uint32Array(0);
  const count = Math.max(1, n - SHINGLE + 1);
  const res = out && out.length >= count ? out.subarray(0, count) : new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    let h = 0x811c9dc5;
    const end = Math.min(n, i + SHINGLE);
    for (let j = i; j < end; j++) h = Math.imul(h ^ points[j], 0x01000193);
    res[i] = fmix32(h);
  }
  return res;
}

/** The distinct shingle hashes, sorted: what exact Jaccard compares. */
export function shingleSet(text: string): Uint32Array {
  const h = shingleHashes(text).slice().sort();
  let n = 0;
  for (let i = 0; i < h.length; i++) if (i === 0 || h[i] !== h[i - 1]) h[n++] = h[i];
  return h.subarray(0, n);
}

/** Exact Jaccard similarity of two sorted, distinct hash sets (1 for two empty sets). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      both++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return both / (a.length + b.length - both);
}
