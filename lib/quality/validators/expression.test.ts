import { describe, expect, it } from "vitest";
import { checkExpression, expressionError } from "./expression";

describe("checkExpression", () => {
  const scope = { story: "Once upon a time there was a moral.", mood: "happy", tags: ["a", "b"] };
  it("passes when the condition holds, fails with the message otherwise", () => {
    expect(checkExpression('story contains "moral" and mood == "happy"', "no moral", scope)).toEqual({ pass: true, message: "true" });
    expect(checkExpression("story.size > 1000", "too short", scope)).toEqual({ pass: false, message: "too short" });
    expect(checkExpression("tags.size == 3", "", scope)).toEqual({ pass: false, message: "the condition is false" });
  });
  it("renders {{ }} in the message", () => {
    expect(checkExpression('mood == "sad"', "mood was {{ mood }}", scope)).toEqual({ pass: false, message: "mood was happy" });
  });
  it("unknown variables are empty, so comparisons with them are false", () => {
    expect(checkExpression('missing == "x"', "m", scope).pass).toBe(false);
  });
  it("fails, with the reason, when the engine's limits stop it", () => {
    const r = checkExpression("story.size > 1", "m", { story: { constructor: 1 } });
    expect(r.pass).toBe(false);
  });
});

describe("expressionError", () => {
  it("accepts conditions", () => {
    expect(expressionError("story.size > 200")).toBeNull();
    expect(expressionError('a contains "x" or b != 2')).toBeNull();
  });
  it("rejects empty conditions and template tags inside", () => {
    expect(expressionError("  ")?.message).toMatch(/Write a condition/);
    expect(expressionError("x %}{% for i in (1..9) %}")?.message).toMatch(/without \{% %\}/);
  });
  it("reports what LiquidJS would silently accept, at its place in the condition", () => {
    expect(expressionError("story.size >")).toEqual({ message: "A value is missing at the end of the condition.", line: 1, column: 13 });
    expect(expressionError("a == == b")).toEqual({ message: 'A value is missing before "==".', line: 1, column: 6 });
    expect(expressionError("story.size 200")).toEqual({
      message: 'An operator (==, !=, <, >, contains, and, or) is missing before "200".',
      line: 1,
      column: 12,
    });
    expect(expressionError("a | upcase")?.message).toMatch(/filters are not allowed/);
    expect(expressionError("not a")).toBeNull();
  });
  it("reports LiquidJS's own syntax errors in the condition's coordinates", () => {
    const e = expressionError("(a");
    expect(e?.line).toBe(1);
    expect(e?.column).toBe(3);
  });
});
