// Regex checks on user patterns, run on model output, on the server, for every record.
// JavaScript's own engine backtracks: a pattern like (a+)+$ on 30 "a"s and a "!" takes
// seconds, and a run checks thousands of records. re2js is RE2's linear-time engine in
// plain JavaScript (no native build), so matching time grows with the text, never
// exponentially; it has no lookaround or backreferences, which is the price of that.
import { RE2JS } from "re2js";

/** Longest pattern accepted; RE2 compiles large repetition counts into large programs. */
export const MAX_PATTERN_LENGTH = 2_000;
/** Text scanned per record: beyond this the check looks at the first part only (and says so). */
export const MAX_REGEX_INPUT = 1_000_000;

export type RegexOptions = { caseInsensitive: boolean };

const cache = new Map<string, RE2JS>();
const CACHE_MAX = 200;

/** Why a pattern cannot be used, in a sentence, or null when it compiles. */
export function regexError(pattern: string): string | null {
  try {
    compileRegex(pattern, { caseInsensitive: false });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

export function compileRegex(pattern: string, opts: RegexOptions): RE2JS {
  const key = `${opts.caseInsensitive ? "i" : "-"}${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (pattern === "") throw new Error("The pattern is empty.");
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`The pattern is longer than ${MAX_PATTERN_LENGTH} characters.`);
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern, opts.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (e) {
    throw new Error(friendlier((e as Error).message));
  }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(key, re);
  return re;
}

function friendlier(message: string): string {
  const m = /^error parsing regexp: (.*)$/s.exec(message);
  const detail = m ? m[1] : message;
  if (/invalid or unsupported Perl syntax: `\(\?[=!<]/.test(detail)) {
    return "Lookahead and lookbehind ((?=, (?!, (?<=) are not supported: patterns run in linear time (RE2 syntax).";
  }
  if (/invalid escape sequence: `\\[1-9]/.test(detail)) return "Backreferences (\\1) are not supported: patterns run in linear time (RE2 syntax).";
  return `Invalid pattern: ${detail}.`;
}

/** Whether the pattern occurs anywhere in the text (use ^ and $ to anchor). */
export function checkRegex(text: string, pattern: string, opts: RegexOptions & { mustMatch: boolean }): { pass: boolean; message: string } {
  const re = compileRegex(pattern, opts);
  const clipped = text.length > MAX_REGEX_INPUT;
  const found = re.matcher(clipped ? text.slice(0, MAX_REGEX_INPUT) : text).find();
  const note = clipped ? ` (in the first ${MAX_REGEX_INPUT.toLocaleString("en-US")} characters)` : "";
  if (opts.mustMatch) return found ? { pass: true, message: `matches${note}` } : { pass: false, message: `does not match /${pattern}/${note}` };
  return found ? { pass: false, message: `matches /${pattern}/, which it must not${note}` } : { pass: true, message: `does not match${note}` };
}
