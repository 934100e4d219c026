import Papa from "papaparse";
import { describe, expect, test } from "vitest";
import { csvField, csvRow } from "./csv";

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
    const text = rows.map(csvRow).join("");
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual(rows);
  });
});
