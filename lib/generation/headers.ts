// Reading the rate-limit headers of OpenAI-compatible responses. Shared by the rate
// limiter (every response) and the retry logic (429s), so it avoids regexes and
// intermediate arrays: it runs once per response at thousands of responses per second.

/** A `Headers` object (fetch, the openai SDK) or a plain record with lowercase keys (node:http). */
export type HeaderSource =
  | Headers
  | { get(name: string): string | null }
  | Record<string, string | number | readonly string[] | null | undefined>
  | null
  | undefined;

/** The header's value, or null. Plain records must use lowercase keys, as node:http does. */
export function headerValue(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as { get?: unknown }).get === "function") return (headers as { get(n: string): string | null }).get(name);
  const v = (headers as Record<string, unknown>)[name];
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (Array.isArray(v)) return v.length > 0 ? String(v[0]) : null;
  return null;
}

/** A finite number from a header, or NaN (missing, empty, or not a number). */
export function headerNumber(headers: HeaderSource, name: string): number {
  const v = headerValue(headers, name);
  if (v === null || v.trim() === "") return NaN;
  return Number(v);
}

/**
 * Parses the Go-style durations of `x-ratelimit-reset-*` ("1s", "120ms", "6m0s",
 * "1m30.5s", "0.5s", "1h2m3s", "250us") to milliseconds. A bare number is taken as
 * seconds, which some OpenAI-compatible servers send. NaN when unparseable.
 */
export function parseDurationMs(text: string | null | undefined): number {
  if (text === null || text === undefined) return NaN;
  const s = text.trim();
  const n = s.length;
  if (n === 0) return NaN;
  let ms = 0;
  let i = 0;
  let units = 0;
  while (i < n) {
    const start = i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if ((c >= 48 && c <= 57) || c === 46) i++;
      else break;
    }
    if (i === start) return NaN;
    const value = Number(s.slice(start, i));
    if (Number.isNaN(value)) return NaN;
    if (i === n) {
      // A trailing bare number is only allowed as the whole value: "12" (seconds).
      return units === 0 ? value * 1000 : NaN;
    }
    const c0 = s.charCodeAt(i);
    const c1 = i + 1 < n ? s.charCodeAt(i + 1) : 0;
    if (c0 === 104 /* h */) {
      ms += value * 3_600_000;
      i += 1;
    } else if (c0 === 109 /* m */ && c1 === 115 /* s */) {
      ms += value;
      i += 2;
    } else if (c0 === 109 /* m */) {
      ms += value * 60_000;
      i += 1;
    } else if (c0 === 115 /* s */) {
      ms += value * 1000;
      i += 1;
    } else if ((c0 === 117 /* u */ || c0 === 181 /* µ */) && c1 === 115) {
      ms += value / 1000;
      i += 2;
    } else if (c0 === 110 /* n */ && c1 === 115) {
      ms += value / 1e6;
      i += 2;
    } else {
      return NaN;
    }
    units++;
  }
  return ms;
}

/**
 * How long a 429 asks us to wait: `retry-after-ms` (OpenAI, exact) first, then
 * `retry-after` in seconds or as an HTTP date. NaN when neither is usable.
 */
export function retryAfterMsFromHeaders(headers: HeaderSource, wallNow: number = Date.now()): number {
  const ms = headerNumber(headers, "retry-after-ms");
  if (ms >= 0) return ms;
  const ra = headerValue(headers, "retry-after");
  if (ra === null) return NaN;
  const secs = Number(ra);
  if (ra.trim() !== "" && secs >= 0) return secs * 1000;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return NaN;
  return Math.max(0, date - wallNow);
}
