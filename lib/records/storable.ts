// What PostgreSQL's jsonb can hold. A model answer is any string the provider sends, and
// jsonb refuses some: the NUL character (U+0000) and UTF-16 surrogates that are not part
// of a pair (a provider's "\ud800" escape). One such string in a batch of records used to
// fail the whole batch's INSERT; the run retried it forever and bought every answer again.
// Pure: no I/O.

/** U+FFFD, the replacement character, stands where a character could not be stored. */
export const REPLACEMENT = "\uFFFD";

export type StorableProblems = { nul: number; loneSurrogates: number };

const hasNul = (s: string) => s.includes("\u0000");

function cleanString(s: string, found: StorableProblems): string {
  const wellFormed = s.isWellFormed();
  if (wellFormed && !hasNul(s)) return s;
  let out = s;
  if (!wellFormed) {
    let lone = 0;
    // toWellFormed() does the replacing; count what it replaced for the message.
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) lone++;
    }
    found.loneSurrogates += lone;
    out = out.toWellFormed();
  }
  if (hasNul(out)) {
    found.nul += out.split("\u0000").length - 1;
    out = out.replaceAll("\u0000", REPLACEMENT);
  }
  return out;
}

/**
 * The value with every string (and object key) made storable, and what was replaced.
 * Returns the same object when nothing needed replacing, so the common case copies nothing.
 */
export function makeStorable<T>(value: T, found: StorableProblems = { nul: 0, loneSurrogates: 0 }): { value: T; found: StorableProblems } {
  return { value: walk(value, found) as T, found };
}

function walk(v: unknown, found: StorableProblems): unknown {
  if (typeof v === "string") return cleanString(v, found);
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const next = walk(v[i], found);
      if (next !== v[i]) (copy ??= v.slice())[i] = next;
    }
    return copy ?? v;
  }
  let copy: Record<string, unknown> | null = null;
  const obj = v as Record<string, unknown>;
  for (const k of Object.keys(obj)) {
    const key = cleanString(k, found);
    const next = walk(obj[k], found);
    if (key !== k || next !== obj[k]) {
      copy ??= { ...obj };
      if (key !== k) delete copy[k];
      copy[key] = next;
    }
  }
  return copy ?? v;
}

export function describeProblems(p: StorableProblems): string | null {
  const parts: string[] = [];
  if (p.nul) parts.push(`${p.nul} NUL character${p.nul === 1 ? "" : "s"} (U+0000)`);
  if (p.loneSurrogates) parts.push(`${p.loneSurrogates} unpaired UTF-16 surrogate${p.loneSurrogates === 1 ? "" : "s"}`);
  return parts.length ? parts.join(" and ") : null;
}

/**
 * Where a value holds text PostgreSQL cannot store (a NUL, an unpaired surrogate), as a
 * path like `labels.topic`, or null. For input from people: refused with a message, not
 * cleaned, since they can fix it.
 */
export function findUnstorableText(v: unknown, path: (string | number)[] = []): string | null {
  if (typeof v === "string") return v.includes("\u0000") || !v.isWellFormed() ? path.join(".") || "the input" : null;
  if (v === null || typeof v !== "object") return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const found = findUnstorableText(v[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
    const found = findUnstorableText(k, [...path, k]) ?? findUnstorableText(item, [...path, k]);
    if (found) return found;
  }
  return null;
}
