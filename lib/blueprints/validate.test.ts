import { describe, expect, it } from "vitest";
import { newField } from "./defaults";
import type { Blueprint, CategoryField, ConversationField, EvolveField, Field, LlmField } from "./schema";
import { availableVariables, hasErrors, validateBlueprint, type BlueprintIssue, type ValidateOptions } from "./validate";

const bp = (...fields: Field[]): Blueprint => ({ fields });
const cat = (name: string, values: string[] = ["a", "b"], extra: Partial<CategoryField> = {}): CategoryField => ({
  ...newField("category", name),
  options: values.map((value) => ({ value, weight: 1 })),
  ...extra,
});
const llm = (name: string, over: Partial<LlmField> = {}): LlmField => ({ ...newField("llm", name), prompt: "Go.", ...over });
const expr = (name: string, template: string) => ({ ...newField("expression", name), template });

const issuesOf = (blueprint: Blueprint, opts?: ValidateOptions) => validateBlueprint(blueprint, opts);
const only = (issues: BlueprintIssue[], path?: string) => issues.filter((i) => !path || i.path === path);

describe("names", () => {
  it("accepts a clean blueprint", () => {
    expect(issuesOf(bp(cat("topic"), llm("story", { prompt: "About {{ topic }}" })))).toEqual([]);
  });

  it("flags empty, invalid, reserved and duplicate names", () => {
    const issues = issuesOf(bp(cat(""), cat("my topic"), cat("2nd"), cat("examples"), cat("true"), cat("x"), cat("x")));
    const names = only(issues, "name");
    expect(names.map((i) => i.message)).toEqual([
      expect.stringMatching(/Give this field a name/),
      expect.stringMatching(/"my topic" can't be used.*\(e\.g\. "my_topic"\)/),
      expect.stringMatching(/"2nd" can't be used.*"_2nd"/),
      expect.stringMatching(/"examples" is reserved for few-shot/),
      expect.stringMatching(/"true" is a reserved word/),
      expect.stringMatching(/Field 6 is already called "x"/),
    ]);
    expect(names.every((i) => i.severity === "error")).toBe(true);
    expect(names.at(-1)!.fieldId).toBe(issues.at(-1)!.fieldId);
  });
});

describe("templates", () => {
  it("reports syntax errors with line and column on the right path", () => {
    const [issue] = issuesOf(bp(cat("topic"), llm("s", { system: "ok", prompt: "Line 1\n  {% if topic %}" })));
    expect(issue).toMatchObject({ path: "prompt", line: 2, column: 3, severity: "error" });
    const [sys] = issuesOf(bp(llm("s", { system: "{{ x " })));
    expect(sys.path).toBe("system");
  });

  it("distinguishes earlier, later, self and unknown references", () => {
    const issues = issuesOf(
      bp(cat("topic"), llm("summary", { prompt: "{{ topic }}\n{{ story }} {{ summary }} {{ topc }} {{ zzz }}" }), llm("story")),
    );
    expect(issues.map((i) => [i.message, i.line, i.column])).toEqual([
      ['"story" is defined below this field; move it above or reference an earlier field.', 2, 4],
      ['A field can\'t use its own value: "summary" refers to this field.', 2, 16],
      ['Unknown variable "topc"; did you mean "topic"?', 2, 30],
      ['Unknown variable "zzz"; it must be the name of a field above this one.', 2, 41],
    ]);
  });

  it("ignores variables the template defines itself", () => {
    const template = "{% assign t = topic | upcase %}{{ t }}{% for w in words %}{{ forloop.index }}{{ w }}{% endfor %}{% capture c %}x{% endcapture %}{{ c }}";
    expect(issuesOf(bp(cat("topic"), { ...newField("subset", "words") }, expr("e", template)))).toEqual([]);
  });

  it("warns on properties that can only be empty", () => {
    const schema = '{"type":"object","properties":{"title":{"type":"string"}}}';
    const issues = issuesOf(
      bp(
        cat("topic"),
        llm("review", { output: { type: "json", schema } }),
        expr("e", "{{ topic.name }} {{ topic.size }} {{ review.title }} {{ review.titel }}"),
      ),
    );
    expect(issues.map((i) => [i.severity, i.message])).toEqual([
      ["warning", '"topic" is a category value without properties, so "topic.name" is always empty.'],
      ["warning", 'The output schema of "review" has no property "titel" (it has: title).'],
    ]);
  });

  it("flags an empty expression and examples outside LLM fields", () => {
    expect(only(issuesOf(bp(expr("e", "  "))), "template")[0].message).toMatch(/Write a template/);
    expect(issuesOf(bp(expr("e", "{{ examples }}")))[0].message).toMatch(/only available in LLM prompts/);
  });
});

describe("category", () => {
  const messages = (f: Field, ...before: Field[]) => issuesOf(bp(...before, f)).map((i) => `${i.severity}:${i.path}:${i.message}`);

  it("needs options and valid weights", () => {
    expect(messages(cat("c", []))).toEqual(["error:options:Add at least one option to choose from."]);
    const weights = (ws: number[]) => cat("c", [], { options: ws.map((weight, i) => ({ value: `v${i}`, weight })) });
    expect(messages(weights([1, -1]))).toEqual(['error:weights:The weight of "v1" is negative; use 0 or more.']);
    expect(messages(weights([0, 0]))).toEqual(["error:weights:All weights are 0; give at least one option a weight above 0."]);
    expect(messages(weights([1, Number.NaN]))).toEqual(['error:weights:The weight of "v1" must be a number.']);
    expect(messages(cat("c", [], { options: [{ value: "a", weight: "2" as unknown as number }] }))).toEqual([
      'error:weights:The weight of "a" must be a number.',
    ]);
    expect(messages(cat("c", ["a", "a", " "]))).toEqual([
      "warning:options:Option 3 is empty.",
      'warning:options:"a" is listed more than once; its weights add up.',
    ]);
  });

  it("checks dependsOn points at an earlier, usable field", () => {
    const child = (dependsOn: string) => cat("child", ["x"], { dependsOn, conditionalOptions: { a: [{ value: "y", weight: 1 }] } });
    expect(messages(child("nope"), cat("p"))).toEqual(['error:dependsOn:There is no field called "nope"; choose one of the fields above.']);
    expect(messages(child("child"))).toEqual(["error:dependsOn:A field can't depend on itself; choose a field above it."]);
    expect(issuesOf(bp(child("p"), cat("p"))).map((i) => i.message)).toEqual([
      '"p" is defined below this field; move it above or depend on an earlier field.',
    ]);
    expect(messages(child("s"), newField("subset", "s"))[0]).toMatch(/only depend on a category, number or seed field, not on a subset "s"/);
    expect(messages(child("p"), cat("p"))).toEqual([]);
  });

  it("checks conditional lists against the parent's values", () => {
    const parent = cat("topic", ["math", "art", "music"]);
    const child = cat("sub", [], {
      dependsOn: "topic",
      conditionalOptions: { math: [{ value: "algebra", weight: 1 }], art: [{ value: "x", weight: 0 }], maths: [{ value: "z", weight: 1 }] },
    });
    expect(messages(child, parent)).toEqual([
      'error:conditionalOptions:All weights for "art" are 0; give at least one option a weight above 0.',
      'warning:conditionalOptions:"maths" is not an option of "topic", so this list is never used.',
      'error:options:No options when "topic" is "music"; add a list for it or add default options.',
    ]);
    // Default options cover parent values without a list.
    expect(messages({ ...child, options: [{ value: "general", weight: 1 }], conditionalOptions: { math: [{ value: "a", weight: 1 }] } }, parent)).toEqual([]);
  });

  it("warns about conditional lists without dependsOn", () => {
    expect(messages(cat("c", ["a"], { conditionalOptions: { x: [{ value: "b", weight: 1 }] } }))[0]).toMatch(/warning:dependsOn:Conditional option lists are ignored/);
  });
});

describe("subset and number", () => {
  const subset = (options: string[], k: number): Field => ({ ...newField("subset", "s"), options, k });
  const number = (min: number, max: number, integer = true): Field => ({ ...newField("number", "n"), min, max, integer });

  it("checks k against the options", () => {
    expect(issuesOf(bp(subset(["a", "b"], 3)))[0].message).toBe("k is 3 but there are only 2 options; lower k or add options.");
    expect(issuesOf(bp(subset(["a", "b"], 0)))[0].path).toBe("k");
    expect(issuesOf(bp(subset([], 1)))[0].message).toMatch(/Add at least one option/);
    expect(issuesOf(bp(subset(["a", "a", "b"], 1)))[0]).toMatchObject({ severity: "warning", index: 1 });
  });

  it("checks the number range", () => {
    expect(issuesOf(bp(number(5, 1)))[0]).toMatchObject({ path: "min", message: expect.stringMatching(/greater than the maximum/) });
    expect(issuesOf(bp(number(0.5, 3))).map((i) => i.path)).toEqual(["min"]);
    expect(issuesOf(bp(number(0.5, 3.5, false)))).toEqual([]);
    expect(issuesOf(bp(number(Number.NaN, 3)))[0].message).toMatch(/Enter a number/);
  });
});

describe("seed", () => {
  const seed = (over: object = {}): Field => ({ ...newField("seed", "q"), seedTableId: "T", column: "question", ...over });
  const seedTables = { T: { name: "qa.csv", columns: ["question", "answer"], rowCount: 3 } };

  it("accepts a known table and column", () => {
    expect(issuesOf(bp(seed()), { seedTables })).toEqual([]);
  });

  it("reports unknown tables, columns and empty tables", () => {
    expect(issuesOf(bp(seed({ seedTableId: "gone" })), { seedTables })[0].message).toMatch(/no longer exists/);
    expect(issuesOf(bp(seed({ column: "qestion" })), { seedTables })[0].message).toBe(
      '"qa.csv" has no column "qestion"; choose one of: "question", "answer".',
    );
    expect(issuesOf(bp(seed()), { seedTables: { T: { ...seedTables.T, rowCount: 0 } } })[0].message).toMatch(/no rows/);
    expect(issuesOf(bp(seed({ seedTableId: "" })))[0].path).toBe("seedTableId");
  });

  it("warns when seed fields of one table disagree on order", () => {
    const issues = issuesOf(bp(seed(), { ...seed({ column: "answer", order: "sequential" }), name: "a" }), { seedTables });
    expect(issues).toEqual([expect.objectContaining({ path: "order", severity: "warning" })]);
  });
});

describe("llm", () => {
  const examples = [
    { input: "i", output: "o" },
    { input: "", output: "o2" },
  ];

  it("needs a prompt and a model", () => {
    const issues = issuesOf(bp(llm("s", { prompt: " ", model: "" })));
    expect(issues.map((i) => i.path).sort()).toEqual(["model", "prompt"]);
  });

  it("checks the JSON schema with positions", () => {
    const [issue] = issuesOf(bp(llm("s", { output: { type: "json", schema: '{\n  "type": "object",\n  "required": ["x"]\n}' } })));
    expect(issue).toMatchObject({ path: "schema", line: 3, severity: "warning" });
    const [syntax] = issuesOf(bp(llm("s", { output: { type: "json", schema: '{"type": "object",}' } })));
    expect(syntax).toMatchObject({ path: "schema", severity: "error", line: 1, column: 19 });
  });

  it("checks few-shot settings", () => {
    const fs = (k: number, mode: "turns" | "inline", prompt = "Go.") => issuesOf(bp(llm("s", { prompt, fewShot: { examples, k, mode } })));
    expect(fs(3, "turns").map((i) => i.message)).toEqual([
      "k is 3 but there are only 2 examples; lower k or add examples.",
      "Example 2 has an empty input.",
    ]);
    expect(fs(1, "inline").map((i) => i.message)).toContainEqual(expect.stringMatching(/Inline examples only reach the model where the prompt says/));
    expect(fs(1, "inline", "Examples:\n{{ examples }}").filter((i) => i.path !== "fewShot" || i.index === undefined)).toEqual([]);
    const turnsWithVar = fs(1, "turns", "{{ examples }}");
    expect(turnsWithVar).toContainEqual(expect.objectContaining({ path: "prompt", severity: "warning", line: 1, column: 4 }));
  });
});

describe("hasErrors", () => {
  it("ignores warnings", () => {
    const w: BlueprintIssue = { fieldId: "1", fieldName: "a", path: "options", message: "m", severity: "warning" };
    expect(hasErrors([w])).toBe(false);
    expect(hasErrors([w, { ...w, severity: "error" }])).toBe(true);
  });
});

describe("availableVariables", () => {
  const blueprint = bp(
    cat("topic"),
    cat("topic"),
    cat("bad name"),
    llm("review", { output: { type: "json", schema: '{"type":"object","properties":{"title":{"type":"string"}}}' } }),
    llm("story", { fewShot: { examples: [], k: 0, mode: "inline" } }),
    expr("later", "x"),
  );

  it("lists valid, unique names above the field, with JSON properties", () => {
    const vars = availableVariables(blueprint, 4);
    expect(vars.map((v) => [v.name, v.kind])).toEqual([
      ["topic", "category"],
      ["review", "llm"],
      ["examples", "examples"],
    ]);
    expect(vars[1].properties).toEqual(["title"]);
  });

  it("works for the first field and for appending", () => {
    expect(availableVariables(blueprint, 0)).toEqual([]);
    expect(availableVariables(blueprint, blueprint.fields.length).map((v) => v.name)).toEqual(["topic", "review", "story", "later"]);
  });
});

describe("validators", () => {
  const validator = (name: string, check: Extract<Field, { kind: "validator" }>["check"], mode: "flag" | "reject" = "flag"): Field => ({
    ...newField("validator", name),
    mode,
    check,
  });
  const story = llm("story");

  it("accepts well-formed checks on fields above", () => {
    const issues = issuesOf(
      bp(
        cat("topic"),
        story,
        validator("long_enough", { type: "length", field: "story", unit: "words", min: 50, max: null }),
        validator("no_ai", { type: "regex", field: "story", pattern: "(?i)as an ai", caseInsensitive: false, mustMatch: false }, "reject"),
        validator("uses_topic", { type: "mentions", field: "story", sources: ["topic"] }),
        validator("english", { type: "language", field: "story", language: "eng" }),
        validator("custom", { type: "expression", condition: 'story contains "moral"', message: "no moral in {{ topic }}" }),
      ),
    );
    expect(issues).toEqual([]);
  });

  it("puts a broken regex beside the pattern input", () => {
    const issues = issuesOf(bp(story, validator("v", { type: "regex", field: "story", pattern: "(unclosed", caseInsensitive: false, mustMatch: true })));
    expect(issues).toEqual([expect.objectContaining({ path: "pattern", severity: "error", message: "Invalid pattern: missing closing ): `(unclosed`." })]);
  });

  it("puts a broken Liquid condition beside the condition, at its column, and checks its variables", () => {
    const broken = issuesOf(bp(story, validator("v", { type: "expression", condition: "story.size >", message: "" })));
    expect(broken).toEqual([expect.objectContaining({ path: "condition", severity: "error", line: 1, column: 13 })]);
    const unknown = issuesOf(bp(story, validator("v", { type: "expression", condition: "stori.size > 3", message: "{{ x" })));
    expect(unknown.map((i) => [i.path, i.message, i.column])).toEqual([
      ["condition", 'Unknown variable "stori"; did you mean "story"?', 1],
      ["message", expect.stringMatching(/never closed/), 1],
    ]);
  });

  it("needs a target above it, of the right kind for a schema check", () => {
    const issues = issuesOf(
      bp(
        validator("a", { type: "length", field: "", unit: "chars", min: 1, max: null }),
        validator("b", { type: "length", field: "story", unit: "chars", min: 5, max: 2 }),
        story,
        validator("c", { type: "json_schema", field: "story" }),
        validator("d", { type: "mentions", field: "story", sources: [] }),
        validator("e", { type: "language", field: "story", language: "xx" }),
      ),
    );
    expect(issues.map((i) => [i.fieldName, i.path, i.message])).toEqual([
      ["a", "target", "Choose the field this validator checks."],
      ["b", "target", '"story" is below this validator; move the validator under it.'],
      ["b", "min", "The minimum (5) is greater than the maximum (2); swap them."],
      ["c", "target", '"story" is not an LLM field with JSON output; only those have a schema to match.'],
      ["d", "sources", "Choose the sampled fields whose values the text must mention."],
      ["e", "language", "Choose a language from the list."],
    ]);
  });

  it("is not a variable templates can read", () => {
    const issues = issuesOf(bp(story, validator("v", { type: "length", field: "story", unit: "chars", min: 1, max: null }), expr("x", "{{ v }}")));
    expect(issues.map((i) => i.message)).toEqual(['"v" is a validator: it checks records and has no value to insert.']);
    expect(availableVariables(bp(story, validator("v", { type: "length", field: "story", unit: "chars", min: 1, max: null })), 2).map((v) => v.name)).toEqual([
      "story",
    ]);
  });
});

describe("judges", () => {
  const judge = (name: string, over: Partial<Extract<Field, { kind: "judge" }>> = {}): Field => ({
    ...newField("judge", name),
    over: ["story"],
    criteria: [{ name: "simple", description: "Simple words.", levels: [1, 2, 3].map((value) => ({ value, description: `${value}` })) }],
    ...over,
  });
  const levels = (...values: (number | string)[]) => values.map((value) => ({ value, description: "" }));

  it("accepts a judge over earlier fields, and offers its criteria to later templates", () => {
    const b = bp(cat("topic"), llm("story"), judge("quality", { over: ["topic", "story"] }), expr("s", "{{ quality.simple.score }}"));
    expect(issuesOf(b)).toEqual([]);
    expect(availableVariables(b, 3).find((v) => v.name === "quality")).toMatchObject({ kind: "judge", properties: ["simple"] });
  });

  it("needs a model, fields to read, and at least one criterion", () => {
    const issues = issuesOf(bp(llm("story"), judge("q", { model: " ", over: [], criteria: [] })));
    expect(issues.map((i) => [i.path, i.message])).toEqual([
      ["model", "Choose the model that judges."],
      ["over", "Choose the fields this judge reads."],
      ["criteria", "Add at least one criterion to score."],
    ]);
    expect(hasErrors(issues)).toBe(true);
  });

  it("flags a judge over a later field, an unknown field, itself or a validator, at the field's position", () => {
    const v = { ...newField("validator", "check"), check: { type: "length" as const, field: "story", unit: "words" as const, min: 1, max: null } };
    const issues = issuesOf(bp(llm("story"), v, judge("q", { over: ["story", "stori", "q", "check", "later"] }), llm("later")));
    expect(issues.map((i) => [i.path, i.index, i.message])).toEqual([
      ["over", 1, 'There is no field "stori" above this judge; did you mean "story"?'],
      ["over", 2, "A judge can't read its own value; choose fields above it."],
      ["over", 3, '"check" is a validator: it checks records and has no value to judge.'],
      ["over", 4, '"later" is below this judge; move the judge under it.'],
    ]);
  });

  it("flags a criterion without levels, duplicate criterion names and duplicate level values beside the criterion", () => {
    const issues = issuesOf(
      bp(
        llm("story"),
        judge("q", {
          criteria: [
            { name: "simple", description: "d", levels: [] },
            { name: "simple", description: "d", levels: levels(1, 2) },
            { name: "fit", description: "d", levels: levels("pass", "fail", "pass") },
            { name: "num", description: "d", levels: levels(3, "3") },
          ],
        }),
      ),
    );
    expect(issues.map((i) => [i.path, i.index, i.severity, i.message])).toEqual([
      ["levels", 0, "error", '"simple" has no score levels; add the scores it can take (e.g. 1 to 5, or pass and fail).'],
      ["criteria", 1, "error", 'Two criteria are called "simple"; each criterion needs a unique name.'],
      ["levels", 2, "error", '"fit" lists the level pass more than once; each level needs a distinct value.'],
      ["levels", 3, "error", '"num" lists the level 3 more than once; each level needs a distinct value.'],
    ]);
  });

  it("flags unnamed or non-variable criterion names, empty level values, and warns on a single level or no description", () => {
    const issues = issuesOf(
      bp(llm("story"), judge("q", { criteria: [{ name: "", description: "d", levels: levels(1, 2) }, { name: "fits audience", description: "", levels: levels("", 1) }, { name: "one", description: "d", levels: levels(1) }] })),
    );
    expect(issues.map((i) => [i.path, i.index, i.severity])).toEqual([
      ["criteria", 0, "error"],
      ["criteria", 1, "error"],
      ["criteria", 1, "warning"],
      ["levels", 1, "error"],
      ["levels", 2, "warning"],
    ]);
  });

  it("warns when a template reads a criterion the judge does not have", () => {
    const [issue] = issuesOf(bp(llm("story"), judge("q"), expr("s", "{{ q.smple.score }}")));
    expect(issue).toMatchObject({ path: "template", severity: "warning", message: 'The judge "q" has no criterion "smple" (it has: simple).' });
  });
});

describe("conversations", () => {
  const convo = (over: Partial<ConversationField> = {}): ConversationField => ({ ...newField("conversation", "chat"), persona: "You are {{ topic }}.", ...over });

  it("accepts a persona over earlier fields and a range of turns", () => {
    expect(issuesOf(bp(cat("topic"), convo({ system: "Help {{ topic }}." })))).toEqual([]);
  });

  it("refuses fewer than 1 or more than 20 turns, and a range typed backwards, beside the turns", () => {
    const msgs = (turns: ConversationField["turns"]) => only(issuesOf(bp(cat("topic"), convo({ turns }))), "turns").map((i) => i.message);
    expect(msgs({ min: 0, max: 3 })).toEqual([expect.stringMatching(/at least 1 turn/)]);
    expect(msgs({ min: 2, max: 21 })).toEqual([expect.stringMatching(/At most 20 turns/)]);
    expect(msgs({ min: 4, max: 2 })).toEqual([expect.stringMatching(/fewest turns \(4\) is more than the most \(2\)/)]);
    expect(msgs({ min: 20, max: 20 })).toEqual([]);
  });

  it("asks for a persona, and reports a template that uses a later field where it is", () => {
    expect(only(issuesOf(bp(cat("topic"), convo({ persona: " " }))), "persona")[0].message).toMatch(/Describe the simulated user/);
    const issues = issuesOf(bp(cat("topic"), convo({ persona: "You are {{ mood }}.", system: "{{ chat }}" }), cat("mood")));
    expect(only(issues, "persona")[0]).toMatchObject({ severity: "error", line: 1, message: expect.stringMatching(/"mood" is defined below this field/) });
    expect(only(issues, "system")[0].message).toMatch(/can't use its own value/);
  });

  it("lets later fields use the conversation", () => {
    expect(issuesOf(bp(cat("topic"), convo(), expr("copy", "{{ chat }}")))).toEqual([]);
  });
});

describe("evolve (Evol-Instruct)", () => {
  const evolve = (over: Partial<EvolveField> = {}): EvolveField => ({ ...newField("evolve", "evolved"), source: "topic", ...over });

  it("accepts an evolution of an earlier field that a later prompt reads", () => {
    expect(issuesOf(bp(cat("topic"), evolve(), llm("response", { prompt: "{{ evolved.instruction }}" })))).toEqual([]);
    expect(only(issuesOf(bp(cat("topic"), evolve(), llm("response", { prompt: "{{ evolved.text }}" }))), "prompt")[0].message).toMatch(/no property "text" \(it has: instruction, seed, lineage\)/);
  });

  it("reports 0, more than 10 and fractional generations beside the input", () => {
    for (const [generations, message] of [
      [0, /at least 1 generation/],
      [11, /At most 10 generations/],
      [2.5, /whole number/],
    ] as const) {
      const issues = issuesOf(bp(cat("topic"), evolve({ generations })));
      expect(issues.map((i) => [i.path, i.message])).toEqual([["generations", expect.stringMatching(message)]]);
    }
    expect(issuesOf(bp(cat("topic"), evolve({ generations: 10 })))).toEqual([]);
  });

  it("asks for a source above it, an enabled mutation and a method text", () => {
    expect(only(issuesOf(bp(evolve({ source: "" }))), "source")[0].message).toMatch(/Choose the field/);
    expect(only(issuesOf(bp(evolve(), cat("topic"))), "source")[0].message).toMatch(/"topic" is below this field/);
    const none = newField("evolve", "e").mutations.map((m) => ({ ...m, enabled: false }));
    expect(only(issuesOf(bp(cat("topic"), evolve({ mutations: none }))), "mutations")[0].message).toMatch(/at least one mutation/);
    const blank = newField("evolve", "e").mutations.map((m) => (m.id === "deepen" ? { ...m, method: " " } : m));
    expect(only(issuesOf(bp(cat("topic"), evolve({ mutations: blank }))), "mutations")[0].message).toMatch(/"deepen" mutation has no method text/);
  });
});

describe("pool fields (Self-Instruct)", () => {
  const pool = (over: Partial<Extract<Field, { kind: "pool" }>> = {}) => ({ ...newField("pool", "pool_examples"), seedTableId: "t1", ...over });
  const novel = (over: Partial<Extract<Field, { kind: "validator" }>> = {}) => ({
    ...newField("validator", "novel"),
    mode: "reject" as const,
    check: { type: "similar_to_pool" as const, field: "instruction", pool: "pool_examples" },
    ...over,
  });
  const tables = (rowCount: number, columns = ["instruction"]): ValidateOptions => ({ seedTables: { t1: { name: "seeds.jsonl", columns, rowCount } } });
  const grown = (p = pool(), v: Field = novel()) => bp(p, llm("instruction"), v);

  it("accepts the recipe's shape", () => {
    expect(issuesOf(grown(), tables(25))).toEqual([]);
  });

  it("reports fewer seeds than the human share of a prompt beside that input", () => {
    expect(only(issuesOf(grown(), tables(5)), "human").map((i) => i.message)).toEqual([
      "The pool has 5 seed instructions; each prompt shows 6. Add seeds or lower the human examples.",
    ]);
    expect(only(issuesOf(grown(pool({ human: 0 })), tables(25)), "human").map((i) => i.message)).toEqual(["A prompt needs at least 1 human example (a whole number)."]);
  });

  it("needs a table with an instruction column, sane counts, and a similar-to-the-pool validator that reads it", () => {
    expect(only(issuesOf(grown(), tables(25, ["prompt"])), "seedTableId")[0].message).toMatch(/has no column "instruction"/);
    expect(only(issuesOf(grown(pool({ targetSize: 0, perRound: 1.5, generated: -1 })), tables(25))).map((i) => i.path).sort()).toEqual(["generated", "perRound", "targetSize"]);
    expect(only(issuesOf(bp(pool(), llm("instruction")), tables(25)), "seedTableId")[0].message).toMatch(/Add a "similar to the pool" validator below/);
    expect(only(issuesOf(grown(pool(), novel({ mode: "flag" })), tables(25)), "target")[0].message).toMatch(/set this validator to reject/);
    expect(only(issuesOf(grown(pool(), novel({ check: { type: "similar_to_pool", field: "instruction", pool: "instruction" } })), tables(25)), "pool")[0].message).toMatch(/no pool field "instruction" above/);
  });
});
