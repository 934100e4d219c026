import { describe, expect, it } from "vitest";
import { judgeMessages, judgeSchemaText } from "@/lib/blueprints/judge";
import type { JudgeCriterion } from "@/lib/blueprints/schema";
import { requestCacheKey } from "./cache-key";
import { responseFormatFor } from "./json-output";

const base = {
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hello" },
  ],
  params: { temperature: 0.7, seed: 1 },
  record: { seed: 42, position: 7, field: "story" },
};

describe("requestCacheKey", () => {
  it("is a sha256 hex digest, stable across calls", () => {
    const key = requestCacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(requestCacheKey(structuredClone(base))).toBe(key);
  });

  it("ignores key order and undefined parameters", () => {
    const reordered = {
      params: { seed: 1, temperature: 0.7, top_p: undefined },
      messages: [
        { content: "Be brief.", role: "system" },
        { content: "Hello", role: "user" },
      ],
      model: "gpt-4o-mini",
      record: { field: "story", position: 7, seed: 42 },
    };
    expect(requestCacheKey(reordered)).toBe(requestCacheKey(base));
    expect(requestCacheKey({ ...base, responseFormat: undefined })).toBe(requestCacheKey(base));
  });

  it("changes with anything that changes the answer", () => {
    const key = requestCacheKey(base);
    const variants = [
      { ...base, model: "gpt-4o" },
      { ...base, params: { ...base.params, temperature: 0.8 } },
      { ...base, params: { ...base.params, seed: 2 } },
      { ...base, messages: [...base.messages].reverse() },
      { ...base, messages: [base.messages[0], { role: "user", content: "Hello!" }] },
      { ...base, responseFormat: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" }, strict: false } } },
      { ...base, namespace: "http://127.0.0.1:11434/v1" },
    ];
    const keys = new Set(variants.map(requestCacheKey));
    expect(keys.size).toBe(variants.length);
    expect(keys.has(key)).toBe(false);
  });

  it("never gives two records the same key for the same request", () => {
    // The same prompt from two records (sampled values that coincide) is owed two answers.
    const keys = new Set([
      requestCacheKey(base),
      requestCacheKey({ ...base, record: { ...base.record, position: 8 } }),
      requestCacheKey({ ...base, record: { ...base.record, seed: 43 } }),
      requestCacheKey({ ...base, record: { ...base.record, field: "title" } }),
      requestCacheKey({ ...base, namespace: "another dataset" }),
    ]);
    expect(keys.size).toBe(5);
  });

  it("gives the same record the same key again (resume, retry, a re-run with the seed)", () => {
    const again = { ...structuredClone(base), record: { seed: 42, position: 7, field: "story" } };
    expect(requestCacheKey(again)).toBe(requestCacheKey(base));
  });
});

describe("judge requests", () => {
  const keyFor = (criteria: JudgeCriterion[]) =>
    requestCacheKey({
      model: "gpt-4o-mini",
      messages: judgeMessages({ over: ["story"], criteria }, { story: "Tom ran." }),
      responseFormat: responseFormatFor(judgeSchemaText({ criteria }), "quality", true),
      record: { seed: 1, position: 0, field: "quality" },
    });
  const c = (description: string, values: (number | string)[]): JudgeCriterion[] => [{ name: "simple", description, levels: values.map((value) => ({ value, description: "" })) }];

  it("differ when the rubric differs over the same record: its levels or its wording", () => {
    const k = keyFor(c("Simple words.", [1, 2, 3]));
    expect(keyFor(c("Simple words.", [1, 2, 3]))).toBe(k);
    expect(keyFor(c("Simple words.", ["pass", "fail"]))).not.toBe(k);
    expect(keyFor(c("Very simple words.", [1, 2, 3]))).not.toBe(k);
  });
});
