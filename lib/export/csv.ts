// CSV as RFC 4180 writes it: fields with a comma, a double quote, CR or LF are quoted,
// quotes inside are doubled, records end in CRLF. Everything else is written as is, so a
// round trip through any CSV reader gives back the same text, except cells a spreadsheet
// would run as formulas (see neutraliseFormula). Pure.

const NEEDS_QUOTES = /[",\r\n]/;

/** "neutralise": formula-like cells get a leading single quote (the default); "keep": written as they are. */
export type CsvFormulas = "neutralise" | "keep";

// The first characters that make Excel, LibreOffice and Sheets read a cell as a formula
// (OWASP's CSV injection guidance): = + - @, and a tab or carriage return before them.
const FORMULA_START = new Uint8Array(128);
for (const c of "=+-@\t\r") FORMULA_START[c.charCodeAt(0)] = 1;
// A plain signed number is a number to every spreadsheet, never a formula; a quote in front
// would turn a column of negative numbers into text.
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1+1`, `@SUM(…)`,
 * `=cmd|' /C calc'!A0`) with a single quote in front: spreadsheets show it as text, and
 * the quote says the value was changed. Only the first character is looked at (the CSV
 * hot path); plain numbers such as `-1.5` pass.
 */
export function neutraliseFormula(s: string): string {
  const c = s.charCodeAt(0); // NaN for "": FORMULA_START[NaN] is undefined
  if (FORMULA_START[c] !== 1 || PLAIN_NUMBER.test(s)) return s;
  return "'" + s;
}

export function csvField(raw: string, formulas: CsvFormulas = "neutralise"): string {
  const s = formulas === "keep" ? raw : neutraliseFormula(raw);
  if (!NEEDS_QUOTES.test(s)) {
    // A leading or trailing space survives most readers only when quoted.
    if (s.length === 0 || (s.charCodeAt(0) !== 32 && s.charCodeAt(s.length - 1) !== 32)) return s;
    return `"${s}"`;
  }
  return `"${s.replace(/"/g, '""')}"`;
}

export function csvRow(fields: readonly string[], formulas: CsvFormulas = "neutralise"): string {
  let s = "";
  for (let i = 0; i < fields.length; i++) s += (i === 0 ? "" : ",") + csvField(fields[i], formulas);
  return s + "\r\n";
}
