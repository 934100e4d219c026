// Text transforms and perturbation for augmentation (../shared/seeds/001_b9fdd8f622861be3.txt:
// synonym replacement, random insertion/deletion, word and sentence shuffling, data
// perturbation). Pure and seeded: the same text, rate and RNG state give the same output.
// Word operations work on whitespace-separated words; insertion, deletion and swapping
// rejoin them with single spaces (a word keeps the punctuation attached to it).
import type { Rng } from "@/lib/blueprints/rng";
import { SYNONYM_GROUPS } from "./fixtures/synonyms";

const SYNONYMS = new Map<string, readonly string[]>();
for (const g of SYNONYM_GROUPS) for (const w of g) SYNONYMS.set(w, g.filter((x) => x !== w));

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`The rate must be between 0 and 1; got ${rate}.`);
}

const pick = <T>(xs: readonly T[], rng: Rng): T => xs[Math.floor(rng() * xs.length)];

/** A word's leading punctuation, lowercase core and trailing punctuation. */
function splitWord(word: string): [string, string, string] {
  const m = /^([^A-Za-z]*)([A-Za-z]+(?:'[A-Za-z]+)?)([^A-Za-z]*)$/.exec(word);
  return m ? [m[1], m[2], m[3]] : ["", "", word];
}

function matchCase(model: string, word: string): string {
  if (model.length > 1 && model === model.toUpperCase()) return word.toUpperCase();
  if (model[0] === model[0].toUpperCase()) return word[0].toUpperCase() + word.slice(1);
  return word;
}

function synonymOf(word: string, rng: Rng): string | null {
  const [pre, core, post] = splitWord(word);
  const options = core ? SYNONYMS.get(core.toLowerCase()) : undefined;
  return options ? pre + matchCase(core, pick(options, rng)) + post : null;
}

/** Replaces each word that has synonyms in the shipped list, with probability `rate`. Spacing is kept. */
export function replaceSynonyms(text: string, rate: number, rng: Rng): string {
  checkRate(rate);
  return text
    .split(/(\s+)/)
    .map((piece, i) => {
      if (i % 2 === 1 || piece === "") return piece;
      const s = synonymOf(piece, rng);
      return s !== null && rng() < rate ? s : piece;
    })
    .join("");
}

const words = (text: string) => text.split(/\s+/).filter((w) => w !== "");

/**
 * Inserts round(rate × words) words, each a synonym of a random word of the text placed at
 * a random position (so no word foreign to the text's topic is added); a text with no word
 * in the list is returned unchanged.
 */
export function insertWords(text: string, rate: number, rng: Rng): string {
  checkRate(rate);
  const ws = words(text);
  const sources = ws.map((w) => splitWord(w)[1].toLowerCase()).filter((c) => SYNONYMS.has(c));
  if (sources.length === 0) return text;
  const k = Math.round(rate * ws.length);
  for (let i = 0; i < k; i++) ws.splice(Math.floor(rng() * (ws.length + 1)), 0, pick(SYNONYMS.get(pick(sources, rng))!, rng));
  return ws.join(" ");
}

/** Deletes each word with probability `rate`, keeping at least one word. */
export function deleteWords(text: string, rate: number, rng: Rng): string {
  checkRate(rate);
  const ws = words(text);
  if (ws.length === 0) return text;
  const kept = ws.filter(() => rng() >= rate);
  return (kept.length > 0 ? kept : [pick(ws, rng)]).join(" ");
}

/** Swaps two random words round(rate × words) times. */
export function swapWords(text: string, rate: number, rng: Rng): string {
  checkRate(rate);
  const ws = words(text);
  if (ws.length < 2) return text;
  const k = Math.round(rate * ws.length);
  for (let i = 0; i < k; i++) {
    const a = Math.floor(rng() * ws.length);
    const b = Math.floor(rng() * ws.length);
    [ws[a], ws[b]] = [ws[b], ws[a]];
  }
  return ws.join(" ");
}

/**
 * Picks each sentence with probability `rate` and shuffles the picked ones among their
 * own places (the rest stay where they were). Sentences end at . ! or ? before a space.
 */
export function shuffleSentences(text: string, rate: number, rng: Rng): string {
  checkRate(rate);
  const sentences = text.trim().split(/(?<=[.!?])\s+/);
  const picked = sentences.map((_, i) => i).filter(() => rng() < rate);
  const moved = picked.map((i) => sentences[i]);
  for (let i = moved.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [moved[i], moved[j]] = [moved[j], moved[i]];
  }
  picked.forEach((at, k) => (sentences[at] = moved[k]));
  return sentences.join(" ");
}

/**
 * Multiplies each number in the text by a factor drawn uniformly from
 * [1 - relative, 1 + relative], keeping its decimal places and thousands separators
 * ("19.99" → "20.41", "1,250" → "1,197"). Numbers inside dates (ISO or d/m/y) are left to
 * `perturbDates`.
 */
export function perturbNumbers(text: string, relative: number, rng: Rng): string {
  if (!(relative >= 0)) throw new RangeError(`The relative range must be 0 or more; got ${relative}.`);
  return text.replace(/\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{2,4}|(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/g, (m, sign, int, frac) => {
    if (int === undefined) return m; // a date
    const decimals = frac ? frac.length - 1 : 0;
    const value = Number(`${sign}${int.replace(/,/g, "")}${frac ?? ""}`) * (1 + (2 * rng() - 1) * relative);
    const fixed = Math.abs(value).toFixed(decimals);
    const [i, f] = fixed.split(".");
    const grouped = int.includes(",") ? i.replace(/\B(?=(\d{3})+(?!\d))/g, ",") : i;
    return (value < 0 ? "-" : "") + grouped + (f !== undefined ? `.${f}` : "");
  });
}

/** Moves each ISO date (YYYY-MM-DD) by a whole number of days in [-maxDays, maxDays]. */
export function perturbDates(text: string, maxDays: number, rng: Rng): string {
  if (!(Number.isInteger(maxDays) && maxDays >= 0)) throw new RangeError(`The day range must be a whole number, 0 or more; got ${maxDays}.`);
  return text.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, (m, y, mo, d) => {
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d));
    const back = new Date(t);
    if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) return m; // not a real date
    const shifted = new Date(t + (Math.floor(rng() * (2 * maxDays + 1)) - maxDays) * 86_400_000);
    return shifted.toISOString().slice(0, 10);
  });
}
