// CSV as RFC 4180 writes it: fields with a comma, a double quote, CR or LF are quoted,
// quotes inside are doubled, records end in CRLF. Everything else is written as is, so a
// round trip through any CSV reader gives back the same text. Pure.

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(s: string): string {
  if (!NEEDS_QUOTES.test(s)) {
    // A leading or trailing space survives most readers only when quoted.
    if (s.length === 0 || (s.charCodeAt(0) !== 32 && s.charCodeAt(s.length - 1) !== 32)) return s;
    return `"${s}"`;
  }
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvRow(fields: readonly string[]): string {
  let s = "";
  for (let i = 0; i < fields.length; i++) s += (i === 0 ? "" : ",") + csvField(fields[i]);
  return s + "\r\n";
}
