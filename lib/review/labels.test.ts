import { describe, expect, test } from "vitest";
import { commandFor } from "./keys";
import { applyDigit, defaultDigitLabel, labelProblem, LabelSchema, readLabelSchema, type LabelDef } from "./labels";

const quality: LabelDef = { name: "quality", kind: "single", options: ["good", "bad"], key: "q" };
const tags: LabelDef = { name: "tags", kind: "multi", options: ["math", "long", "typo"], key: "t" };
const stars: LabelDef = { name: "stars", kind: "rating", key: "g" };
const note: LabelDef = { name: "note", kind: "note", key: "n" };
const schema = { labels: [note, quality, tags, stars] };

describe("label schema", () => {
  test("accepts the four kinds and rejects duplicates, reserved keys and choice labels without options", () => {
    expect(LabelSchema.safeParse(schema).success).toBe(true);
    const issues = (s: unknown) => LabelSchema.safeParse(s).error?.issues.map((i) => i.message) ?? [];
    expect(issues({ labels: [quality, { ...quality, key: "w" }] })).toEqual(['Two labels are called "quality".']);
    expect(issues({ labels: [{ ...quality, key: "a" }] })).toEqual(['"a" is taken by the grid; choose another key.']);
    expect(issues({ labels: [quality, { ...tags, key: "q" }] })).toEqual(['Two labels use the key "q".']);
    expect(issues({ labels: [{ name: "x", kind: "single" }] })).toEqual(['"x" needs at least one option.']);
    expect(issues({ labels: [{ ...tags, options: Array.from({ length: 10 }, (_, i) => `o${i}`) }] })[0]).toMatch(/At most nine options/);
  });

  test("an unset or broken stored schema reads as empty", () => {
    expect(readLabelSchema(null)).toEqual({ labels: [] });
    expect(readLabelSchema({ labels: [{ name: "" }] })).toEqual({ labels: [] });
  });

  test("values are checked by kind", () => {
    expect(labelProblem(schema, { quality: "good", tags: ["math"], stars: 5, note: "ok" })).toBeNull();
    expect(labelProblem(schema, { quality: "meh" })).toMatch(/one of: good, bad/);
    expect(labelProblem(schema, { tags: ["math", "nope"] })).toMatch(/any of/);
    expect(labelProblem(schema, { stars: 0 })).toMatch(/1 to 5/);
    expect(labelProblem(schema, { stars: 2.5 })).toMatch(/1 to 5/);
    expect(labelProblem(schema, { other: "x" })).toMatch(/no label called "other"/);
  });
});

describe("digits", () => {
  test("act on the first non-note label by default", () => {
    expect(defaultDigitLabel(schema)?.name).toBe("quality");
    expect(defaultDigitLabel({ labels: [note] })).toBeUndefined();
  });

  test("single sets the option and clears it when pressed again; out of range does nothing", () => {
    const once = applyDigit(quality, {}, 2)!;
    expect(once).toEqual({ quality: "bad" });
    expect(applyDigit(quality, once, 2)).toEqual({});
    expect(applyDigit(quality, once, 1)).toEqual({ quality: "good" });
    expect(applyDigit(quality, {}, 3)).toBeNull();
  });

  test("multi toggles options and keeps the schema's order", () => {
    let l: Record<string, unknown> = { other: 1 };
    for (const n of [3, 1]) l = applyDigit(tags, l, n)!;
    expect(l).toEqual({ other: 1, tags: ["math", "typo"] });
    l = applyDigit(tags, l, 3)!;
    expect(l).toEqual({ other: 1, tags: ["math"] });
    expect(applyDigit(tags, l, 1)).toEqual({ other: 1 });
  });

  test("rating takes 1-5 only; notes take no digits", () => {
    expect(applyDigit(stars, {}, 4)).toEqual({ stars: 4 });
    expect(applyDigit(stars, { stars: 4 }, 4)).toEqual({});
    expect(applyDigit(stars, {}, 6)).toBeNull();
    expect(applyDigit(note, {}, 1)).toBeNull();
  });
});

describe("keys", () => {
  test("map to commands; label keys come from the schema; modifiers are left to the browser", () => {
    expect(commandFor({ key: "j" }, schema)).toEqual({ type: "move", by: 1 });
    expect(commandFor({ key: "ArrowUp" }, schema)).toEqual({ type: "move", by: -1 });
    expect(commandFor({ key: "a" }, schema)).toEqual({ type: "decide", decision: "accept" });
    expect(commandFor({ key: "7" }, schema)).toEqual({ type: "digit", n: 7 });
    expect(commandFor({ key: "0" }, schema)).toBeNull();
    expect(commandFor({ key: "t" }, schema)).toEqual({ type: "label", name: "tags" });
    expect(commandFor({ key: "?" , shiftKey: true }, schema)).toEqual({ type: "help" });
    expect(commandFor({ key: "r", ctrlKey: true }, schema)).toBeNull();
    expect(commandFor({ key: "w" }, schema)).toBeNull();
  });
});
