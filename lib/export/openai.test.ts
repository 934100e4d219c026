import { describe, expect, test } from "vitest";
import { addToReport, checkChatExample, checkChatFile, emptyReport } from "./openai";

const opts = { maxTokens: 65_536 };
const ok = { messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi?" }, { role: "assistant", content: "Hello." }] };
const codes = (x: unknown, o = opts) => checkChatExample(x, o).issues.map((i) => i.code);

describe("OpenAI chat fine-tuning rules", () => {
  test("a well-formed example passes without tokenising", () => {
    expect(checkChatExample(ok, opts)).toEqual({ issues: [], tokens: null });
  });

  test("each rule", () => {
    expect(codes("text")).toEqual(["not_object"]);
    expect(codes({ messages: [] })).toEqual(["no_messages"]);
    expect(codes({ prompt: "x", completion: "y" })).toEqual(["no_messages"]);
    expect(codes({ messages: [{ role: "user", content: "a" }, { role: "bot", content: "b" }] })).toEqual(["bad_role", "no_assistant"]);
    expect(codes({ messages: [{ role: "user", content: "a" }, { role: "assistant", content: "  " }] })).toEqual(["empty_content"]);
    expect(codes({ messages: [{ role: "user", content: "a" }, { role: "assistant", content: null }] })).toEqual(["content_not_string"]);
    expect(codes({ messages: [{ role: "user", content: "a" }, { role: "assistant", content: "b", extra: 1 }] })).toEqual(["unknown_key"]);
    expect(codes({ messages: [{ role: "user", content: "a" }, { role: "system", content: "s" }, { role: "assistant", content: "b" }] })).toEqual(["system_not_first"]);
    expect(codes({ messages: [{ role: "user", content: "only a question" }] })).toEqual(["no_assistant"]);
  });

  test("token limit: counted with the tokenizer only when the cheap bound is exceeded", () => {
    const long = { messages: [{ role: "user", content: "word ".repeat(300) }, { role: "assistant", content: "fine" }] };
    const r = checkChatExample(long, { maxTokens: 100 });
    expect(r.issues.map((i) => i.code)).toEqual(["too_many_tokens"]);
    expect(r.tokens).toBeGreaterThan(300);
    expect(r.tokens).toBeLessThan(320);
    expect(r.issues[0].message).toMatch(/the limit is 100/);
    // Over the bound but under the limit: tokenised, passes.
    const fits = checkChatExample(long, { maxTokens: 400 });
    expect(fits.issues).toEqual([]);
    expect(fits.tokens).not.toBeNull();
  });

  test("file rule and report", () => {
    expect(checkChatFile(9)[0].code).toBe("too_few_examples");
    expect(checkChatFile(10)).toEqual([]);
    const rep = emptyReport(100);
    addToReport(rep, "a", []);
    addToReport(rep, "b", checkChatExample({ messages: [{ role: "user", content: "" }] }, opts).issues);
    expect(rep).toMatchObject({ checked: 2, failing: 1, byCode: { empty_content: 1, no_assistant: 1 } });
    expect(rep.samples[0].recordId).toBe("b");
  });
});
