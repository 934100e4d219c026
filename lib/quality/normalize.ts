// What "the same text" means for exact duplicates and the input to shingling: Unicode
// compatibility forms folded (NFKC: full-width letters, ligatures), case folded, every
// punctuation mark a space, and runs of whitespace one space. Punctuation becomes a space
// rather than nothing so that "Hello , world" and "Hello, world" agree.
import { createHash } from "node:crypto";

const PUNCTUATION = /[\p{P}\p{S}]+/gu;
const SPACE = /\s+/gu;

export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(PUNCTUATION, " ").replace(SPACE, " ").trim();
}

/** Text of a record's chosen fields, each normalised; non-string values count by their JSON. */
export function recordText(values: Record<string, unknown>, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const f of fields) {
    const v = values[f];
    if (v === undefined || v === null) continue;
    const n = normalizeText(typeof v === "string" ? v : JSON.stringify(v));
    if (n) parts.push(n);
  }
  return parts.join(" ");
}

/**
 * Key of exact duplicates: 16 hex characters of the SHA-256 of the normalised text (64 bits:
 * a chance collision among a million records is about 1 in 36 million).
 */
export function exactKey(normalized: string): string {
  return createHash("sha256").update(normalized).digest("hex").slice(0, 16);
}
