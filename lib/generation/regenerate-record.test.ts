import { describe, expect, it } from "vitest";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";
import type { ModelCall, ModelRequest } from "./generate-record";
import { regenerateRecord } from "./regenerate-record";

const llm = (name: string, prompt: string): LlmField => ({ id: name, name, kind: "llm", system: "", prompt, model: "m", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } });

const blueprint: Blueprint = {
  fields: [
    { id: "t", name: "topic", kind: "category", options: [{ value: "sea", weight: 1 }] },
    llm("story", "Story about {{ topic }}"),
    { id: "o", name: "opening", kind: "expression", template: "{{ story | truncatewords: 2 }}" },
    llm("title", "Title for {{ opening }}"),
    llm("poem", "Poem about {{ topic }}"),
  ],
};
const current = { topic: "sea", story: "old story text", opening: "old story...", title: "Old title", poem: "A poem" };

/** Answers each field from `answers`, recording which fields were asked. */
function model(answers: Record<string, string | Error>) {
  const asked: string[] = [];
  const call: ModelCall = async (req: ModelRequest) => {
    asked.push(req.field.name);
    const a = answers[req.field.name];
    if (a instanceof Error) throw a;
    return { content: a, tokensIn: 3, tokensOut: 2, latencyMs: 1, attempts: 1, cached: false, costUsd: 0.01 };
  };
  return { asked, call };
}

describe("regenerateRecord", () => {
  it("re-runs the field and, in order, the dependents whose inputs changed; other fields are neither asked nor returned", async () => {
    const m = model({ story: "new story text", title: "New title" });
    const r = await regenerateRecord(blueprint, "story", current, { seed: 1, position: 0, call: m.call });
    expect(m.asked).toEqual(["story", "title"]);
    expect(r).toMatchObject({ status: "succeeded", error: null, values: { story: "new story text", opening: "new story...", title: "New title" }, changed: ["story", "opening", "title"], costUsd: 0.02 });
    expect(r.llm.title.messages.at(-1)!.content).toBe("Title for new story...");
  });

  it("stops at a dependent whose input came out identical: nothing downstream is asked", async () => {
    const m = model({ story: "old story again" }); // same first two words: same opening
    const r = await regenerateRecord(blueprint, "story", current, { seed: 1, position: 0, call: m.call });
    expect(m.asked).toEqual(["story"]);
    expect(r.values).toEqual({ story: "old story again", opening: "old story..." });
    expect(r.changed).toEqual(["story"]);
  });

  it("a failure keeps none of the new values, and says which field failed", async () => {
    const m = model({ story: "new story text", title: new Error("the model said no") });
    const r = await regenerateRecord(blueprint, "story", current, { seed: 1, position: 0, call: m.call });
    expect(r).toMatchObject({ status: "failed", error: "title: the model said no", values: {}, changed: [] });
    expect(r.costUsd).toBe(0.01); // the story was paid for
  });
});
