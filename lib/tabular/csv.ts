// The CSV layer of the table parser: decoded text, pushed in pieces of any size, into rows.
//
// Why a hand-written CSV state machine instead of papaparse: papaparse has no clean
// "push the next decoded chunk" API that works the same on web streams (its streaming
// modes want a whole string, a File, or a Node stream), it reports record indexes rather
// than physical line numbers, and it is deliberately lenient about malformed quoting,
// which we want to report. The machine below is ~150 lines, keeps its state across chunk
// boundaries (so a quoted field, a CRLF or a multi-byte character may be split anywhere),
// scans unquoted fields with charCodeAt, jumps through quoted fields with indexOf and
// only ever slices ranges out of the chunk, so throughput is tens of MB per second.
import { countChar, type CsvDelimiter, type Emit, fmtInt, LF, type SeedRow, SeedTableParseError, setCell, type TableSink } from "./table";

const CR = 13;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const SEMICOLON = 59;

// CSV machine states.
const FIELD_START = 0; // nothing of the current field consumed yet
const UNQUOTED = 1; // inside an unquoted field
const QUOTED = 2; // inside a quoted field
const QUOTE_SEEN = 3; // inside a quoted field, just read a `"` (closing, or first of `""`)
const AFTER_QUOTE = 4; // after a closing quote: only spaces, then delimiter / line end

const DELIM_NAMES: Record<CsvDelimiter, string> = { ",": "comma", "\t": "tab", ";": "semicolon" };

export class CsvTable implements TableSink {
  columns: string[] = [];
  sawContent = false;

  private delim = -1; // char code; -1 until sniffed from the header
  private sniffBuf: string[] = [];
  private sniffLen = 0;

  private header = false;
  private special: boolean[] = []; // per column: needs defineProperty (`__proto__`)

  // Machine state (persists across push() calls).
  private line = 1; // line of the next character
  private recordLine = 1; // line the current record began on
  private fieldLine = 1; // line the current quoted field began on
  private state = FIELD_START;
  private fields: string[] = [];
  private partial = ""; // text of the current field carried across chunks / `""` escapes
  private pendingCR = false; // previous chunk ended in CR: skip a leading LF

  constructor(
    delimiter: CsvDelimiter | "auto",
    private readonly maxColumns: number,
    private readonly emit: Emit,
  ) {
    if (delimiter !== "auto") this.delim = delimiter.charCodeAt(0);
  }

  delimiterUsed(): CsvDelimiter {
    return (this.delim === TAB ? "\t" : this.delim === SEMICOLON ? ";" : ",") as CsvDelimiter;
  }

  currentLine(): number {
    if (this.delim < 0) return this.line + countChar(this.sniffBuf.join(""), LF);
    return this.line;
  }

  push(text: string): void {
    if (text.length === 0) return;
    if (this.delim < 0) {
      // Buffer until the header line is complete, then pick the delimiter from it.
      this.sniffBuf.push(text);
      this.sniffLen += text.length;
      if (text.indexOf("\n") === -1 && text.indexOf("\r") === -1 && this.sniffLen < 64 * 1024) return;
      const buf = this.sniffBuf.join("");
      const d = sniffDelimiter(buf, this.sniffLen >= 64 * 1024);
      if (d < 0) {
        this.sniffBuf = [buf];
        return;
      }
      this.delim = d;
      this.sniffBuf = [];
      this.run(buf);
      return;
    }
    this.run(text);
  }

  finish(): void {
    if (this.delim < 0) {
      const buf = this.sniffBuf.join("");
      this.sniffBuf = [];
      this.delim = sniffDelimiter(buf, true);
      this.run(buf);
    }
    switch (this.state) {
      case QUOTED:
        throw new SeedTableParseError(
          `Line ${this.fieldLine}: a quoted value starts here but its closing quote (") is missing, so the rest ` +
            `of the file was read as part of it. Check for a stray quote; to put a quote inside a value, ` +
            `wrap the whole value in quotes and double the quote ("").`,
          { code: "malformed", line: this.fieldLine },
        );
      case UNQUOTED:
      case QUOTE_SEEN:
      case AFTER_QUOTE:
        this.fields.push(this.partial);
        this.partial = "";
        this.endRecord(this.recordLine);
        break;
      case FIELD_START:
        if (this.fields.length > 0) {
          this.fields.push(""); // file ends right after a delimiter
          this.endRecord(this.recordLine);
        }
        break;
    }
    this.state = FIELD_START;
  }

