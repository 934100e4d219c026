import { describe, expect, it } from "vitest";
import { validateJsonOutput } from "@/lib/generation/json-output";
import { judgeMessages, judgeSchema, judgeSchemaText, readJudgeAnswer, verdictText } from "./judge";
import type { JudgeCriterion } from "./schema";

const criteria: JudgeCriterion[] = [
  {
    name: "simple",
    description: "Only words a 3-year-old knows.",
    levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: `level ${value}` })),
  },
  { name: "uses_words", description: "Uses the three words.", levels: [{ value: "pass", description: "all three" }, { value: "fail", description: "one is missing" }] },
];

describe("judgeSchema", () => {
  it("makes each criterion a required {score, reason} object with the levels as an enum, and nothing else", () => {
    expect(judgeSchema(criteria)).toEqual({
      type: "object",
      properties: {
        simple: {
          type: "object",
          description: "Only words a 3-year-old knows.",
          properties: {
            score: { type: "integer", enum: [1, 2, 3, 4, 5] },
            reason: { type: "string", description: expect.any(String) },
          },
          required: ["score", "reason"],
          additionalProperties: false,
        },
        uses_words: {
          type: "object",
          description: "Uses the three words.",
          properties: { score: { type: "string", enum: ["pass", "fail"] }, reason: { type: "string", description: expect.any(String) } },
          required: ["score", "reason"],
          additionalProperties: false,
        },
      },
      required: ["simple", "uses_words"],
      additionalProperties: false,
    });
  });

  it("types fractional levels as number and leaves mixed levels untyped", () => {
    const s = judgeSchema([
      { name: "a", description: "", levels: [{ value: 0.5, description: "" }, { value: 1, description: "" }] },
      { name: "b", description: "", levels: [{ value: 1, description: "" }, { value: "n/a", description: "" }] },
    ]) as { properties: Record<string, { properties: { score: unknown } }> };
    expect(s.properties.a.properties.score).toEqual({ type: "number", enum: [0.5, 1] });
    expect(s.properties.b.properties.score).toEqual({ enum: [1, "n/a"] });
  });

  it("is a schema the JSON-output check enforces: a score outside the levels or a missing criterion fails", () => {
    const text = judgeSchemaText({ criteria });
    expect(validateJsonOutput('{"simple":{"score":4,"reason":"ok"},"uses_words":{"score":"pass","reason":"ok"}}', text).ok).toBe(true);
    expect(validateJsonOutput('{"simple":{"score":7.5,"reason":"ok"},"uses_words":{"score":"pass","reason":"ok"}}', text)).toMatchObject({ ok: false, error: expect.stringContaining("simple.score") });
    expect(validateJsonOutput('{"simple":{"score":4,"reason":"ok"}}', text)).toMatchObject({ ok: false, error: expect.stringContaining("uses_words") });
    expect(validateJsonOutput('{"simple":{"score":4,"reason":"ok","x":1},"uses_words":{"score":"pass","reason":"ok"}}', text).ok).toBe(false);
  });
});

describe("judgeMessages", () => {
  it("puts the rubric with every level in the system text and the judged fields' values in the user text", () => {
    const [system, user] = judgeMessages({ over: ["verb", "story"], criteria }, { verb: "jump", story: "Tom can {{ jump }}.", noun: "ball" });
    expect(system.role).toBe("system");
    expect(system.content).toContain("1. simple: Only words a 3-year-old knows.");
    expect(system.content).toContain('- 5: level 5');
    expect(system.content).toContain('- "fail": one is missing');
    expect(system.content).toContain('"simple", "uses_words"');
    expect(user.role).toBe("user");
    // Values go in as they are: no template rendering, and fields not judged stay out.
    expect(user.content).toContain("## verb\njump\n\n## story\nTom can {{ jump }}.");
    expect(user.content).not.toContain("ball");
  });

  it("formats lists and objects like templates do, and shows a missing field as empty", () => {
    const [, user] = judgeMessages({ over: ["features", "review", "gone"], criteria }, { features: ["a", "b"], review: { stars: 4 } });
    expect(user.content).toContain("## features\na, b");
    expect(user.content).toContain('## review\n{"stars":4}');
    expect(user.content).toMatch(/## gone\n$/);
  });
});

describe("readJudgeAnswer", () => {
  it("reads every criterion in rubric order and drops what the model added", () => {
    const r = readJudgeAnswer({ uses_words: { score: "fail", reason: "no ball" }, simple: { score: 5, reason: "easy" }, extra: 1 }, criteria);
    expect(r).toEqual({ ok: true, verdict: { simple: { score: 5, reason: "easy" }, uses_words: { score: "fail", reason: "no ball" } } });
    expect(Object.keys((r as { verdict: object }).verdict)).toEqual(["simple", "uses_words"]);
  });

  it("accepts a number level written as a string, as the level's number", () => {
    expect(readJudgeAnswer({ simple: { score: "3", reason: "" }, uses_words: { score: "pass", reason: "" } }, criteria)).toMatchObject({ ok: true, verdict: { simple: { score: 3 } } });
  });

  it("names what does not fit: a missing criterion, a score outside the levels, a reason that is not text", () => {
    expect(readJudgeAnswer([], criteria)).toMatchObject({ ok: false });
    expect(readJudgeAnswer({ simple: { score: 5, reason: "" } }, criteria)).toEqual({ ok: false, error: "missing criterion 'uses_words'" });
    expect(readJudgeAnswer({ simple: { score: 7.5, reason: "" }, uses_words: { score: "pass", reason: "" } }, criteria)).toEqual({
      ok: false,
      error: "'simple.score' must be one of 1, 2, 3, 4, 5, not 7.5",
    });
    expect(readJudgeAnswer({ simple: { score: 1, reason: "" }, uses_words: { score: "PASS", reason: "" } }, criteria)).toMatchObject({ ok: false, error: expect.stringContaining("uses_words.score") });
    expect(readJudgeAnswer({ simple: { score: 1, reason: 3 }, uses_words: { score: "pass", reason: "" } }, criteria)).toEqual({ ok: false, error: "'simple.reason' must be a string" });
  });
});

describe("verdictText", () => {
  it("reads a verdict as one line per criterion, and nothing else as a verdict", () => {
    expect(verdictText({ simple: { score: 4, reason: " short words " }, uses_words: { score: "fail", reason: "" } }, criteria)).toBe("simple: 4 (short words)\nuses_words: fail");
    expect(verdictText("a story", criteria)).toBeNull();
  });
});
