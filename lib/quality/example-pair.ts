// The example pair beside the similarity threshold: a sample paragraph and a variant of it
// whose Jaccard similarity (of 5-character shingle sets, the measure the dedupe pass uses)
// is as close as possible to the chosen threshold, so a user sees what "0.8" means before
// running a pass over a whole dataset. Pure, deterministic, fast enough to run per keystroke.
import { joinedText } from "./fingerprint";
import { jaccard, shingleSet } from "./shingles";

export const SAMPLE_TEXT =
  "The little fox found a red kite caught in the old oak tree behind the school. She climbed up slowly, " +
  "untangled the string from the branches, and carried the kite back to the boy who had lost it. He thanked her " +
  "with half of his sandwich, and they flew the kite together until the sun went down over the hill.";

/** Words put in place of the sample's words, one at a time, spread over the paragraph. */
const SWAPS = ["small", "blue", "stuck", "tall", "near", "park", "quickly", "freed", "rope", "leaves", "brought", "girl", "thanked", "apple", "played", "evening", "river", "gently", "bright", "friend"];

export type ExamplePair = { original: string; variant: string; similarity: number; changedWords: number };

/** Similarity of two texts as the dedupe pass measures it (normalised, then 5-gram Jaccard). */
export function similarity(a: string, b: string): number {
  return jaccard(shingleSet(joinedText([a])), shingleSet(joinedText([b])));
}

/**
 * A variant of `SAMPLE_TEXT` whose similarity to it is nearest `threshold`. Words are
 * replaced in an order that spreads any number of edits evenly over the paragraph, so the
 * variant reads as a light or a heavy rewrite, not a cut.
 * Threshold 1 gives the sample with its case and punctuation changed, which normalisation
 * ignores (an exact duplicate).
 */
export function examplePair(threshold: number, text = SAMPLE_TEXT): ExamplePair {
  const words = text.split(" ");
  if (threshold >= 1) {
    const variant = text.toUpperCase().replace(/[.,]/g, " ");
    return { original: text, variant, similarity: similarity(text, variant), changedWords: 0 };
  }
  // Golden-ratio order: any first k positions are spread evenly over the paragraph.
  const spread = (i: number) => (i * 0.6180339887) % 1;
  const order = [...words.keys()].sort((a, b) => spread(a) - spread(b));
  const edited = [...words];
  let best: ExamplePair = { original: text, variant: text, similarity: 1, changedWords: 0 };
  for (const [k, i] of order.entries()) {
    const tail = words[i].match(/[.,]$/)?.[0] ?? "";
    edited[i] = SWAPS[k % SWAPS.length] + tail;
    const variant = edited.join(" ");
    const s = similarity(text, variant);
    if (Math.abs(s - threshold) < Math.abs(best.similarity - threshold)) best = { original: text, variant, similarity: s, changedWords: k + 1 };
    // Similarity only falls from here on (more words replaced).
    if (s < threshold) break;
  }
  return best;
}
