// "Language is X": franc-min (character trigram profiles of 82 languages, ~150 KB, no
// native code), restricted to the languages offered here: telling Spanish from Galician
// or Indonesian from Malay on a short answer is beyond trigrams, and a dataset author
// asks "is this Spanish", not "which of 82 is it". Accuracy on the labelled sentences in
// language-samples.ts is stated in lib/quality/README-validators.md.
import { franc } from "franc-min";
import { LANGUAGE_CODES, LANGUAGES, type LanguageCode } from "./languages";

export { LANGUAGE_CODES, LANGUAGES, type LanguageCode };

/** Shorter texts are not judged: trigram statistics of a few words are noise. */
export const MIN_DETECT_CHARS = 20;
/**
 * The first part of a long text is enough to tell its language (two sentences already
 * score 98.8 % here), and the time grows with the length: franc took ~0.6 ms on a 1 KB
 * story, the largest share of five typical checks, so longer texts are cut at 400.
 */
export const MAX_DETECT_CHARS = 400;

/** The most likely language among LANGUAGES, or null when the text is too short to tell. */
export function detectLanguage(text: string): LanguageCode | null {
  const sample = text.length > MAX_DETECT_CHARS ? text.slice(0, MAX_DETECT_CHARS) : text;
  const code = franc(sample, { only: LANGUAGE_CODES, minLength: MIN_DETECT_CHARS });
  return code === "und" ? null : (code as LanguageCode);
}

export function checkLanguage(text: string, expected: LanguageCode): { pass: boolean; message: string } {
  const found = detectLanguage(text);
  // Not enough text is not evidence of the wrong language: passed, and said.
  if (found === null) return { pass: true, message: "too short to tell the language" };
  if (found === expected) return { pass: true, message: LANGUAGES[found] };
  return { pass: false, message: `looks like ${LANGUAGES[found]}, not ${LANGUAGES[expected]}` };
}
