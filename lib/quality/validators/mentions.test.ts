import { describe, expect, it } from "vitest";
import { checkMentions, inflections, mentions, valuesToMention, words } from "./mentions";

const has = (text: string, value: string) => mentions(words(text), value);

describe("inflections", () => {
  it("regular verbs and nouns", () => {
    expect([...inflections("walk")]).toEqual(expect.arrayContaining(["walk", "walks", "walked", "walking"]));
    expect([...inflections("carry")]).toEqual(expect.arrayContaining(["carries", "carried", "carrying"]));
    expect([...inflections("make")]).toEqual(expect.arrayContaining(["makes", "making", "made"]));
    expect([...inflections("stop")]).toEqual(expect.arrayContaining(["stops", "stopped", "stopping"]));
    expect([...inflections("box")]).toContain("boxes");
    expect([...inflections("watch")]).toContain("watches");
    expect([...inflections("tie")]).toContain("tying");
    expect([...inflections("see")]).toContain("seeing");
  });
  it("adjectives and irregular forms", () => {
    expect([...inflections("happy")]).toEqual(expect.arrayContaining(["happier", "happiest", "happily"]));
    expect([...inflections("big")]).toEqual(expect.arrayContaining(["bigger", "biggest"]));
    expect([...inflections("go")]).toEqual(expect.arrayContaining(["goes", "went", "gone", "going"]));
    expect([...inflections("child")]).toContain("children");
  });
  it("does not invent forms for non-words", () => {
    expect([...inflections("3d")]).toEqual(["3d"]);
  });
});

describe("mentions", () => {
  it("matches whole words, case-insensitively, with inflection", () => {
    expect(has("Tom walked to the park.", "walk")).toBe(true);
    expect(has("She was WALKING home", "walk")).toBe(true);
    expect(has("The walkway was wet", "walk")).toBe(false);
    expect(has("He carried the box", "carry")).toBe(true);
    expect(has("They were making a cake", "make")).toBe(true);
    expect(has("The dog's ball", "dog")).toBe(true);
    expect(has("A sidewalk", "walk")).toBe(false);
  });
  it("multi-word values in order, last word inflected", () => {
    expect(has("They ate two ice creams.", "ice cream")).toBe(true);
    expect(has("Cream and ice.", "ice cream")).toBe(false);
  });
  it("a value with no words is trivially mentioned", () => {
    expect(has("anything", "—")).toBe(true);
  });
});

describe("checkMentions", () => {
  it("lists what is missing", () => {
    expect(checkMentions("Lily carried a shiny stone.", ["carry", "stone", "shiny"])).toEqual({
      pass: true,
      message: 'mentions "carry", "stone", "shiny"',
    });
    expect(checkMentions("Lily found a stone.", ["carry", "stone", "happy"])).toEqual({
      pass: false,
      message: 'does not mention "carry", "happy"',
    });
  });
  it("takes a subset's items one by one and skips objects", () => {
    expect(valuesToMention(["a", "b"])).toEqual(["a", "b"]);
    expect(valuesToMention(3)).toEqual(["3"]);
    expect(valuesToMention(null)).toEqual([]);
    expect(valuesToMention({ a: 1 })).toEqual([]);
  });
});
