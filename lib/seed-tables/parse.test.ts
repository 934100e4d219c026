import { describe, expect, it } from "vitest";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_BYTES,
  type ParseSeedTableOptions,
  parseSeedTable,
  type SeedRow,
  SeedTableParseError,
  type SeedTableSummary,
  detectFormat,
} from "./parse";

const enc = new TextEncoder();
const bytesOf = (input: string | Uint8Array) => (typeof input === "string" ? enc.encode(input) : input);

/** A web ReadableStream delivering `input` cut at the given byte offsets (or every `size` bytes). */
function streamOf(input: string | Uint8Array, cut: number | number[] = Infinity): ReadableStream<Uint8Array> {
  const bytes = bytesOf(input);
  const chunks: Uint8Array[] = [];
  if (Array.isArray(cut)) {
    let prev = 0;
    for (const at of [...cut, bytes.length]) {
      chunks.push(bytes.slice(prev, at));
      prev = at;
    }
  } else {
    for (let i = 0; i < bytes.length; i += cut === Infinity ? bytes.length : cut) {
      chunks.push(bytes.slice(i, i + (cut === Infinity ? bytes.length : cut)));
    }
  }
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (k < chunks.length) controller.enqueue(chunks[k++]);
      else controller.close();
    },
  });
}

interface Parsed {
  columns: string[];
  rows: SeedRow[];
  batchSizes: number[];
  summary: SeedTableSummary;
}

async function parse(
  input: string | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: ParseSeedTableOptions,
  cut?: number | number[],
): Promise<Parsed> {
  const source = typeof input === "string" || input instanceof Uint8Array ? streamOf(input, cut) : input;
  const gen = parseSeedTable(source, opts);
  const rows: SeedRow[] = [];
  const batchSizes: number[] = [];
  let columns: string[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { columns, rows, batchSizes, summary: r.value };
    expect(r.value.rows.length).toBeGreaterThan(0);
    columns = r.value.columns;
    rows.push(...r.value.rows);
    batchSizes.push(r.value.rows.length);
  }
}

async function parseError(
  input: string | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
  opts: ParseSeedTableOptions,
  cut?: number | number[],
): Promise<SeedTableParseError> {
  try {
    await parse(input, opts, cut);
  } catch (e) {
    expect(e).toBeInstanceOf(SeedTableParseError);
    return e as SeedTableParseError;
  }
  throw new Error("expected parseSeedTable to throw");
}

/** Every way of cutting `input` into two chunks, plus 1-, 2- and 3-byte chunks. */
function cuts(input: string | Uint8Array): (number | number[])[] {
  const n = bytesOf(input).length;
  const out: (number | number[])[] = [1, 2, 3, Infinity];
  for (let i = 1; i < n; i++) out.push([i]);
  return out;
}

/** Parse under every chunking and check they all agree; returns the unchunked result. */
async function parseAllCuts(input: string | Uint8Array, opts: ParseSeedTableOptions): Promise<Parsed> {
  const whole = await parse(input, opts);
  for (const cut of cuts(input)) {
    const got = await parse(input, opts, cut);
    expect({ cut, columns: got.columns, rows: got.rows }).toEqual({ cut, columns: whole.columns, rows: whole.rows });
  }
  return whole;
}

/** Same error (message, line, offset) under every chunking. */
async function errorAllCuts(input: string | Uint8Array, opts: ParseSeedTableOptions): Promise<SeedTableParseError> {
  const whole = await parseError(input, opts);
  for (const cut of cuts(input)) {
    const got = await parseError(input, opts, cut);
    expect({ cut, message: got.message, line: got.line, byteOffset: got.byteOffset }).toEqual({
      cut,
      message: whole.message,
      line: whole.line,
      byteOffset: whole.byteOffset,
    });
  }
  return whole;
}

const csv: ParseSeedTableOptions = { format: "csv" };
const jsonl: ParseSeedTableOptions = { format: "jsonl" };

