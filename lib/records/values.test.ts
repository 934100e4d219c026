import { expect, test } from "vitest";
import { nonTextFields } from "./values";

test("nonTextFields lists every field whose value is not a string, strings that look like JSON excepted", () => {
  expect(nonTextFields({ q: "x", n: 7, o: { a: 1 }, l: ["a"], z: null, b: false, s: "12", t: "null", e: "" })).toEqual(["n", "o", "l", "z", "b"]);
  expect(nonTextFields({})).toEqual([]);
});
