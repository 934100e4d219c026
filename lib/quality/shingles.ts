// Character 5-grams of normalised text, each hashed to 32 bits. Code points, not UTF-16
// units, so a shingle of emoji or CJK text is five characters like any other.
import { fmix32 } from "./hash";

export const SHINGLE = 5;

let points = new Uint32Array(4096);
const SURROGATE = /[\ud800-\udfff]/;
// Polynomial hash of the 5 code points in the window, rolled along the text (three
// multiplications per shingle instead of five), then mixed.
const P = 0x01000193;
const P5 = Math.imul(Math.imul(Math.imul(Math.imul(P, P), P), P), P);

/** `text` as code points (a text without surrogates is its UTF-16 units); returns the count. */
function codePoints(text: string): number {
  if (points.length < text.length) points = new Uint32Array(text.length * 2);
  let n = 0;
  if (!SURROGATE.test(text)) {
    for (let i = 0; i < text.length; i++) points[i] = text.charCodeAt(i);
    return text.length;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i)!;
    points[n++] = c;
    if (c > 0xffff) i++;
  }
  return n;
}

/**
 * The hash of every 5-gram of `text` (already normalised), in order, repeats included
 * (MinHash does not care; `shingleSet` removes them). A text shorter than five characters
 * is one shingle; an empty text has none.
 */
export function shingleHashes(text: string, out?: Uint32Array): Uint32Array {
  const n = codePoints(text);
  return pointShingles(points, n, out);
}

/**
 * The same hashes from `n` code points already in an array (the full pass's bytes of ASCII
 * text), without a callback per shingle: the loop of `forEachShingle`, inlined.
 */
export function pointShingles(cp: ArrayLike<number>, n: number, out?: Uint32Array): Uint32Array {
  const res = out && out.length >= n ? out : new Uint32Array(Math.max(1, n));
  if (n === 0) return res.subarray(0, 0);
  let h = 0;
  if (n < SHINGLE) {
    for (let j = 0; j < n; j++) h = (Math.imul(h, P) + cp[j]) | 0;
    res[0] = fmix32(h);
    return res.subarray(0, 1);
  }
  for (let j = 0; j < SHINGLE; j++) h = (Math.imul(h, P) + cp[j]) | 0;
  res[0] = fmix32(h);
  for (let i = SHINGLE; i < n; i++) {
    h = (Math.imul(h, P) + cp[i] - Math.imul(cp[i - SHINGLE], P5)) | 0;
    res[i - SHINGLE + 1] = fmix32(h);
  }
  return res.subarray(0, n - SHINGLE + 1);
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
