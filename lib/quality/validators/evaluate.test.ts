import { describe, expect, it } from "vitest";
import { newField } from "@/lib/blueprints/defaults";
import type { Blueprint, ValidatorField } from "@/lib/blueprints/schema";
import { describeCheck, evaluateChecks, prepareValidators } from "./evaluate";

const v = (name: string, check: ValidatorField["check"], mode: "flag" | "reject" = "flag"): ValidatorField => ({ ...newField("validator", name), mode, check });

describe("evaluateChecks", () => {
  const validators = [
    v("short", { type: "length", field: "story", unit: "words", min: null, max: 8 }),
    v("no_ai", { type: "regex", field: "story", pattern: "as an ai", caseInsensitive: true, mustMatch: false }, "reject"),
    v("uses_words", { type: "mentions", field: "story", sources: ["verb", "nouns"] }),
    v("review_ok", { type: "json_schema", field: "review" }),
    v("custom", { type: "expression", condition: 'verb == "walk"', message: "verb was {{ verb }}" }),
  ];
  const record = (story: string) => ({
    values: { verb: "walk", nouns: ["dog", "park"], story, review: { stars: 4 } },
    llm: { story: {}, review: { reasks: 1 } },
  });

  it("stores one result per validator, with what was measured", () => {
    expect(evaluateChecks(validators, record("The dog walked to the park."))).toEqual({
      rejected: false,
      checks: {
        short: { pass: true, mode: "flag", message: "6 words" },
        no_ai: { pass: true, mode: "reject", message: "does not match" },
        uses_words: { pass: true, mode: "flag", message: 'mentions "walk", "dog", "park"' },
        review_ok: { pass: true, mode: "flag", message: "matched after 1 re-ask" },
        custom: { pass: true, mode: "flag", message: "true" },
      },
    });
  });

  it("flags without rejecting, and rejects when a reject validator fails", () => {
    const flagged = evaluateChecks(validators, record("The dog sat in the sunny park all day long."));
    expect(flagged.rejected).toBe(false);
    expect(flagged.checks!.short).toEqual({ pass: false, mode: "flag", message: "10 words, more than 8" });
    expect(flagged.checks!.uses_words).toEqual({ pass: false, mode: "flag", message: 'does not mention "walk"' });
    const rejected = evaluateChecks(validators, record("As an AI, I walk dogs in parks."));
    expect(rejected.rejected).toBe(true);
    expect(rejected.checks!.no_ai.pass).toBe(false);
  });

  it("fails a check that cannot run instead of throwing", () => {
    const r = evaluateChecks([v("bad", { type: "regex", field: "story", pattern: "(", caseInsensitive: false, mustMatch: true }, "reject")], record("x"));
    expect(r).toEqual({ rejected: true, checks: { bad: { pass: false, mode: "reject", message: expect.stringMatching(/^the check could not run: Invalid pattern/) } } });
  });

  it("stores nothing when the blueprint has no validators", () => {
    expect(evaluateChecks([], record("x"))).toEqual({ checks: null, rejected: false });
  });

  it("reads a failed JSON field's error", () => {
    const r = evaluateChecks([v("j", { type: "json_schema", field: "review" })], { values: {}, llm: { review: { error: "bad answer" } } });
    expect(r.checks!.j).toEqual({ pass: false, mode: "flag", message: "bad answer" });
  });
});

describe("prepareValidators / describeCheck", () => {
  it("keeps only validators, in blueprint order", () => {
    const bp: Blueprint = { fields: [newField("category", "c"), v("a", { type: "json_schema", field: "x" }), newField("expression", "e"), v("b", { type: "json_schema", field: "x" })] };
    expect(prepareValidators(bp).map((f) => f.name)).toEqual(["a", "b"]);
  });
  it("says what each check does", () => {
    expect(describeCheck({ type: "length", field: "s", unit: "chars", min: 1, max: 5 })).toBe("`s` has 1 to 5 characters");
    expect(describeCheck({ type: "length", field: "s", unit: "tokens", min: null, max: 5 })).toBe("`s` has at most 5 tokens");
    expect(describeCheck({ type: "regex", field: "s", pattern: "x+", caseInsensitive: true, mustMatch: false })).toBe("`s` does not match /x+/i");
    expect(describeCheck({ type: "language", field: "s", language: "fra" })).toBe("`s` is in French");
    expect(describeCheck({ type: "mentions", field: "s", sources: ["a", "b"] })).toBe("`s` mentions the values of `a`, `b`");
  });
});

describe("similar to the pool", () => {
  const novel = v("novel", { type: "similar_to_pool", field: "instruction", pool: "pool_examples" }, "reject");

  it("stores the run's decision as it is, with the closest pool instruction and score, and rejects on it", () => {
    const decided = { novel: { pass: false, mode: "reject" as const, message: 'ROUGE-L F1 0.82 with the pool instruction "Write a poem"', closest: "Write a poem", score: 0.82 } };
    expect(evaluateChecks([novel], { values: { instruction: "Write a poem now" }, llm: {}, decided })).toEqual({ rejected: true, checks: decided });
  });

  it("passes, saying why, where no run decided it (live samples, regeneration): only a run has the pool", () => {
    expect(evaluateChecks([novel], { values: { instruction: "Write a poem" }, llm: {} })).toEqual({
      rejected: false,
      checks: { novel: { pass: true, mode: "reject", message: "checked against the pool only by a run that grows it" } },
    });
    expect(describeCheck(novel.check)).toMatch(/ROUGE-L F1 at most 0.7 with every instruction of the pool `pool_examples`/);
  });
});
