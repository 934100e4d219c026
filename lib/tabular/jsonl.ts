// The JSON Lines layer of the table parser: decoded text, pushed in pieces of any size,
// into rows, one object per line; keys first seen on a later line become new columns.
import { type Emit, fmtInt, type SeedRow, SeedTableParseError, setCell, type TableSink } from "./table";

export class JsonlTable implements TableSink {
  columns: string[] = [];
  sawContent = false;
  private known = new Set<string>();
  private special: boolean[] = [];
  private line = 1;
  private parts: string[] = []; // the current line's text so far, when split across chunks

  constructor(
    private readonly maxColumns: number,
    private readonly emit: Emit,
  ) {}

  currentLine(): number {
    return this.line;
  }

  push(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) {
        if (start < text.length) this.parts.push(text.slice(start));
        return;
      }
      let lineText = text.slice(start, nl);
      if (this.parts.length > 0) {
        this.parts.push(lineText);
        lineText = this.parts.join("");
        this.parts = [];
      }
      this.handleLine(lineText, this.line);
      this.line++;
      start = nl + 1;
    }
  }

  finish(): void {
    if (this.parts.length > 0) {
      const lineText = this.parts.join("");
      this.parts = [];
      this.handleLine(lineText, this.line);
    }
  }

  private handleLine(text: string, line: number): void {
    const first = /\S/.exec(text);
    if (!first) return; // blank line
    this.sawContent = true;
    let value: unknown;
    try {
      value = JSON.parse(text); // JSON whitespace includes the \r of CRLF
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message.slice(0, 200) : "syntax error";
      let hint = 'Each line must be one complete JSON object, e.g. {"question": "...", "answer": "..."}.';
      if (line === 1 && first[0] === "[") {
        hint = "The file looks like a JSON array; upload JSON Lines instead: one object per line, no [ ] around them.";
      } else if (text.trim() === "{") {
        hint = "The file looks like pretty-printed JSON; in JSON Lines each object must be on a single line.";
      }
      throw new SeedTableParseError(`Line ${line} is not valid JSON (${detail}). ${hint}`, {
        code: "malformed",
        line,
        cause,
      });
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      const found = value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`;
      throw new SeedTableParseError(
        `Line ${line} is ${found}, not a JSON object. Each line must be an object like ` +
          `{"question": "...", "answer": "..."}.`,
        { code: "malformed", line },
      );
    }
    const obj = value as Record<string, unknown>;
    if (text.indexOf("\\u0000") !== -1 && hasNul(obj)) {
      throw new SeedTableParseError(
        `Line ${line} contains a NUL character (\\u0000), which cannot be stored. Remove it and upload again.`,
        { code: "malformed", line },
      );
    }
    for (const key of Object.keys(obj)) {
      if (this.known.has(key)) continue;
      if (key.trim() === "") {
        throw new SeedTableParseError(`Line ${line} has an empty key (""). Every key must be a column name.`, {
          code: "header",
          line,
        });
      }
      if (this.columns.length >= this.maxColumns) {
        throw new SeedTableParseError(
          `Line ${line} brings the number of distinct keys above ${fmtInt(this.maxColumns)}, the most columns a ` +
            `seed table can have. Remove the keys you don't need.`,
          { code: "too_many_columns", line },
        );
      }
      this.known.add(key);
      this.columns.push(key);
      this.special.push(key === "__proto__");
    }
    const row: SeedRow = {};
    const columns = this.columns;
    const special = this.special;
    let blank = true;
    let longest = 0;
    for (let k = 0; k < columns.length; k++) {
      const key = columns[k];
      const v = Object.prototype.hasOwnProperty.call(obj, key) ? cellText(obj[key]) : "";
      if (blank && v !== "") blank = false;
      if (v.length > longest) longest = v.length;
      setCell(row, key, v, special[k]);
    }
    if (!blank) this.emit(row, line, longest);
  }
}

/** NUL in a key or top-level string (nested values are re-escaped by JSON.stringify). */
function hasNul(obj: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(obj)) {
    if (k.includes("\0") || (typeof v === "string" && v.includes("\0"))) return true;
  }
  return false;
}

function cellText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v); // number, boolean
}