describe("parseSeedTable: CSV", () => {
  it("parses a simple table and returns a summary", async () => {
    const r = await parse("question,answer\nWhat is 2+2?,4\nCapital of France?,Paris\n", csv);
    expect(r.columns).toEqual(["question", "answer"]);
    expect(r.rows).toEqual([
      { question: "What is 2+2?", answer: "4" },
      { question: "Capital of France?", answer: "Paris" },
    ]);
    expect(r.summary).toEqual({
      format: "csv",
      columns: ["question", "answer"],
      rowCount: 2,
      byteCount: 56,
      delimiter: ",",
    });
  });

  it("handles RFC 4180 quoting and CRLF under every chunking", async () => {
    const input =
      'id,text,note\r\n1,"a, b","say ""hi"""\r\n2,"line one\r\nline two",plain\r\n3,"",\r\n4,"x""",last';
    const r = await parseAllCuts(input, csv);
    expect(r.rows).toEqual([
      { id: "1", text: "a, b", note: 'say "hi"' },
      { id: "2", text: "line one\r\nline two", note: "plain" },
      { id: "3", text: "", note: "" },
      { id: "4", text: 'x"', note: "last" },
    ]);
  });

  it("decodes multi-byte UTF-8 split across chunks", async () => {
    const input = "name,emoji\nRenée,😀\n€uro,日本語\n";
    const r = await parseAllCuts(input, csv);
    expect(r.rows).toEqual([
      { name: "Renée", emoji: "😀" },
      { name: "€uro", emoji: "日本語" },
    ]);
  });

  it("strips a UTF-8 BOM, also when it arrives byte by byte", async () => {
    const input = "\uFEFFid,name\n1,Ann\n";
    const r = await parseAllCuts(input, csv);
    expect(r.columns).toEqual(["id", "name"]);
    expect(r.rows).toEqual([{ id: "1", name: "Ann" }]);
  });

  it("accepts LF, CRLF and CR line endings and a missing final newline", async () => {
    for (const nl of ["\n", "\r\n", "\r"]) {
      const r = await parseAllCuts(["a,b", "1,2", "3,4"].join(nl), csv);
      expect(r.rows).toEqual([
        { a: "1", b: "2" },
        { a: "3", b: "4" },
      ]);
    }
  });

  it("fills missing trailing values with empty strings", async () => {
    const r = await parse("a,b,c\n1\n1,2\n", csv);
    expect(r.rows).toEqual([
      { a: "1", b: "", c: "" },
      { a: "1", b: "2", c: "" },
    ]);
  });

  it("skips blank lines and rows of empty cells; trims header names", async () => {
    const r = await parse("\n\n  id , name \n\n1,Ann\n,\n,,,\n2,Bob\n\n", csv);
    expect(r.columns).toEqual(["id", "name"]);
    expect(r.rows).toEqual([
      { id: "1", name: "Ann" },
      { id: "2", name: "Bob" },
    ]);
  });

  it("ignores spreadsheet padding: trailing empty header cells and empty extra values", async () => {
    const r = await parse("a,b,,\n1,2,,\n3,4, \n", csv);
    expect(r.columns).toEqual(["a", "b"]);
    expect(r.rows).toEqual([
      { a: "1", b: "2" },
      { a: "3", b: "4" },
    ]);
  });

  it("keeps quotes inside unquoted values and ignores spaces after a closing quote", async () => {
    const r = await parse('size,label\n5" screen,"quoted"  \n', csv);
    expect(r.rows).toEqual([{ size: '5" screen', label: "quoted" }]);
  });

  it("detects tab and semicolon delimiters from the header row", async () => {
    const tsv = await parseAllCuts("id\tname\tnote, misc\n1\tDoe, Jane\tx\n", csv);
    expect(tsv.rows).toEqual([{ id: "1", name: "Doe, Jane", "note, misc": "x" }]);
    expect(tsv.summary.delimiter).toBe("\t");
    // A tie goes to the comma; callers that know better pass `delimiter`.
    const tie = await parse("id\tname, full\n1\tDoe, Jane\n", { format: "csv", delimiter: "\t" });
    expect(tie.rows).toEqual([{ id: "1", "name, full": "Doe, Jane" }]);
    const semi = await parse('\n"a;x";b\n1,5;2\n', csv);
    expect(semi.rows).toEqual([{ "a;x": "1,5", b: "2" }]);
    expect(semi.summary.delimiter).toBe(";");
    const single = await parse("only\nx\n", csv);
    expect(single.rows).toEqual([{ only: "x" }]);
    expect(single.summary.delimiter).toBe(",");
  });

  it("uses an explicit delimiter", async () => {
    const r = await parse("a;b\n1;2\n", { format: "csv", delimiter: "," });
    expect(r.rows).toEqual([{ "a;b": "1;2" }]);
  });

  it("keeps a __proto__ column as an own property", async () => {
    const r = await parse("__proto__,b\nx,y\n", csv);
    expect(Object.keys(r.rows[0])).toEqual(["__proto__", "b"]);
    expect(Object.getOwnPropertyDescriptor(r.rows[0], "__proto__")?.value).toBe("x");
  });

  it("yields batches of batchSize with the columns on each", async () => {
    const lines = ["n,sq"];
    for (let i = 0; i < 2500; i++) lines.push(`${i},${i * i}`);
    const r = await parse(lines.join("\n"), { format: "csv", batchSize: 1000 }, 777);
    expect(r.batchSizes).toEqual([1000, 1000, 500]);
    expect(r.rows[2499]).toEqual({ n: "2499", sq: String(2499 * 2499) });
    expect(r.summary.rowCount).toBe(2500);
    expect(DEFAULT_BATCH_SIZE).toBe(1000);
    const d = await parse(lines.join("\n"), csv);
    expect(d.batchSizes).toEqual([1000, 1000, 500]);
  });

  it("splits one huge chunk into bounded batches", async () => {
    const body = "v\n" + "x\n".repeat(2_000_000); // 4 MB in a single chunk
    const gen = parseSeedTable(streamOf(body), { format: "csv", batchSize: 5000 });
    let batches = 0;
    let rows = 0;
    for await (const b of gen) {
      expect(b.rows.length).toBe(5000);
      batches++;
      rows += b.rows.length;
    }
    expect(rows).toBe(2_000_000);
    expect(batches).toBe(400);
  });

  describe("errors", () => {
    it("unterminated quote names the line where the value began", async () => {
      const e = await errorAllCuts('a,b\n1,2\n3,"ok\nstill ok"\n4,"never closed\n5,6\n7,8\n', csv);
      expect(e.code).toBe("malformed");
      expect(e.line).toBe(5);
      expect(e.message).toMatch(/^Line 5: a quoted value starts here but its closing quote \(\"\) is missing/);
    });

    it("more values than the header names the physical line (after multi-line values and CRLF)", async () => {
      const e = await errorAllCuts('a,b\r\n"multi\r\nline",x\r\n\r\n1,2\r\n3,4,5\r\n', csv);
      expect(e.code).toBe("malformed");
      expect(e.line).toBe(6);
      expect(e.message).toBe(
        "Line 6 has 3 values but the header has 2 columns. A value probably contains a comma: wrap such values in double quotes.",
      );
    });

    it("counts lines correctly with CR-only line endings", async () => {
      const e = await errorAllCuts("a\r1\r2,3\r", csv);
      expect(e.line).toBe(3);
    });

    it("text after a closing quote", async () => {
      const e = await errorAllCuts('a,b\n1,"x"y\n', csv);
      expect(e.code).toBe("malformed");
      expect(e.line).toBe(2);
      expect(e.message).toMatch(/^Line 2: unexpected text after the closing quote of value 2\./);
    });

    it("duplicate header names are listed with their columns", async () => {
      const e = await parseError("\nid,name,id,email,name,x\n1,2,3,4,5,6\n", csv);
      expect(e.code).toBe("header");
      expect(e.line).toBe(2);
      expect(e.message).toBe(
        'The header (line 2) repeats column names: "id" (columns 1 and 3), "name" (columns 2 and 5). ' +
          "The first row must be a header row with a unique name for each column.",
      );
      const trimmed = await parseError("a, a\n1,2\n", csv);
      expect(trimmed.message).toMatch(/repeats a column name: "a" \(columns 1 and 2\)/);
    });

    it("empty header names are named by position", async () => {
      const e = await parseError("id,,name, ,x\n1,2,3,4,5\n", csv);
      expect(e.code).toBe("header");
      expect(e.line).toBe(1);
      expect(e.message).toMatch(/^The header \(line 1\) has no name for columns 2 and 4\./);
    });

    it("header only -> no rows", async () => {
      for (const input of ["a,b", "a,b\n", "a,b\r\n\r\n,\n"]) {
        const e = await parseError(input, csv);
        expect(e.code).toBe("no_rows");
        expect(e.message).toBe("The file has a header row but no data rows. Add at least one row below the header.");
      }
    });

    it("empty file and whitespace-only file", async () => {
      const zero = await parseError("", csv);
      expect(zero.code).toBe("empty");
      expect(zero.message).toBe("The file is empty (0 bytes).");
      for (const input of ["\n\n", "  \r\n \t \n", "\uFEFF"]) {
        const e = await parseError(input, csv);
        expect(e.code).toBe("empty");
        expect(e.message).toBe("The file is empty: it contains only blank lines or whitespace.");
      }
    });

    it("too many columns", async () => {
      const e = await parseError("a,b,c\n1,2,3\n", { format: "csv", maxColumns: 2 });
      expect(e.code).toBe("too_many_columns");
      expect(e.message).toBe("The file has 3 columns; a seed table can have at most 2. Remove the columns you don't need.");
    });

    it("a value over the cell limit names its line and column, in CSV and JSONL", async () => {
      const e = await parseError(`a,b\n1,2\n3,${"x".repeat(50)}\n`, { format: "csv", maxCellChars: 40 });
      expect(e.code).toBe("cell_too_large");
      expect(e.message).toBe('Line 3: the value in column "b" is 50 characters long; one value can be at most 40. Shorten it or split it across rows.');
      const j = await parseError(`{"q": "ok"}\n{"q": "${"y".repeat(41)}"}\n`, { format: "jsonl", maxCellChars: 40 });
      expect([j.code, j.line]).toEqual(["cell_too_large", 2]);
    });

    it("too many rows names the first extra row", async () => {
      const e = await parseError("a\n1\n\n2\n3\n4\n", { format: "csv", maxRows: 2 });
      expect(e.code).toBe("too_many_rows");
      expect(e.line).toBe(5);
      expect(e.message).toMatch(/more than 2 rows/);
    });
  });
});

describe("parseSeedTable: JSONL", () => {
  it("parses objects, stringifies non-strings and unions keys in first-seen order", async () => {
    const input = [
      '{"q":"Hi","n":3,"ok":true}',
      "",
      '{"q":"Yo","nested":{"a":[1,"x"]},"n":1.5,"none":null}',
      '{"tags":["a","b"],"q":"é😀"}',
      "",
    ].join("\n");
    const r = await parseAllCuts(input, jsonl);
    expect(r.columns).toEqual(["q", "n", "ok", "nested", "none", "tags"]);
    // All three rows are in one batch, so each has every column of that batch.
    expect(r.rows).toEqual([
      { q: "Hi", n: "3", ok: "true", nested: "", none: "", tags: "" },
      { q: "Yo", n: "1.5", ok: "", nested: '{"a":[1,"x"]}', none: "", tags: "" },
      { q: "é😀", n: "", ok: "", nested: "", none: "", tags: '["a","b"]' },
    ]);
    expect(r.summary).toMatchObject({ format: "jsonl", rowCount: 3, columns: r.columns });
  });

  it("columns grow across batches; the last batch has the full list", async () => {
    const lines = [];
    for (let i = 0; i < 5; i++) lines.push(JSON.stringify(i < 3 ? { a: i } : { a: i, b: "x" }));
    const gen = parseSeedTable(streamOf(lines.join("\n"), 1), { format: "jsonl", batchSize: 2 });
    const batches = [];
    for await (const b of gen) batches.push(b);
    expect(batches.map((b) => b.columns)).toEqual([["a"], ["a", "b"], ["a", "b"]]);
    expect(batches[1].rows).toEqual([
      { a: "2", b: "" },
      { a: "3", b: "x" },
    ]);
  });

  it("handles CRLF, a BOM and lines split anywhere", async () => {
    const r = await parseAllCuts('\uFEFF{"a":"x,y"}\r\n\r\n{"a":"日本"}\r\n', jsonl);
    expect(r.rows).toEqual([{ a: "x,y" }, { a: "日本" }]);
  });

  it("keeps a __proto__ key as an own property", async () => {
    const r = await parse('{"__proto__":"x","b":1}\n', jsonl);
    expect(Object.keys(r.rows[0])).toEqual(["__proto__", "b"]);
    expect(Object.getOwnPropertyDescriptor(r.rows[0], "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(r.rows[0])).toBe(Object.prototype);
  });

  describe("errors", () => {
    it("invalid JSON names the line (blank lines count)", async () => {
      const e = await errorAllCuts('{"a":1}\n\n{"a":2}\n{"a":\n{"a":3}\n', jsonl);
      expect(e.code).toBe("malformed");
      expect(e.line).toBe(4);
      expect(e.message).toMatch(/^Line 4 is not valid JSON \(.+\)\. Each line must be one complete JSON object/);
    });

    it("a line that is not an object names the line and what it was", async () => {
      const cases: [string, string][] = [
        ["[1,2]", "an array"],
        ["42", "a number"],
        ['"text"', "a string"],
        ["null", "null"],
        ["true", "a boolean"],
      ];
      for (const [line, found] of cases) {
        const e = await parseError(`{"a":1}\r\n${line}\r\n`, jsonl);
        expect(e.line).toBe(2);
        expect(e.message).toBe(
          `Line 2 is ${found}, not a JSON object. Each line must be an object like {"question": "...", "answer": "..."}.`,
        );
      }
    });

    it("explains a JSON array file and pretty-printed JSON", async () => {
      const arr = await parseError('[\n{"a":1}\n]\n', jsonl);
      expect(arr.line).toBe(1);
      expect(arr.message).toMatch(/looks like a JSON array/);
      const pretty = await parseError('{\n  "a": 1\n}\n', jsonl);
      expect(pretty.line).toBe(1);
      expect(pretty.message).toMatch(/pretty-printed JSON/);
    });

    it("empty, whitespace-only, and only empty objects", async () => {
      expect((await parseError("", jsonl)).code).toBe("empty");
      expect((await parseError(" \n\r\n\t", jsonl)).code).toBe("empty");
      const e = await parseError("{}\n{}\n", jsonl);
      expect(e.code).toBe("no_rows");
    });

    it("empty keys, NUL escapes and too many keys", async () => {
      const empty = await parseError('{"a":1}\n{"":2}\n', jsonl);
      expect([empty.code, empty.line]).toEqual(["header", 2]);
      const nul = await parseError('{"a":"x\\u0000y"}\n', jsonl);
      expect([nul.code, nul.line]).toEqual(["malformed", 1]);
      // An escaped backslash followed by "u0000" is ordinary text, and nested NULs stay escaped.
      const fine = await parse('{"a":"x\\\\u0000y","b":{"c":"\\u0000"}}\n', jsonl);
      expect(fine.rows).toEqual([{ a: "x\\u0000y", b: '{"c":"\\u0000"}' }]);
      const many = await parseError('{"a":1}\n{"b":1}\n{"a":1,"c":1}\n', { format: "jsonl", maxColumns: 2 });
      expect([many.code, many.line]).toEqual(["too_many_columns", 3]);
    });
  });
});

describe("parseSeedTable: encoding", () => {
  it("reports the line and byte offset of invalid UTF-8 under every chunking", async () => {
    const input = new Uint8Array([...enc.encode("a,b\n1,é\n2,"), 0xe9, ...enc.encode("t\u00e9\n")]); // Latin-1 é
    const e = await errorAllCuts(input, csv);
    expect(e.code).toBe("encoding");
    expect(e.line).toBe(3);
    expect(e.byteOffset).toBe(11);
    expect(e.message).toMatch(/^The file is not valid UTF-8 text: invalid bytes on line 3 \(byte 11\)\./);
    expect(e.message).toMatch(/CSV UTF-8/);
  });

  it("a multi-byte sequence broken across chunks is located at its lead byte", async () => {
    // C3 must be followed by a continuation byte; here the next byte is "A".
    const input = new Uint8Array([...enc.encode('{"a":"'), 0xc3, 0x41, ...enc.encode('"}\n')]);
    const e = await errorAllCuts(input, jsonl);
    expect([e.line, e.byteOffset]).toEqual([1, 6]);
    const overlong = await errorAllCuts(new Uint8Array([0x61, 0x0a, 0x31, 0x0a, 0xc0, 0xaf]), csv);
    expect([overlong.line, overlong.byteOffset]).toEqual([3, 4]);
  });

  it("a file ending mid-character", async () => {
    const input = new Uint8Array([...enc.encode("a\nx"), 0xe2, 0x82]);
    const e = await errorAllCuts(input, csv);
    expect(e.code).toBe("encoding");
    expect([e.line, e.byteOffset]).toEqual([2, 3]);
    expect(e.message).toMatch(/^The file ends in the middle of a UTF-8 character/);
  });

  it("recognises UTF-16, spreadsheets and NUL bytes", async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]);
    const e16 = await parseError(utf16, csv, 1);
    expect(e16.message).toMatch(/^The file is UTF-16 text, not UTF-8\./);
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0x9c, 0x00]);
    expect((await parseError(zip, csv)).message).toMatch(/Excel workbook or ZIP archive/);
    const nul = await errorAllCuts("a,b\n1,2\n3,\u0000\n", csv);
    expect([nul.code, nul.line, nul.byteOffset]).toEqual(["encoding", 3, 10]);
    expect(nul.message).toMatch(/NUL character on line 3/);
  });
});

