// Cheap deterministic hashing, PRNG and prompt-derived text for the fake LLM.
// Everything here is pure and allocation-light: it runs on every request.

/** A uniform PRNG returning floats in [0, 1). */
export type Rng = () => number;

/** 32-bit FNV-1a over UTF-16 code units, continuing from `h`. */
export function fnv1a(str: string, h = 0x811c9dc5): number {
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Mixes an integer into a hash (for numbers: seeds, choice indexes, counters). */
export function mixInt(h: number, n: number): number {
  h ^= n | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** mulberry32: tiny, fast, good enough for fake content and fault draws. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randInt(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: ArrayLike<T>): T {
  return items[Math.floor(rng() * items.length)]!;
}

export const FILLER_WORDS = [
  "the", "a", "data", "model", "signal", "careful", "quickly", "system", "value", "result",
  "pattern", "simple", "clear", "through", "often", "detail", "process", "example", "useful", "because",
  "context", "answer", "balanced", "review", "sample", "structure", "general", "specific", "likely", "each",
  "record", "quality", "varied", "concise", "approach", "within", "across", "between", "typical", "notable",
  "factor", "outcome", "measure", "stable", "method", "insight", "common", "several", "important", "step",
  "support", "practical", "overall", "consider", "relevant", "source", "summary", "question", "topic", "point",
  "light", "river", "market", "garden", "window", "morning", "journey", "library", "engine", "harbor",
] as const;

/** Function words and instruction verbs that make poor "topic" echoes. */
const STOPWORDS = new Set(
  (
    "about above after again also and any are because been before being but can could did does each few for from " +
    "had has have her here him his how into its just like make more most not now only other our out over please " +
    "same she should some such than that the their them then there these they this those through too under until " +
    "very was were what when where which while who whom why will with would you your tell give write generate " +
    "create return answer using use based following must json output respond response short brief one two three"
  ).split(" "),
);

const WORD_RE = /[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu;
/** Cap on the prompt text scanned for keywords, so huge prompts stay cheap. */
const KEYWORD_SCAN_CHARS = 4000;
const MAX_KEYWORDS = 24;

/**
 * Distinct words (3+ chars) from a message, used to make answers echo the prompt.
 * Long messages are sampled from their head and tail.
 */
export function extractKeywords(text: string): string[] {
  if (text.length > KEYWORD_SCAN_CHARS) {
    const half = KEYWORD_SCAN_CHARS / 2;
    text = text.slice(0, half) + " " + text.slice(text.length - half);
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const w = m[0];
    if (w.length < 3) continue;
    const lower = w.toLowerCase();
    if (seen.has(lower) || STOPWORDS.has(lower)) continue;
    seen.add(lower);
    out.push(w);
    if (out.length >= MAX_KEYWORDS * 4) break;
  }
  return out.length > MAX_KEYWORDS ? out.slice(out.length - MAX_KEYWORDS) : out;
}

/** One word: a prompt keyword ~30% of the time (if any), else a filler word. */
export function word(rng: Rng, keywords: readonly string[]): string {
  if (keywords.length > 0 && rng() < 0.3) return pick(rng, keywords);
  return pick(rng, FILLER_WORDS);
}

/** `count` words joined by spaces. */
export function phrase(rng: Rng, keywords: readonly string[], count: number): string {
  let s = "";
  for (let i = 0; i < count; i++) s += (i ? " " : "") + word(rng, keywords);
  return s;
}

/**
 * A short paragraph: 2-4 sentences of 6-14 words, echoing prompt keywords.
 * The first sentence mentions up to two keywords so the echo is visible.
 */
export function paragraph(rng: Rng, keywords: readonly string[]): string {
  const sentences = randInt(rng, 2, 4);
  let out = "";
  for (let s = 0; s < sentences; s++) {
    let sentence = phrase(rng, keywords, randInt(rng, 6, 14));
    if (s === 0 && keywords.length > 0) {
      sentence = `About ${pick(rng, keywords)} and ${pick(rng, keywords)}: ${sentence}`;
    }
    out += (s ? " " : "") + sentence.charAt(0).toUpperCase() + sentence.slice(1) + ".";
  }
  return out;
}

/**
 * Deterministic token estimate: ceil(chars / 4) (what OpenAI's docs quote as the
 * rule of thumb for English). Not a real tokenizer, but stable and cheap.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Longest prefix of `text` that fits in `tokens` under {@link estimateTokens}. */
export function truncateToTokens(text: string, tokens: number): string {
  let end = Math.max(0, tokens * 4);
  if (end >= text.length) return text;
  // Never split a surrogate pair.
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}
