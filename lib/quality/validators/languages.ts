// The languages the "language is X" check offers, apart from the detector so the
// blueprint editor can list them without loading trigram profiles.
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