describe("parseSeedTable: size limit and stream handling", () => {
  it("stops as soon as the upload exceeds maxBytes and cancels the stream", async () => {
    let pulls = 0;
    let cancelled = false;
    const chunk = enc.encode("x".repeat(1000));
    const endless = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode('a\n"'));
      },
      pull(c) {
        pulls++;
        c.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    });
    const e = await parseError(endless, { format: "csv", maxBytes: 10_000 });
    expect(e.code).toBe("too_large");
    expect(e.message).toBe(
      "File is larger than 9.8 KB. Split it into smaller files (or drop columns you don't need) and upload each one.",
    );
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(15);
  });

  it("words the limit in MB and accepts a file exactly at the limit", async () => {
    const mib = 1024 * 1024;
    expect(DEFAULT_MAX_BYTES).toBe(100 * mib);
    const body = enc.encode("a\n" + "b".repeat(2 * mib - 2)); // exactly 2 MiB
    const ok = await parse(body, { format: "csv", maxBytes: 2 * mib, maxCellChars: 4 * mib });
    expect(ok.summary.byteCount).toBe(2 * mib);
    const e = await parseError(body, { format: "csv", maxBytes: 2 * mib - 1 });
    expect(e.message).toMatch(/^File is larger than 2 MB\./);
    const e2 = await parseError(enc.encode("a\n" + "b".repeat(150)), { format: "jsonl", maxBytes: 100 });
    expect(e2.message).toMatch(/^File is larger than 100 bytes\./);
  });

  it("accepts an AsyncIterable source and closes it on error", async () => {
    let closed = false;
    async function* source() {
      try {
        yield enc.encode('{"a":1}\n');
        yield enc.encode("oops\n");
        yield enc.encode('{"a":2}\n');
      } finally {
        closed = true;
      }
    }
    const e = await parseError(source(), jsonl);
    expect(e.line).toBe(2);
    expect(closed).toBe(true);
    const ok = await parse(
      (async function* () {
        yield enc.encode("a\n1\n");
      })(),
      csv,
    );
    expect(ok.rows).toEqual([{ a: "1" }]);
  });

  it("a failing upload stream becomes read_failed", async () => {
    const broken = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(enc.encode("a\n1\n"));
      },
      pull(c) {
        c.error(new Error("socket hang up"));
      },
    });
    const e = await parseError(broken, csv);
    expect(e.code).toBe("read_failed");
    expect(e.message).toBe("The upload was interrupted before the whole file arrived. Please upload it again.");
    expect((e.cause as Error).message).toBe("socket hang up");
  });

  it("cancels the stream when the consumer stops early", async () => {
    let cancelled = false;
    const rs = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(enc.encode("a\n" + "1\n".repeat(3000)));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const batch of parseSeedTable(rs, { format: "csv" })) {
      expect(batch.rows.length).toBe(1000);
      break;
    }
    expect(cancelled).toBe(true);
  });

  it("rejects invalid options as programmer errors, not parse errors", async () => {
    const gen = parseSeedTable(streamOf("a\n1\n"), { format: "csv", batchSize: 0 });
    await expect(gen.next()).rejects.toBeInstanceOf(RangeError);
  });
});

