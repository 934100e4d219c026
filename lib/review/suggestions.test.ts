import { describe, expect, test } from "vitest";
import { LabelSchema, type LabelDef } from "./labels";
import { confirmSuggestions, scoresOf, suggestedLabels, suggestionFor, unmappedLevels } from "./suggestions";

const verdict: LabelDef = { name: "verdict", kind: "single", options: ["Pass", "Fail", "unsure"], suggest: { judge: "quality", criterion: "on_topic" } };
const stars: LabelDef = { name: "stars", kind: "rating", suggest: { judge: "quality", criterion: "simple" } };
const good: LabelDef = { name: "good", kind: "single", options: ["yes", "no"], suggest: { judge: "quality", criterion: "simple", map: { "1": "no", "2": "no", "4": "yes", "5": "yes" } } };
const tags: LabelDef = { name: "tags", kind: "multi", options: ["pass", "fail"], suggest: { judge: "quality", criterion: "on_topic" } };
const schema = { labels: [verdict, stars, good, tags, { name: "plain", kind: "single" as const, options: ["pass"] }] };

describe("judge suggestions for labels", () => {
  test("levels map to options of the same name (case aside), ratings take a 1-5 score, a mapping overrides both", () => {
    expect(suggestionFor(verdict, "pass")).toBe("Pass");
    expect(suggestionFor(verdict, "FAIL ")).toBe("Fail");
    expect(suggestionFor(verdict, "maybe")).toBeUndefined();
    expect(suggestionFor(stars, 4)).toBe(4);
    expect(suggestionFor(stars, 7)).toBeUndefined();
    expect(suggestionFor({ ...stars, suggest: { judge: "q", criterion: "c", map: { "7": 5 } } }, 7)).toBe(5);
    expect(suggestionFor(good, 5)).toBe("yes");
    expect(suggestionFor(good, 3)).toBeUndefined();
    expect(suggestionFor(tags, "pass")).toEqual(["pass"]);
    expect(suggestionFor({ ...verdict, suggest: undefined }, "pass")).toBeUndefined();
  });

  test("the editor asks only for the levels nothing maps yet", () => {
    expect(unmappedLevels(good, [1, 2, 3, 4, 5])).toEqual([3]);
    expect(unmappedLevels(verdict, ["pass", "fail", "n/a"])).toEqual(["n/a"]);
    expect(unmappedLevels(stars, [0, 1, 5, 10])).toEqual([0, 10]);
  });

  test("a record's suggestions skip labels a person set and judges that did not score it", () => {
    const scores = { quality: { on_topic: "fail", simple: 2 } };
    expect(suggestedLabels(schema, {}, scores)).toEqual({ verdict: "Fail", stars: 2, good: "no", tags: ["fail"] });
    expect(suggestedLabels(schema, { verdict: "Pass", stars: 5 }, scores)).toEqual({ good: "no", tags: ["fail"] });
    expect(suggestedLabels(schema, {}, {})).toEqual({});
    expect(suggestedLabels(schema, {}, null)).toEqual({});
  });

  test("confirming keeps the person's labels and adds the suggestions; nothing to confirm is null", () => {
    const scores = { quality: { on_topic: "pass", simple: 3 } };
    expect(confirmSuggestions(schema, { stars: 1 }, scores)).toEqual({ stars: 1, verdict: "Pass", tags: ["pass"] });
    expect(confirmSuggestions(schema, { verdict: "Fail", tags: [], stars: 1 }, scores)).toBeNull();
  });

  test("scores are read from judge values, with or without a probability", () => {
    expect(scoresOf({ story: "x", quality: { simple: { score: 4, reason: "ok", p: 0.9 }, on_topic: { score: "pass", reason: "" } }, meta: { a: 1 } })).toEqual({
      quality: { simple: 4, on_topic: "pass" },
    });
  });

  test("the schema refuses a mapping to no option, a rating outside 1-5 and a suggested note", () => {
    const issues = (l: unknown) => LabelSchema.safeParse({ labels: [l] }).error?.issues.map((i) => i.message) ?? [];
    expect(issues(good)).toEqual([]);
    expect(issues({ ...good, suggest: { judge: "q", criterion: "c", map: { "3": "maybe" } } })).toEqual(['"good": the judge\'s "3" must map to one of: yes, no.']);
    expect(issues({ ...stars, suggest: { judge: "q", criterion: "c", map: { "3": 6 } } })).toEqual(['"stars": the judge\'s "3" must map to a rating from 1 to 5.']);
    expect(issues({ name: "n", kind: "note", suggest: { judge: "q", criterion: "c" } })).toEqual(['"n" is a note: a judge cannot suggest it.']);
  });
});
