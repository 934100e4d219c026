// Masking (../shared/seeds/001_b9fdd8f622861be3.txt, "Data Masking" and "Token
// Masking/Corruption"): replace personal details with placeholders, and mask a share of
// tokens for infilling data. Pure, seeded where random.
//
// Entities are found by patterns plus a shipped list of first names, in one pass of one
// regular expression, so the text is read once whatever the number of entity types
// (41-66 MB/s here, bench/README.md; separate passes per type were not measured). Where
// two could claim the same text the earlier alternative wins: e-mail, card number, date,
// phone, address, name.
import type { Rng } from "@/lib/blueprints/rng";
import { FIRST_NAMES } from "./fixtures/first-names";

export const ENTITY_TYPES = ["PERSON_NAME", "EMAIL", "PHONE", "ADDRESS", "CARD_NUMBER", "DATE"] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface Entity {
  type: EntityType;
  start: number;
  end: number;
}

const MONTHS = "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
// Only abbreviations take their dot: "Evergreen Terrace." ends a sentence.
const STREET = "(?:(?:Street|Avenue|Road|Boulevard|Lane|Drive|Court|Way|Place|Terrace|Square)\\b|(?:St|Ave|Rd|Blvd|Ln|Dr|Ct|Pl|Sq)\\b\\.?)";
const TITLES = "(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Madam)\\.?";

const PATTERN = new RegExp(
  [
    // 1 e-mail
    `([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})`,
    // 2 card-like: 13-19 digits, optionally grouped by single spaces or dashes (Luhn-checked)
    `\\b(\\d(?:[ -]?\\d){12,18})\\b`,
    // 3 dates: ISO, day/month/year with / . -, "March 5, 2024", "5 March 2024", "March 2024"
    `\\b(\\d{4}-\\d{2}-\\d{2}|\\d{1,2}[/.]\\d{1,2}[/.](?:\\d{4}|\\d{2})|${MONTHS} \\d{1,2}(?:st|nd|rd|th)?(?:, \\d{4})?|\\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTHS}(?:,? \\d{4})?|${MONTHS} \\d{4})\\b`,
    // 4 phone: optional +country, then 3 groups (area code optionally in parentheses)
    `((?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{2,4}\\)[ .-]?|\\b\\d{2,4}[ .-])\\d{3,4}[ .-]\\d{3,4})\\b`,
    // 5 address: number, one to three capitalised words, a street type, optional unit
    `\\b(\\d{1,5}[A-Za-z]? (?:[A-Z][a-z]+ ){1,3}${STREET}(?:,? (?:Apt|Suite|Unit)\\.? ?\\w+)?)`,
    // 6 title then a capitalised name (one or two words)
    `\\b(${TITLES} [A-Z][a-z]+(?:[ -][A-Z][a-z]+)?)`,
    // 7 a capitalised word, and the one after it (a first name and maybe a surname)
    `\\b([A-Z][a-z]+)(?: ([A-Z][a-z]+(?:-[A-Z][a-z]+)?))?`,
  ].join("|"),
  "g",
);

const FIRST = new Set(FIRST_NAMES);

/** Luhn checksum over the digits of a string. */
export function luhnValid(s: string): boolean {
  let sum = 0;
  let double = false;
  let digits = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) continue;
    digits++;
    let d = double ? c * 2 : c;
    if (d > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return digits >= 13 && sum % 10 === 0;
}

/** Entities in text order, non-overlapping. */
export function findEntities(text: string): Entity[] {
  const out: Entity[] = [];
  PATTERN.lastIndex = 0;
  for (let m = PATTERN.exec(text); m; m = PATTERN.exec(text)) {
    const start = m.index;
    if (m[1] !== undefined) out.push({ type: "EMAIL", start, end: start + m[0].length });
    else if (m[2] !== undefined) {
      // A long digit run that fails Luhn is not a card but an order number or an ID: it
      // is left whole (read from inside, its tail would pass for a phone number).
      if (luhnValid(m[2])) out.push({ type: "CARD_NUMBER", start, end: start + m[0].length });
    } else if (m[3] !== undefined) out.push({ type: "DATE", start, end: start + m[0].length });
    else if (m[4] !== undefined) {
      const s = start + m[0].indexOf(m[4]);
      out.push({ type: "PHONE", start: s, end: s + m[4].length });
    } else if (m[5] !== undefined) out.push({ type: "ADDRESS", start, end: start + m[0].length });
    else if (m[6] !== undefined) out.push({ type: "PERSON_NAME", start, end: start + m[0].length });
    else if (m[7] !== undefined) {
      if (FIRST.has(m[7])) out.push({ type: "PERSON_NAME", start, end: start + (m[8] !== undefined ? m[0].length : m[7].length) });
      else if (m[8] !== undefined) PATTERN.lastIndex = start + m[7].length; // the second word may be a first name
    }
  }
  return out;
}

/** Replaces every entity found with its placeholder, e.g. `[EMAIL]`. */
export function maskEntities(text: string, types: ReadonlySet<EntityType> = new Set(ENTITY_TYPES)): string {
  const entities = findEntities(text);
  if (entities.length === 0) return text;
  let out = "";
  let at = 0;
  for (const e of entities) {
    if (!types.has(e.type)) continue;
    out += text.slice(at, e.start) + `[${e.type}]`;
    at = e.end;
  }
  return out + text.slice(at);
}

export interface TokenMasking {
  /** The text with the chosen tokens replaced by the mask token. */
  masked: string;
  /** The masked tokens in order, with their index among the text's tokens. */
  targets: { index: number; token: string }[];
}

/**
 * Masks `rate` (0-1) of the whitespace-separated tokens, chosen without replacement by
 * the RNG (a partial Fisher-Yates, so the count is exactly round(rate × tokens)). Spacing
 * between tokens is kept as it was.
 */
export function maskTokens(text: string, rate: number, rng: Rng, maskToken = "[MASK]"): TokenMasking {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`The masking rate must be between 0 and 1; got ${rate}.`);
  const pieces = text.split(/(\s+)/); // tokens at even indexes, spaces at odd
  const tokenAt: number[] = [];
  for (let i = 0; i < pieces.length; i += 2) if (pieces[i] !== "") tokenAt.push(i);
  const k = Math.round(rate * tokenAt.length);
  const order = tokenAt.map((_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (order.length - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const chosen = order.slice(0, k).sort((a, b) => a - b);
  const targets = chosen.map((t) => ({ index: t, token: pieces[tokenAt[t]] }));
  for (const t of chosen) pieces[tokenAt[t]] = maskToken;
  return { masked: pieces.join(""), targets };
}
