// Contamination check: a record is flagged when it shares a run of 13 words with the
// reference set (the n-gram overlap test of the GPT-3 and PaLM papers). Words come from the
// normalised text. Each 13-gram is kept as a 52-bit number (two 32-bit hashes), so a
// reference set of a million 13-grams holds numbers, not strings: a chance collision among
// a million is about 1 in 4 billion per lookup.
import { fmix32 } from "./hash";
import { normalizeText } from "./normalize";

export const NGRAM_WORDS = 13;

function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** The 13-word n-grams of a text as numbers; a text of fewer words has none. */
export function ngramKeys(text: string): number[] {
  const words = normalizeText(text).split(" ").filter(Boolean).map(wordHash);
  const keys: number[] = [];
  for (let i = 0; i + NGRAM_WORDS <= words.length; i++) {
    let a = 0x2545f491;
    let b = 0x68e31da4;
    for (let j = i; j < i + NGRAM_WORDS; j++) {
      a = fmix32(Math.imul(a ^ words[j], 0x9e3779b1));
      b = fmix32(Math.imul(b + words[j], 0x85ebca6b));
    }
    keys.push(a * 2 ** 20 + (b >>> 12));
  }
  return keys;
}

export class ContaminationIndex {
  private readonly keys = new Set<number>();

  add(text: string) {
    for (const k of ngramKeys(text)) this.keys.add(k);
  }

  get size() {
    return this.keys.size;
  }

  /** How many of the text's 13-grams appear in the reference set. */
  overlap(text: string): number {
    let n = 0;
    for (const k of ngramKeys(text)) if (this.keys.has(k)) n++;
    return n;
  }
}
