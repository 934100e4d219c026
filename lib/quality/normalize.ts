// What "the same text" means for exact duplicates and the input to shingling: Unicode
// compatibility forms folded (NFKC: full-width letters, ligatures), case folded, every
// punctuation mark a space, and runs of whitespace one space. Punctuation becomes a space
// rather than nothing so that "Hello , world" and "Hello, world" agree.
import { createHash } from "node:crypto";

// One pass: a run of punctuation and whitespace is one space. Plain ASCII text (most of
// it) skips NFKC and Unicode property classes, which cost two thirds of the time; the ASCII
// class below is exactly \p{P}, \p{S} and \s restricted to ASCII, so both paths agree.
const BREAKS = /[\p{P}\p{S}\s]+/gu;
const ASCII_BREAKS = /[\t-\r !-/:-@[-`{-~]+/g;
const NON_ASCII = /[^\x00-\x7f]/;

export function normalizeText(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase().replace(ASCII_BREAKS, " ").trim();
  return normalizeUnicode(text);
}

/** The general path, which `normalizeText` takes for any text that is not plain ASCII. */
export function normalizeUnicode(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(BREAKS, " ").trim();
}

/**
 * Key of exact duplicates: 16 hex characters of the SHA-256 of the normalised text (64 bits:
 * a chance collision among a million records is about 1 in 36 million).
 */
export function exactKey(normalized: string): string {
  return createHash("sha256").update(normalized).digest("hex").slice(0, 16);
}
