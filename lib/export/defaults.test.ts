import { describe, expect, it, test } from "vitest";
import { exportHref, guessMapping, sourceFromKey, sourceKey, withDefaults } from "./defaults";
import { decodeRequestParam, encodeRequestParam } from "./schemas";

describe("export defaults", () => {
  test("mapping guessed from field names", () => {
    expect(guessMapping("openai", ["topic", "question", "answer"], [])).toEqual({ user: { kind: "field", name: "question" }, assistant: { kind: "field", name: "answer" } });
    expect(guessMapping("alpaca", ["instruction", "context", "response"], [])).toEqual({
      instruction: { kind: "field", name: "instruction" },
      input: { kind: "field", name: "context" },
      output: { kind: "field", name: "response" },
    });
    // Nothing matches: the last two fields.
    expect(guessMapping("sharegpt", ["a", "b", "c"], [])).toEqual({ user: { kind: "field", name: "b" }, assistant: { kind: "field", name: "c" } });
    expect(guessMapping("jsonl", ["a"], ["sentiment"])).toEqual({ label: { kind: "label", name: "sentiment" } });
  });

  test("with LLM fields, chat formats default to the last text LLM field's prompts and answer", () => {
    const llm = [
      { name: "story", output: "text" as const },
      { name: "review", output: "json" as const },
    ];
    const prompt = (part: "system" | "user") => ({ kind: "prompt", field: "story", part });
    expect(guessMapping("openai", ["question", "story", "review"], [], llm)).toEqual({ system: prompt("system"), user: prompt("user"), assistant: { kind: "field", name: "story" } });
    expect(guessMapping("alpaca", ["story", "review"], [], llm)).toEqual({ system: prompt("system"), instruction: prompt("user"), output: { kind: "field", name: "story" } });
    // Only JSON output: the last LLM field. Table formats keep choosing columns.
    expect(guessMapping("sharegpt", ["review"], [], [llm[1]]).user).toEqual({ kind: "prompt", field: "review", part: "user" });
    expect(guessMapping("jsonl", ["story"], ["tone"], llm)).toEqual({ label: { kind: "label", name: "tone" } });
  });

  test("select values round-trip", () => {
    for (const s of [{ kind: "field", name: "a:b" }, { kind: "label", name: "tone" }, { kind: "prompt", field: "a:b", part: "user" }, { kind: "prompt", field: "x", part: "system" }] as const) expect(sourceFromKey(sourceKey(s))).toEqual(s);
    expect(sourceFromKey("text", "Be kind.")).toEqual({ kind: "text", text: "Be kind." });
    expect(sourceFromKey("")).toBeNull();
  });

  test("the request survives the download link, unicode included", () => {
    const req = { format: "openai" as const, mapping: { system: { kind: "text" as const, text: "Réponds en français 🇫🇷 / ?&=" } } };
    const p = encodeRequestParam(req);
    expect(p).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeRequestParam(p)).toEqual(req);
  });

  test("link from the review grid carries the filter", () => {
    expect(exportHref("d1")).toBe("/datasets/d1/export");
    expect(decodeURIComponent(exportHref("d1", { reviewState: ["accepted"] }).split("filter=")[1])).toBe('{"reviewState":["accepted"]}');
  });

  test("with a conversation field, chat formats default to its turns after the system prompt it sent", () => {
    const llm = [{ name: "summary", output: "text" as const }];
    expect(guessMapping("sharegpt", ["name", "chat", "summary"], [], llm, ["chat"])).toEqual({ system: { kind: "prompt", field: "chat", part: "system" }, conversation: "chat" });
    expect(guessMapping("openai", ["name", "chat"], [], [], ["chat"]).conversation).toBe("chat");
    expect(guessMapping("alpaca", ["name", "chat", "summary"], [], llm, ["chat"]).conversation).toBeUndefined();
  });
});

describe("withDefaults (HTTP API and CLI exports that leave choices out)", () => {
  const setup = { fields: ["topic", "story"], labels: [], llmFields: [{ name: "story", output: "text" as const }], counts: { total: 10, imported: 0 } };
  it("writes every field for a table format and keeps a request's own choices", () => {
    expect(withDefaults({ format: "jsonl" as const, fields: [], mapping: {} }, setup).fields).toEqual(["topic", "story"]);
    expect(withDefaults({ format: "jsonl" as const, fields: ["story"], mapping: {} }, setup).fields).toEqual(["story"]);
  });
  it("takes the page's first guess at a chat mapping: what the model saw and said", () => {
    expect(withDefaults({ format: "sharegpt" as const, fields: [], mapping: {} }, setup).mapping).toEqual({
      system: { kind: "prompt", field: "story", part: "system" },
      user: { kind: "prompt", field: "story", part: "user" },
      assistant: { kind: "field", name: "story" },
    });
    const own = { user: { kind: "field" as const, name: "topic" }, assistant: { kind: "field" as const, name: "story" } };
    expect(withDefaults({ format: "sharegpt" as const, fields: [], mapping: own }, setup).mapping).toBe(own);
  });
});
