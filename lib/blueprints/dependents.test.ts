import { describe, expect, it } from "vitest";
import { newField } from "./defaults";
import { dependentFields, reviewedFields } from "./dependents";
import type { Blueprint, Field } from "./schema";

function llm(name: string, prompt: string, system = ""): Field {
  return { ...newField("llm", name), prompt, system };
}
function expr(name: string, template: string): Field {
  return { ...newField("expression", name), template };
}
function judge(name: string, over: string[]): Field {
  return { ...newField("judge", name), over };
}

const blueprint: Blueprint = {
  fields: [
    { ...newField("category", "topic"), options: [{ value: "cats", weight: 1 }] },
    llm("story", "A story about {{ topic }}."),
    llm("title", "Title for: {{ story | truncate: 50 }}"),
    expr("shout", "{{ title | upcase }}"),
    llm("moral", "The moral of a story about {{ topic }}"),
    llm("summary", "Summarise", "You summarise this: {{ shout }}"),
    judge("quality", ["story"]),
    judge("moral_judge", ["moral"]),
    { ...newField("validator", "long_enough"), check: { type: "length", field: "title", unit: "words", min: 2, max: null } },
    { ...newField("validator", "mentions_topic"), check: { type: "mentions", field: "moral", sources: ["topic"] } },
  ],
};

const names = (fs: Field[]) => fs.map((f) => f.name);

describe("dependentFields", () => {
  it("follows templates, system prompts, judges' `over` and validators' fields, transitively, in blueprint order", () => {
    expect(names(dependentFields(blueprint, "story"))).toEqual(["title", "shout", "summary", "quality", "long_enough"]);
  });

  it("leaves out fields that read only unchanged ones", () => {
    expect(names(dependentFields(blueprint, "moral"))).toEqual(["moral_judge", "mentions_topic"]);
    expect(names(dependentFields(blueprint, "summary"))).toEqual([]);
  });

  it("never re-draws a sampler, even one whose options depend on the field", () => {
    const bp: Blueprint = { fields: [llm("a", "x"), { ...newField("category", "c"), dependsOn: "a", options: [] }, expr("e", "{{ c }}")] };
    expect(names(dependentFields(bp, "a"))).toEqual([]);
  });

  it("treats a template that does not parse as reading nothing, and an unknown field as having no dependents", () => {
    const bp: Blueprint = { fields: [llm("a", "x"), llm("b", "{{ a ")] };
    expect(names(dependentFields(bp, "a"))).toEqual([]);
    expect(dependentFields(blueprint, "nope")).toEqual([]);
  });
});

describe("a conversation reading a regenerated field", () => {
  it("is re-run when its persona or system prompt reads it, and a person reads it", () => {
    const bp: Blueprint = {
      fields: [
        llm("goal", "Invent a customer's goal."),
        { ...newField("conversation", "chat"), persona: "You want: {{ goal }}", system: "You are a support agent." } as Field,
        llm("unrelated", "Say hi."),
      ],
    };
    expect(dependentFields(bp, "goal").map((f) => f.name)).toEqual(["chat"]);
    expect(dependentFields(bp, "unrelated")).toEqual([]);
    expect(reviewedFields(bp)).toContain("chat");
  });
});

describe("reviewedFields", () => {
  it("is the LLM and expression fields: what a person reads, not the judges' verdicts or the checks", () => {
    expect(reviewedFields(blueprint)).toEqual(["story", "title", "shout", "moral", "summary"]);
  });
});
