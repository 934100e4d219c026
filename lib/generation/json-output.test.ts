import { describe, expect, it } from "vitest";
import { InvalidSchemaError, reaskMessages, responseFormatFor, stripCodeFences, validateJsonOutput } from "./json-output";

const review = JSON.stringify({
  type: "object",
  properties: {
    title: { type: "string" },
    rating: { type: "integer", minimum: 1, maximum: 5 },
    tags: { type: "array", items: { type: "string" } },
    sentiment: { enum: ["positive", "negative"] },
    author: { type: "object", properties: { name: { type: "string" } }, required: ["name"] },
  },
  required: ["title", "rating"],
  additionalProperties: false,
});

describe("stripCodeFences", () => {
  it.each([
    ['{"a":1}', '{"a":1}'],
    ['  {"a":1}\n', '{"a":1}'],
    ['```json\n{"a":1}\n```', '{"a":1}'],
    ['```\n{"a":1}\n```', '{"a":1}'],
    ['```JSON  \n{"a":1}```', '{"a":1}'],
    ['Here you go:\n```json\n{"a":1}\n```\nHope this helps!', '{"a":1}'],
    ['```json\n{"a":1', '{"a":1'],
    ["plain text", "plain text"],
  ])("%j -> %j", (input, out) => {
    expect(stripCodeFences(input)).toBe(out);
  });
});

describe("validateJsonOutput", () => {
  it("accepts a matching answer and returns the value", () => {
    expect(validateJsonOutput('{"title":"Great","rating":5}', review)).toEqual({ ok: true, value: { title: "Great", rating: 5 } });
  });

  it("accepts an answer wrapped in a code fence", () => {
    expect(validateJsonOutput('```json\n{"title":"Great","rating":4}\n```', review)).toMatchObject({ ok: true, value: { rating: 4 } });
  });

  it.each([
    ['{"title":"x"}', "missing required property 'rating'"],
    ['{"title":"x","rating":"5"}', "'rating' must be integer"],
    ['{"title":"x","rating":9}', "'rating' must be <= 5"],
    ['{"title":"x","rating":3,"extra":1}', "unexpected property 'extra'"],
    ['{"title":"x","rating":3,"sentiment":"meh"}', `'sentiment' must be one of "positive", "negative"`],
    ['{"title":"x","rating":3,"tags":["a",2]}', "'tags[1]' must be string"],
    ['{"title":"x","rating":3,"author":{}}', "missing required property 'author.name'"],
    ["[1,2]", "the answer must be object"],
  ])("%s -> %s", (answer, error) => {
    const r = validateJsonOutput(answer, review);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toBe(error);
  });

  it("lists several problems at once", () => {
    const r = validateJsonOutput('{"rating":"x","extra":true}', review);
    expect(r).toEqual({ ok: false, error: "missing required property 'title'; unexpected property 'extra'; 'rating' must be integer" });
  });

  it("reports broken JSON, and hints when the answer was cut off", () => {
    const broken = validateJsonOutput('{"title": "x", "rating": tru}', review);
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toMatch(/^not valid JSON: /);
    const cut = validateJsonOutput('{"title": "A long tit', review);
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.error).toMatch(/cut off.*max_tokens/);
    expect(validateJsonOutput("   ", review)).toEqual({ ok: false, error: "the answer is empty, expected JSON" });
  });

  it("supports 2020-12 features and $defs refs, and ignores a declared draft-07 $schema", () => {
    const schema = JSON.stringify({
      $schema: "http://json-schema.org/draft-07/schema#",
      $id: "https://example.com/pair",
      type: "object",
      properties: { pair: { type: "array", prefixItems: [{ type: "string" }, { $ref: "#/$defs/n" }], items: false } },
      $defs: { n: { type: ["number", "null"] } },
    });
    expect(validateJsonOutput('{"pair":["a",null]}', schema).ok).toBe(true);
    expect(validateJsonOutput('{"pair":["a","b"]}', schema)).toEqual({ ok: false, error: "'pair[1]' must be number or null" });
    // Same $id in another schema text must not clash.
    const other = schema.replace('"items":false', '"items":true');
    expect(validateJsonOutput('{"pair":["a",1,2]}', other).ok).toBe(true);
  });

  it("checks common formats, leniently, and ignores unknown ones", () => {
    const schema = JSON.stringify({
      type: "object",
      properties: { when: { type: "string", format: "date-time" }, email: { type: "string", format: "email" }, x: { type: "string", format: "made-up" } },
    });
    expect(validateJsonOutput('{"when":"2024-05-01T10:00:00Z","email":"a@b.co","x":"anything"}', schema).ok).toBe(true);
    expect(validateJsonOutput('{"when":"yesterday"}', schema)).toEqual({ ok: false, error: `'when' must match format "date-time"` });
  });

  it("throws InvalidSchemaError for a broken schema", () => {
    expect(() => validateJsonOutput("{}", "{not json")).toThrow(InvalidSchemaError);
    expect(() => validateJsonOutput("{}", '{"type":"objec"}')).toThrow(/not valid/);
    expect(() => validateJsonOutput("{}", "[]")).toThrow(/must be a JSON object/);
  });
});

describe("reaskMessages", () => {
  it("appends the bad answer and asks again, leaving the original alone", () => {
    const original = [
      { role: "system" as const, content: "Reply in JSON." },
      { role: "user" as const, content: "Review a toaster." },
    ];
    const out = reaskMessages(original, '{"title":"ok"}', "missing required property 'rating'");
    expect(out).toEqual([
      ...original,
      { role: "assistant", content: '{"title":"ok"}' },
      {
        role: "user",
        content: "Your previous answer was not valid: missing required property 'rating'. Answer again with only JSON matching the schema, without any other text.",
      },
    ]);
    expect(original).toHaveLength(2);
  });
});

describe("responseFormatFor", () => {
  it("builds OpenAI's json_schema response format, non-strict", () => {
    const rf = responseFormatFor(review, "review");
    expect(rf).toEqual({ type: "json_schema", json_schema: { name: "review", schema: JSON.parse(review), strict: false } });
    // Cached and shared: the same object every time, frozen against accidental edits.
    expect(responseFormatFor(review, "other").json_schema.schema).toBe(rf.json_schema.schema);
    expect(Object.isFrozen(rf.json_schema.schema)).toBe(true);
  });

  it("makes the name acceptable to OpenAI", () => {
    expect(responseFormatFor(review, "my field.v2").json_schema.name).toBe("my_field_v2");
    expect(responseFormatFor(review, "x".repeat(100)).json_schema.name).toHaveLength(64);
    expect(responseFormatFor(review, "").json_schema.name).toBe("output");
  });
});