describe("detectFormat", () => {
  it("uses the extension", () => {
    expect(detectFormat("data.csv")).toBe("csv");
    expect(detectFormat("DATA.TSV")).toBe("csv");
    expect(detectFormat("x.jsonl")).toBe("jsonl");
    expect(detectFormat("x.ndjson")).toBe("jsonl");
    expect(detectFormat("x.json-lines")).toBe("jsonl");
    expect(detectFormat("x.JSONLines")).toBe("jsonl");
    expect(detectFormat("x.csv", enc.encode('{"a":1}'))).toBe("csv");
  });

  it("sniffs the first bytes otherwise", () => {
    expect(detectFormat("export.json", enc.encode('\uFEFF  {"a":1}\n'))).toBe("jsonl");
    expect(detectFormat("export.json", enc.encode("[{}]"))).toBeNull();
    expect(detectFormat("seeds.txt", enc.encode("a,b\n1,2"))).toBe("csv");
    expect(detectFormat("noext", enc.encode("\n\n"))).toBeNull();
    expect(detectFormat("sheet.xlsx", new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0]))).toBeNull();
    expect(detectFormat("utf16.txt", new Uint8Array([0xff, 0xfe, 0x61, 0]))).toBeNull();
    expect(detectFormat("unknown.dat")).toBeNull();
  });
});
