// "Language is X": franc-min (character trigram profiles of 82 languages, ~150 KB, no
// native code), restricted to the languages offered here: telling Spanish from Galician
// or Indonesian from Malay on a short answer is beyond trigrams, and a dataset author
// asks "is this Spanish", not "which of 82 is it". Accuracy on the labelled sentences in
// language-samples.ts is stated in lib/quality/README-validators.md.
import { franc } from "franc-min";

/** ISO 639-3 code -> English name; the codes franc-min uses. */
export const LANGUAGES = {
  eng: "English",
  spa: "Spanish",
  fra: "French",
  deu: "German",
  ita: "Italian",
  por: "Portuguese",
  nld: "Dutch",
  pol: "Polish",
  tur: "Turkish",
  swe: "Swedish",
  ron: "Romanian",
  hun: "Hungarian",
  ces: "Czech",
  ind: "Indonesian",
  vie: "Vietnamese",
  rus: "Russian",
  ukr: "Ukrainian",
  ell: "Greek",
  arb: "Arabic",
  hin: "Hindi",
  cmn: "Chinese",
  jpn: "Japanese",
  kor: "Korean",
  tha: "Thai",
} as const;
export type LanguageCode = keyof typeof LANGUAGES;
export const LANGUAGE_CODES = Object.keys(LANGUAGES) as LanguageCode[];

/** Shorter texts are not judged: trigram statistics of a few words are noise. */
export const MIN_DETECT_CHARS = 20;
/** The first part of a long text is enough to tell its language, and bounds the time. */
const MAX_DETECT_CHARS = 2_000;

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
