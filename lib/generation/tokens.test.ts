import { describe, expect, it } from "vitest";
import { encode as encodeCl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { encode as encodeO200k } from "gpt-tokenizer/encoding/o200k_base";
import { countChatTokens, countTextTokens, encodingForModel, estimateOutputTokens } from "./tokens";

describe("encodingForModel", () => {
  it.each([
    ["gpt-4o", "o200k_base", true],
    ["gpt-4o-mini-2024-07-18", "o200k_base", true],
    ["gpt-4.1-nano", "o200k_base", true],
    ["gpt-4.5-preview", "o200k_base", true],
    ["gpt-5", "o200k_base", true],
    ["gpt-5.1-mini", "o200k_base", true],
    ["o1", "o200k_base", true],
    ["o3-mini", "o200k_base", true],
    ["o4-mini-2025-04-16", "o200k_base", true],
    ["chatgpt-4o-latest", "o200k_base", true],
    ["openai/gpt-4o-mini", "o200k_base", true],
    ["ft:gpt-4o-mini-2024-07-18:acme::abc123", "o200k_base", true],
    ["gpt-4", "cl100k_base", true],
    ["gpt-4-0613", "cl100k_base", true],
    ["gpt-4-turbo", "cl100k_base", true],
    ["gpt-3.5-turbo", "cl100k_base", true],
    ["gpt-35-turbo", "cl100k_base", true],
    ["llama3.1:8b", "o200k_base", false],
    ["claude-3-5-sonnet", "o200k_base", false],
    ["gpt-oss-20b", "o200k_base", false],
    ["o10-preview", "o200k_base", false],
    ["", "o200k_base", false],
  ])("%s -> %s (exact: %s)", (model, encoding, exact) => {
    expect(encodingForModel(model)).toEqual({ encoding, exact });
  });
});

describe("countChatTokens", () => {
  const messages = [
    { role: "system", content: "You are a helpful assistant." },
    { role: "user", content: "Write a haiku about the sea." },
  ];

  it("adds 3 per message and 3 for the reply to the content tokens", () => {
    const content = encodeO200k(messages[0].content).length + encodeO200k(messages[1].content).length;
    expect(countChatTokens(messages, "gpt-4o-mini")).toEqual({ tokens: content + 2 * 3 + 3, exact: true });
  });

  it("uses cl100k for older models", () => {
    const text = "Ünïcödé and emoji 🎉 tokenize differently between encodings.";
    const r = countChatTokens([{ role: "user", content: text }], "gpt-3.5-turbo");
    expect(r).toEqual({ tokens: encodeCl100k(text).length + 6, exact: true });
  });

  it("estimates other models with o200k and says so", () => {
    const exact = countChatTokens(messages, "gpt-4o");
    expect(countChatTokens(messages, "llama3.1:8b")).toEqual({ tokens: exact.tokens, exact: false });
  });

  it("counts names, empty messages and an empty chat", () => {
    expect(countChatTokens([], "gpt-4o")).toEqual({ tokens: 3, exact: true });
    expect(countChatTokens([{ role: "user", content: "" }], "gpt-4o").tokens).toBe(6);
    const named = countChatTokens([{ role: "user", content: "hi", name: "bob" }], "gpt-4o").tokens;
    expect(named).toBe(6 + encodeO200k("hi").length + 1 + encodeO200k("bob").length);
  });

  it("treats special-token text in user content as plain text instead of throwing", () => {
    const r = countChatTokens([{ role: "user", content: "the string <|endoftext|> is just text" }], "gpt-4o");
    expect(r.tokens).toBeGreaterThan(10);
  });

  it("is fast enough to run for every preview record", () => {
    const long = "The quick brown fox jumps over the lazy dog. ".repeat(200);
    countChatTokens([{ role: "user", content: long }], "gpt-4o");
    const t = performance.now();
    for (let i = 0; i < 200; i++) countChatTokens([{ role: "system", content: "Be brief." }, { role: "user", content: long + i }], "gpt-4o");
    // ~9 KB each; generous bound so slow CI machines pass.
    expect(performance.now() - t).toBeLessThan(2000);
  });
});

describe("countTextTokens", () => {
  it("counts plain text", () => {
    expect(countTextTokens('{"type":"object"}', "gpt-4o")).toEqual({ tokens: encodeO200k('{"type":"object"}').length, exact: true });
    expect(countTextTokens("", "mistral")).toEqual({ tokens: 0, exact: false });
  });
});

describe("estimateOutputTokens", () => {
  it("uses max_tokens when set, else a default per output type", () => {
    expect(estimateOutputTokens({ params: { max_tokens: 50 }, output: { type: "text" } })).toBe(50);
    expect(estimateOutputTokens({ params: {}, output: { type: "text" } })).toBe(400);
    expect(estimateOutputTokens({ params: {}, output: { type: "json", schema: "{}" } })).toBe(200);
  });
});
