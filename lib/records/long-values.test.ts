import { describe, expect, test } from "vitest";
import { previewValues, valueText } from "./long-values";

describe("previewValues", () => {
  test("cuts long strings to the limit and states their full length", () => {
    const r = previewValues({ short: "abc", long: "x".repeat(25), n: 7, none: null }, 10);
    expect(r.values).toEqual({ short: "abc", long: "x".repeat(10), n: 7, none: null });
    expect(r.long).toEqual({ long: 25 });
  });

  test("measures JSON values as their text, and cuts them to text", () => {
    const big = { items: Array.from({ length: 20 }, (_, i) => i) };
    const r = previewValues({ big, small: [1, 2] }, 10);
    expect(r.values.big).toBe(JSON.stringify(big).slice(0, 10));
    expect(r.long).toEqual({ big: JSON.stringify(big).length });
    expect(r.values.small).toEqual([1, 2]);
  });

  test("a value exactly at the limit is whole", () => {
    expect(previewValues({ a: "y".repeat(10) }, 10).long).toEqual({});
  });

  test("never splits a surrogate pair", () => {
    const r = previewValues({ a: "x".repeat(9) + "😀" + "z".repeat(5) }, 10);
    expect(r.values.a).toBe("x".repeat(9));
    expect(r.long.a).toBe(16);
  });

  test("valueText", () => {
    expect(valueText("a")).toBe("a");
    expect(valueText({ a: 1 })).toBe('{"a":1}');
  });
});
