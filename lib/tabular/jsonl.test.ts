import { describe, expect, it } from "vitest";
import { parseSeedTable } from "./parse";
import { errorAllCuts, jsonl, parse, parseAllCuts, parseError, streamOf } from "./parse.test-helpers";

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
