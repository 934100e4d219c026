import { describe, expect, it } from "vitest";
import { checkJsonSchema, schemaProperties } from "./json-schema";

describe("checkJsonSchema", () => {
  const good = JSON.stringify({
    type: "object",
    properties: { title: { type: "string" }, rating: { type: "integer", minimum: 1, maximum: 5 }, tags: { type: "array", items: { type: "string" } } },
    required: ["title", "rating"],
    additionalProperties: false,
  });

  it("accepts a correct schema and lists its properties", () => {
    const r = checkJsonSchema(good);
    expect(r.issues).toEqual([]);
    expect(schemaProperties(r.schema)).toEqual(["title", "rating", "tags"]);
  });

  it("points at a misspelled type with a suggestion", () => {
    const text = '{\n  "type": "object",\n  "properties": {\n    "title": { "type": "strng" }\n  }\n}';
    const [issue] = checkJsonSchema(text).issues;
    expect(issue.message).toMatch(/"strng" is not a JSON Schema type; did you mean "string"/);
    expect([issue.line, issue.column]).toEqual([4, 24]);
  });

  it("maps common aliases", () => {
    expect(checkJsonSchema('{"type":"object","properties":{"n":{"type":"int"}}}').issues[0].message).toMatch(/did you mean "integer"/);
  });

  it("flags required names missing from properties", () => {
    const r = checkJsonSchema('{"type":"object","properties":{"title":{"type":"string"}},"required":["title","body"]}');
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].message).toMatch(/"body" is required but not defined/);
  });

  it("flags wrong container shapes", () => {
    const messages = (s: string) => checkJsonSchema(s).issues.map((i) => i.message);
    expect(messages('{"type":"object","properties":[]}')[0]).toMatch(/"properties" must be an object/);
    expect(messages('{"type":"object","required":"title"}')[0]).toMatch(/"required" must be a list/);
    expect(messages('{"type":"object","properties":{"a":"string"}}')[0]).toMatch(/must be a schema object/);
    expect(messages('{"type":"array","items":{"type":"nope"}}').join()).toMatch(/"nope" is not a JSON Schema type/);
    expect(messages('{"type":"object","properties":{"a":{"type":"string","minLength":-1}}}')[0]).toMatch(/whole number/);
    expect(messages('{"type":"object","properties":{"a":{"enum":[]}}}')[0]).toMatch(/non-empty/);
    expect(messages('{"type":"object","properties":{"a":{"type":"number","minimum":5,"maximum":1}}}')[0]).toMatch(/greater than/);
  });

  it("requires an object with a top-level type", () => {
    expect(checkJsonSchema("[]").issues[0].message).toMatch(/must be a JSON object/);
    expect(checkJsonSchema('{"properties":{}}').issues[0].message).toMatch(/needs a top-level "type"/);
    const nonObject = checkJsonSchema('{"type":"string"}').issues;
    expect(nonObject).toHaveLength(1);
    expect(nonObject[0].severity).toBe("warning");
  });

  it("reports JSON syntax errors with position", () => {
    const [issue] = checkJsonSchema('{\n "type": "object",\n}').issues;
    expect(issue.message).toMatch(/^Invalid JSON: Trailing comma/);
    expect(issue.line).toBe(3);
    expect(checkJsonSchema("  ").issues[0].message).toMatch(/Enter a JSON Schema/);
  });
});