  /** The state machine. Hot loop: no per-character string building, only range slices. */
  private run(text: string): void {
    const n = text.length;
    const d = this.delim;
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (n > 0 && text.charCodeAt(0) === LF) i = 1;
    }
    let state = this.state;
    let nl = -2; // position of the next LF at or after the current quoted value (-1: none)
    while (i < n) {
      switch (state) {
        case FIELD_START:
          if (text.charCodeAt(i) === QUOTE) {
            state = QUOTED;
            this.fieldLine = this.line;
            i++;
            break;
          }
          state = UNQUOTED;
        // falls through
        case UNQUOTED: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === d || c === LF || c === CR) break;
            j++;
          }
          if (j === n) {
            this.partial += text.slice(i);
            i = n;
            break;
          }
          this.fields.push(this.partial === "" ? text.slice(i, j) : this.partial + text.slice(i, j));
          this.partial = "";
          state = FIELD_START;
          if (c === d) i = j + 1;
          else {
            const recordLine = this.recordLine;
            i = this.lineBreak(text, j);
            this.endRecord(recordLine);
          }
          break;
        }
        case QUOTED: {
          const q = text.indexOf('"', i);
          const end = q === -1 ? n : q;
          // Count line breaks inside the value; `nl` caches the next LF so this stays linear.
          if (nl !== -1 && nl < i) nl = text.indexOf("\n", i);
          while (nl !== -1 && nl < end) {
            this.line++;
            nl = text.indexOf("\n", nl + 1);
          }
          this.partial += text.slice(i, end);
          if (q === -1) i = n;
          else {
            state = QUOTE_SEEN;
            i = q + 1;
          }
          break;
        }
        case QUOTE_SEEN:
          if (text.charCodeAt(i) === QUOTE) {
            this.partial += '"';
            state = QUOTED;
            i++;
            break;
          }
          state = AFTER_QUOTE;
        // falls through
        case AFTER_QUOTE: {
          const c = text.charCodeAt(i);
          if (c === d || c === LF || c === CR) {
            this.fields.push(this.partial);
            this.partial = "";
            state = FIELD_START;
            if (c === d) i++;
            else {
              const recordLine = this.recordLine;
              i = this.lineBreak(text, i);
              this.endRecord(recordLine);
            }
          } else if (c === SPACE || c === TAB) {
            i++;
          } else {
            throw new SeedTableParseError(
              `Line ${this.line}: unexpected text after the closing quote of value ${this.fields.length + 1}. ` +
                `A quoted value must end right before a ${DELIM_NAMES[this.delimiterUsed()]} or the end of the ` +
                `line; to put a quote inside a value, double it ("").`,
              { code: "malformed", line: this.line },
            );
          }
          break;
        }
      }
    }
    this.state = state;
  }

  /** Consume the line break at `j` (CR, LF or CRLF, possibly split across chunks). */
  private lineBreak(text: string, j: number): number {
    this.line++;
    this.recordLine = this.line;
    if (text.charCodeAt(j) === CR) {
      if (j + 1 === text.length) {
        this.pendingCR = true;
        return j + 1;
      }
      if (text.charCodeAt(j + 1) === LF) return j + 2;
    }
    return j + 1;
  }
  /** A record that began on `line` is complete. */
  private endRecord(line: number): void {
    const fields = this.fields;
    this.fields = [];
    if (!this.header) this.setHeader(fields, line);
    else this.addRow(fields, line);
  }

  private setHeader(fields: string[], line: number): void {
    const names = fields.map((f) => f.trim());
    if (names.every((s) => s === "")) return; // blank line before the header
    this.sawContent = true;
    while (names[names.length - 1] === "") names.pop(); // spreadsheet padding
    const hint = "The first row must be a header row with a unique name for each column.";
    const empty = names.flatMap((s, k) => (s === "" ? [k + 1] : []));
    if (empty.length > 0) {
      throw new SeedTableParseError(
        `The header (line ${line}) has no name for ${plural("column", empty)}. ${hint}`,
        { code: "header", line },
      );
    }
    const seen = new Map<string, number[]>();
    names.forEach((s, k) => seen.set(s, [...(seen.get(s) ?? []), k + 1]));
    const dups = [...seen].filter(([, at]) => at.length > 1);
    if (dups.length > 0) {
      const list = dups.map(([s, at]) => `"${s}" (${plural("column", at)})`).join(", ");
      throw new SeedTableParseError(
        `The header (line ${line}) repeats ${dups.length === 1 ? "a column name" : "column names"}: ${list}. ${hint}`,
        { code: "header", line },
      );
    }
    if (names.length > this.maxColumns) {
      throw new SeedTableParseError(
        `The file has ${fmtInt(names.length)} columns; a seed table can have at most ${fmtInt(this.maxColumns)}. ` +
          `Remove the columns you don't need.`,
        { code: "too_many_columns", line },
      );
    }
    this.header = true;
    this.columns = names;
    this.special = names.map((s) => s === "__proto__");
  }

  private addRow(fields: string[], line: number): void {
    const columns = this.columns;
    const ncol = columns.length;
    const nf = fields.length;
    if (nf > ncol) {
      let last = -1;
      for (let k = ncol; k < nf; k++) if (fields[k].trim() !== "") last = k;
      if (last !== -1) {
        const d = DELIM_NAMES[this.delimiterUsed()];
        throw new SeedTableParseError(
          `Line ${line} has ${last + 1} values but the header has ${ncol} column${ncol === 1 ? "" : "s"}. ` +
            `A value probably contains a ${d}: wrap such values in double quotes.`,
          { code: "malformed", line },
        );
      }
    }
    const row: SeedRow = {};
    const special = this.special;
    let blank = true;
    let longest = 0;
    for (let k = 0; k < ncol; k++) {
      const v = k < nf ? fields[k] : "";
      if (blank && v !== "") blank = false;
      if (v.length > longest) longest = v.length;
      setCell(row, columns[k], v, special[k]);
    }
    if (!blank) this.emit(row, line, longest);
  }
}

/** Delimiter char code from the first non-blank line, or -1 if that line isn't complete yet. */
function sniffDelimiter(text: string, final: boolean): number {
  let inQuotes = false;
  let comma = 0;
  let tab = 0;
  let semi = 0;
  let content = false;
  const pick = () => (comma >= tab && comma >= semi ? COMMA : tab >= semi ? TAB : SEMICOLON);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      inQuotes = !inQuotes;
      content = true;
    } else if (inQuotes) {
      continue;
    } else if (c === LF || c === CR) {
      if (content) return pick();
      comma = tab = semi = 0;
    } else if (c === COMMA) comma++;
    else if (c === TAB) tab++;
    else if (c === SEMICOLON) semi++;
    else if (c !== SPACE) content = true;
  }
  return final ? pick() : -1;
}

function plural(word: string, positions: number[]): string {
  if (positions.length === 1) return `${word} ${positions[0]}`;
  const last = positions[positions.length - 1];
  return `${word}s ${positions.slice(0, -1).join(", ")} and ${last}`;
}
