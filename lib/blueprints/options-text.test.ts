import { describe, expect, test } from "vitest";
import { optionsToText, parseLines, parseOptionsText } from "./options-text";

describe("parseOptionsText", () => {
  test("one value per line, weight 1 by default, blank lines ignored", () => {
    expect(parseOptionsText("red\n\n  green \r\nblue")).toEqual([
      { value: "red", weight: 1 },
      { value: "green", weight: 1 },
      { value: "blue", weight: 1 },
    ]);
  });
  test("a trailing | number is the weight, negative and decimal included", () => {
    expect(parseOptionsText("positive | 3\nneutral|0.5\nnegative | -2")).toEqual([
      { value: "positive", weight: 3 },
      { value: "neutral", weight: 0.5 },
      { value: "negative", weight: -2 },
    ]);
  });
  test("text after | that is not a number stays part of the value", () => {
    expect(parseOptionsText("a | b\n| 4")).toEqual([
      { value: "a | b", weight: 1 },
      { value: "| 4", weight: 1 },
    ]);
  });
  test("round-trips through optionsToText", () => {
    const opts = [
      { value: "x", weight: 2 },
      { value: "y", weight: 1 },
    ];
    expect(parseOptionsText(optionsToText(opts))).toEqual(opts);
    expect(optionsToText([{ value: "a", weight: 1 }, { value: "b", weight: 1 }])).toBe("a\nb");
  });
  test("parseLines trims and drops empties", () => {
    expect(parseLines(" a \n\nb")).toEqual(["a", "b"]);
  });
});
