// Seeded synthetic text for the dedupe tests and benchmark: random prose from a made-up
// vocabulary (so unrelated texts share few 5-grams, as real ones do), and near-duplicates
// made by random word edits until the 5-gram Jaccard similarity falls in a wanted range.
import { mulberry32 } from "@/lib/blueprints/rng";
import { jaccard, shingleSet } from "./shingles";
import { normalizeText } from "./normalize";

/** A seeded PRNG, uniform in [0, 1): the blueprints' mulberry32. */
export const prng = mulberry32;

const SYLLABLES = "ka lo mi ne ru sa ti vo be da fe gi ho ju ly pa qu ri so te un wa xe yo zu ar el in or um".split(" ");

export function vocabulary(size: number, rand: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 1 + Math.floor(rand() * 3);
    let w = "";
    for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
    words.add(w);
  }
  return [...words];
}

/** About `chars` characters of sentences of random words. */
export function randomText(chars: number, words: string[], rand: () => number): string {
  const out: string[] = [];
  let len = 0;
  let sentence = 0;
  while (len < chars) {
    let w = words[Math.floor(rand() * words.length)];
    if (sentence === 0) w = w[0].toUpperCase() + w.slice(1);
    sentence++;
    if (sentence > 6 && rand() < 0.15) {
      w += ".";
      sentence = 0;
    }
    out.push(w);
    len += w.length + 1;
  }
  return out.join(" ");
}

/**
 * A copy of `text` with random word replacements, insertions and deletions, edited until the
 * 5-gram Jaccard similarity (of the normalised texts) is at most `target`; returns it with
 * the similarity reached, which the caller checks against its range.
 */
export function nearDuplicate(text: string, target: number, words: string[], rand: () => number): { text: string; jaccard: number } {
  const base = shingleSet(normalizeText(text));
  const w = text.split(" ");
  // Each word edit changes about (word length + 5) of the ~N shingles: start with a batch
  // of edits that lands near the target, then go one at a time.
  let batch = Math.max(1, Math.floor(((1 - target) * base.length) / 14));
  for (;;) {
    for (let e = 0; e < batch; e++) {
      const at = Math.floor(rand() * w.length);
      const kind = rand();
      const word = words[Math.floor(rand() * words.length)];
      if (kind < 0.6) w[at] = word;
      else if (kind < 0.8) w.splice(at, 0, word);
      else if (w.length > 2) w.splice(at, 1);
    }
    const out = w.join(" ");
    const j = jaccard(base, shingleSet(normalizeText(out)));
    if (j <= target) return { text: out, jaccard: j };
    batch = 1;
  }
}
