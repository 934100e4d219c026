import { describe, expect, it } from "vitest";
import { buildMessages, FieldTemplateError } from "./messages";
import type { LlmField } from "./schema";

const llm = (over: Partial<LlmField> = {}): LlmField => ({
  id: "f",
  name: "story",
  kind: "llm",
  system: "",
  prompt: "Write about {{ topic }}.",
  model: "m",
  params: {},
  output: { type: "text" },
  fewShot: { examples: [], k: 0, mode: "turns" },
  ...over,
});
const ctx = { seed: 1, recordIndex: 0 };
const examples = [
  { input: "i1", output: "o1" },
  { input: "i2", output: "o2" },
];

describe("buildMessages", () => {
  it("renders the prompt as the only message when there is no system prompt", () => {
    expect(buildMessages(llm(), { topic: "cats" }, ctx).messages).toEqual([{ role: "user", content: "Write about cats." }]);
  });

  it("renders the system prompt first, and drops it when it renders blank", () => {
    const withSystem = buildMessages(llm({ system: "You like {{ topic }}." }), { topic: "dogs" }, ctx).messages;
    expect(withSystem[0]).toEqual({ role: "system", content: "You like dogs." });
    const blank = buildMessages(llm({ system: "{% if no %}x{% endif %}  " }), { topic: "dogs" }, ctx).messages;
    expect(blank.map((m) => m.role)).toEqual(["user"]);
  });

  it("places few-shot turns between system and prompt", () => {
    const field = llm({ system: "sys", fewShot: { examples, k: 2, mode: "turns" } });
    const { messages } = buildMessages(field, { topic: "t" }, ctx);
    expect(messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user", "assistant", "user"]);
    expect(messages.at(-1)!.content).toBe("Write about t.");
    expect(messages.slice(1, 5).map((m) => m.content).sort()).toEqual(["i1", "i2", "o1", "o2"]);
  });

  it("fills {{ examples }} in inline mode only", () => {
    const inline = llm({ prompt: "Examples:\n{{ examples }}\nNow: {{ topic }}", fewShot: { examples, k: 1, mode: "inline" } });
    const { messages, examples: drawn } = buildMessages(inline, { topic: "t" }, ctx);
    expect(messages).toHaveLength(1);
    expect(messages[0].content).toBe(`Examples:\nInput: ${drawn[0].input}\nOutput: ${drawn[0].output}\nNow: t`);
    const turns = llm({ prompt: "[{{ examples }}]", fewShot: { examples, k: 1, mode: "turns" } });
    expect(buildMessages(turns, {}, ctx).messages.at(-1)!.content).toBe("[]");
  });

  it("does not let a scope value named examples leak in", () => {
    expect(buildMessages(llm({ prompt: "[{{ examples }}]" }), { examples: "leak" }, ctx).messages[0].content).toBe("[]");
  });

  it("says which part failed to render", () => {
    try {
      buildMessages(llm({ system: "ok", prompt: "a\n{% if %}" }), {}, ctx);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FieldTemplateError);
      expect((err as FieldTemplateError).path).toBe("prompt");
      expect((err as FieldTemplateError).line).toBe(2);
    }
  });
});
