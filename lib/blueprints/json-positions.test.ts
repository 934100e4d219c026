import { describe, expect, it } from "vitest";
import { offsetToLineColumn, parseJsonWithPositions } from "./json-positions";

describe("parseJsonWithPositions", () => {
  it("parses like JSON.parse", () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\n\\u00e9"], "b": {}, "__proto__": 1}';
    const r = parseJsonWithPositions(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(JSON.stringify(r.value)).toBe(JSON.stringify(JSON.parse(text)));
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect(r.positions.get("/a/1")).toBe(text.indexOf("-2.5e3"));
    }
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1, /Trailing comma/],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, /missing comma/],
    ["{'a': 1}", 1, 2, /double quotes/],
    ['{"a": tru}', 1, 7, /expected a value/],
    ['{"a": "x', 1, 7, /Unterminated string/],
    ["", 1, 1, /Empty JSON/],
    ["{} x", 1, 4, /after the end/],
  ])("reports %j at line %i column %i", (text, line, column, message) => {
    const r = parseJsonWithPositions(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(message);
      expect([r.line, r.column]).toEqual([line, column]);
    }
  });

  it("survives deep nesting", () => {
    const r = parseJsonWithPositions("[".repeat(100_000));
    expect(r.ok).toBe(false);
  });

  it("converts offsets to 1-based line and column", () => {
    expect(offsetToLineColumn("ab\ncd", 4)).toEqual({ line: 2, column: 2 });
  });
});
