// Length of a field's text in characters, words or tokens, and the bounds check on it.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";

export type LengthUnit = "chars" | "words" | "tokens";

// User text may contain "<|endoftext|>"; counted as plain text (gpt-tokenizer throws by default).
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * A word is a run of letters or digits, with inner apostrophes and hyphens kept
 * ("don't", "well-known" are one word each). Punctuation and emoji are not words.
 */
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’\-][\p{L}\p{N}\p{M}]+)*/gu;

export function countWords(text: string): number {
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text)) n++;
  return n;
}

/**
 * Characters are Unicode code points, not UTF-16 units: "é" or an emoji counts once as
 * typed. Tokens are o200k_base (GPT-4o and later), the same estimate the cost preview uses.
 */
export function measureLength(text: string, unit: LengthUnit): number {
  if (unit === "words") return countWords(text);
  if (unit === "tokens") return text ? countTokens(text, PLAIN_TEXT) : 0;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const UNIT_NAMES: Record<LengthUnit, string> = { chars: "characters", words: "words", tokens: "tokens" };

export function checkLength(text: string, unit: LengthUnit, min: number | null, max: number | null): { pass: boolean; message: string } {
  const n = measureLength(text, unit);
  const what = `${n} ${UNIT_NAMES[unit]}`;
  if (min !== null && n < min) return { pass: false, message: `${what}, fewer than ${min}` };
  if (max !== null && n > max) return { pass: false, message: `${what}, more than ${max}` };
  return { pass: true, message: what };
}
