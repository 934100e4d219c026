import { describe, expect, it } from "vitest";
import type { Blueprint, EvolveField, Field, LlmField } from "@/lib/blueprints/schema";
import { newField } from "@/lib/blueprints/defaults";
import { reaskMessages } from "./json-output";
import {
  generateRecord,
  ModelCallError,
  RecordInterrupted,
  type ModelAnswer,
  type ModelCall,
  type ModelRequest,
} from "./generate-record";

const llm = (name: string, prompt: string, over: Partial<LlmField> = {}): LlmField => ({
  id: name,
  name,
  kind: "llm",
  system: "",
  prompt,
  model: "gpt-4o-mini",
  params: { temperature: 0.5 },
  output: { type: "text" },
  fewShot: { examples: [], k: 0, mode: "turns" },
  ...over,
});
const category = (name: string, values: string[]): Field => ({
  id: name,
  name,
  kind: "category",
  options: values.map((value) => ({ value, weight: 1 })),
});
const expression = (name: string, template: string): Field => ({ id: name, name, kind: "expression", template });

const answer = (content: string, over: Partial<ModelAnswer> = {}): ModelAnswer => ({
  content,
  tokensIn: 10,
  tokensOut: 5,
  latencyMs: 7,
  attempts: 1,
  cached: false,
  costUsd: 0.001,
  ...over,
});

/** A model that answers from a script per field and records every request it gets. */
function scripted(script: Record<string, (req: ModelRequest, n: number) => ModelAnswer | Error>) {
  const requests: ModelRequest[] = [];
  const call: ModelCall = async (req) => {
    requests.push(req);
    const n = requests.filter((r) => r.field.name === req.field.name).length;
    const out = script[req.field.name]!(req, n);
    if (out instanceof Error) throw out;
    return out;
  };
  return { call, requests };
}

const PERSON_SCHEMA = JSON.stringify({
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name", "age"],
});

const run = (blueprint: Blueprint, call: ModelCall, over: { maxReasks?: number; recordIndex?: number } = {}) =>
  generateRecord(blueprint, { seed: 42, recordIndex: over.recordIndex ?? 3, seedRows: {}, call, maxReasks: over.maxReasks });

describe("generateRecord", () => {
  it("samples, renders expressions and calls LLM fields in blueprint order, each seeing the fields before it", async () => {
    const blueprint: Blueprint = {
      fields: [
        category("topic", ["cats"]),
        expression("title", "About {{ topic }}"),
        llm("story", "Write: {{ title }}"),
        llm("summary", "Summarise: {{ story }}"),
        expression("both", "{{ title }} / {{ summary }}"),
      ],
    };
    const model = scripted({
      story: () => answer("Once upon a cat."),
      summary: (req) => answer(`short(${req.messages.at(-1)!.content})`),
    });
    const seen: string[] = [];
    const rec = await generateRecord(blueprint, {
      seed: 42,
      recordIndex: 3,
      seedRows: {},
      call: model.call,
      onField: (name) => seen.push(name),
    });
    expect(rec.status).toBe("succeeded");
    expect(rec.error).toBeNull();
    expect(seen).toEqual(["topic", "title", "story", "summary", "both"]);
    expect(model.requests.map((r) => r.field.name)).toEqual(["story", "summary"]);
    expect(model.requests[0]!.messages).toEqual([{ role: "user", content: "Write: About cats" }]);
    expect(model.requests[0]!.record).toEqual({ seed: 42, position: 3 });
    expect(model.requests[0]!.responseFormat).toBeUndefined();
    expect(rec.values).toEqual({
      topic: "cats",
      title: "About cats",
      story: "Once upon a cat.",
      summary: "short(Summarise: Once upon a cat.)",
      both: "About cats / short(Summarise: Once upon a cat.)",
    });
    expect(rec.sampled).toEqual({ topic: "cats" });
  });

  it("keeps per-field provenance and adds the fields up for the record", async () => {
    const blueprint: Blueprint = { fields: [llm("a", "one"), llm("b", "two", { model: "gpt-4o", params: { max_tokens: 9 } })] };
    const model = scripted({
      a: () => answer("A", { tokensIn: 11, tokensOut: 3, costUsd: 0.25, latencyMs: 100, attempts: 2 }),
      b: () => answer("B", { tokensIn: 20, tokensOut: 4, costUsd: 0.5, latencyMs: 50, attempts: 1, cached: true }),
    });
    const rec = await run(blueprint, model.call);
    expect(rec.llm.a).toEqual({
      model: "gpt-4o-mini",
      params: { temperature: 0.5 },
      messages: [{ role: "user", content: "one" }],
      tokensIn: 11,
      tokensOut: 3,
      costUsd: 0.25,
      latencyMs: 100,
      attempts: 2,
      reasks: 0,
      cached: false,
    });
    expect(rec.llm.b).toMatchObject({ model: "gpt-4o", params: { max_tokens: 9 }, cached: true, attempts: 1 });
    expect(rec).toMatchObject({ tokensIn: 31, tokensOut: 7, costUsd: 0.75, latencyMs: 150, attempts: 3 });
  });

  it("parses JSON answers and re-asks with the bad answer and the error until one matches", async () => {
    const blueprint: Blueprint = { fields: [llm("person", "A person", { output: { type: "json", schema: PERSON_SCHEMA } })] };
    const model = scripted({
      person: (_req, n) => (n === 1 ? answer("not json") : n === 2 ? answer('{"name":"Ann"}') : answer('{"name":"Ann","age":31}')),
    });
    const rec = await run(blueprint, model.call, { maxReasks: 2 });
    expect(rec.status).toBe("succeeded");
    expect(rec.values.person).toEqual({ name: "Ann", age: 31 });
    expect(rec.llm.person!.reasks).toBe(2);
    expect(rec.llm.person!.tokensIn).toBe(30);
    const [first, second, third] = model.requests;
    expect(first!.responseFormat).toMatchObject({ type: "json_schema" });
    expect(second!.messages.slice(0, -2)).toEqual(first!.messages);
    expect(second!.messages.at(-2)).toEqual({ role: "assistant", content: "not json" });
    // Each re-ask starts again from the original conversation plus the latest bad answer.
    const error = third!.messages.at(-1)!.content.match(/^Your previous answer was not valid: (.*)\. Answer again/)![1]!;
    expect(third!.messages).toEqual(reaskMessages(first!.messages, '{"name":"Ann"}', error));
    expect(error).toMatch(/age/);
  });

  it("fails the record after maxReasks re-asks, naming the field and the schema error", async () => {
    const blueprint: Blueprint = {
      fields: [llm("person", "A person", { output: { type: "json", schema: PERSON_SCHEMA } }), llm("after", "{{ person.name }}")],
    };
    const model = scripted({ person: () => answer('{"name":"Ann"}'), after: () => answer("never") });
    const rec = await run(blueprint, model.call, { maxReasks: 1 });
    expect(model.requests).toHaveLength(2);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatch(/^person: the answer did not match the JSON schema after 2 tries: .*age/);
    expect(rec.llm.person).toMatchObject({ reasks: 1, tokensIn: 20, error: expect.stringContaining("after 2 tries") });
    expect(rec.tokensIn).toBe(20);
    expect(rec.llm.after).toBeUndefined();
  });

  it("a failing field fails the record with its error, keeps what came before, and skips the rest", async () => {
    const blueprint: Blueprint = { fields: [llm("a", "one"), llm("b", "two"), llm("c", "three")] };
    const model = scripted({
      a: () => answer("A"),
      b: () => new ModelCallError("The provider returned a server error (500)", 3),
      c: () => answer("C"),
    });
    const rec = await run(blueprint, model.call);
    expect(rec.status).toBe("failed");
    expect(rec.error).toBe("b: The provider returned a server error (500)");
    expect(rec.values).toEqual({ a: "A" });
    expect(rec.llm.b).toMatchObject({ error: "The provider returned a server error (500)", attempts: 3 });
    expect(rec.attempts).toBe(4);
    expect(model.requests.map((r) => r.field.name)).toEqual(["a", "b"]);
  });

  it("a template error in an expression fails the record with the field's name", async () => {
    const blueprint: Blueprint = { fields: [expression("bad", "{{ x | no_such_filter }}"), llm("a", "one")] };
    const model = scripted({ a: () => answer("A") });
    const rec = await run(blueprint, model.call);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatch(/^bad: /);
    expect(model.requests).toHaveLength(0);
  });

  it("errors that are fatal for the run, and interruptions, propagate instead of failing the record", async () => {
    const blueprint: Blueprint = { fields: [llm("a", "one")] };
    const fatal = new ModelCallError("The provider rejected the API key (401)", 1, true);
    await expect(run(blueprint, scripted({ a: () => fatal }).call)).rejects.toBe(fatal);
    const stop = new RecordInterrupted(new Error("paused"));
    await expect(run(blueprint, scripted({ a: () => stop }).call)).rejects.toBe(stop);
  });

  it("passes streamed text on with the field's name", async () => {
    const blueprint: Blueprint = { fields: [llm("a", "one")] };
    const deltas: string[] = [];
    const call: ModelCall = async (req) => {
      req.onDelta?.("He");
      req.onDelta?.("llo");
      return answer("Hello");
    };
    await generateRecord(blueprint, { seed: 1, recordIndex: 0, seedRows: {}, call, onDelta: (f, t) => deltas.push(`${f}:${t}`) });
    expect(deltas).toEqual(["a:He", "a:llo"]);
  });
});

describe("judge fields", () => {
  const judge: Field = {
    id: "q",
    name: "quality",
    kind: "judge",
    over: ["story"],
    criteria: [
      { name: "simple", description: "Simple words.", levels: [1, 2, 3].map((value) => ({ value, description: `${value}` })) },
      { name: "fits", description: "Fits.", levels: ["pass", "fail"].map((value) => ({ value, description: value })) },
    ],
    model: "judge-model",
    params: { temperature: 0 },
  };
  const good = '{"simple":{"score":3,"reason":"short words"},"fits":{"score":"pass","reason":"yes"}}';

  it("asks with the rubric's strict schema and the judged value, re-asks an answer outside the levels, and stores scores with reasons", async () => {
    const { call, requests } = scripted({
      story: () => answer("Tom ran."),
      quality: (_r, n) => answer(n === 1 ? '{"simple":{"score":7.5,"reason":"x"},"fits":{"score":"pass","reason":"yes"}}' : good),
    });
    const rec = await generateRecord({ fields: [llm("story", "Write."), judge] }, { seed: 1, recordIndex: 0, seedRows: {}, call });
    expect(rec.status).toBe("succeeded");
    expect(rec.values.quality).toEqual({ simple: { score: 3, reason: "short words" }, fits: { score: "pass", reason: "yes" } });
    const asks = requests.filter((r) => r.field.name === "quality");
    expect(asks).toHaveLength(2);
    expect(asks[0].model).toBe("judge-model");
    expect(asks[0].responseFormat).toMatchObject({ type: "json_schema", json_schema: { strict: true, schema: { required: ["simple", "fits"] } } });
    expect(asks[0].messages.at(-1)!.content).toContain("## story\nTom ran.");
    expect(rec.llm.quality).toMatchObject({ model: "judge-model", reasks: 1, messages: asks[0].messages });
  });

  it("marks the record judge failed, with no score, when the answer never fits the rubric", async () => {
    const { call } = scripted({ story: () => answer("Tom ran."), quality: () => answer('{"simple":{"score":3,"reason":"ok"}}') });
    const rec = await generateRecord({ fields: [llm("story", "Write."), judge] }, { seed: 1, recordIndex: 0, seedRows: {}, call, maxReasks: 1 });
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatch(/^quality: judge failed: the answer did not fit the rubric after 2 tries: .*fits/);
    expect(rec.values).toEqual({ story: "Tom ran." });
    expect(rec.llm.quality!.error).toMatch(/^judge failed/);
  });
});

describe("evolve fields (Evol-Instruct)", () => {
  const evolveField = (over: Partial<EvolveField> = {}): EvolveField => ({ ...newField("evolve", "evolved"), source: "topic", generations: 3, ...over });
  /** Rewrites by appending " more", answers plainly, judges Not Equal; `drop` turns one generation's rewrite into a copy of its label. */
  const evolver = (drop?: number) =>
    scripted({
      evolved: (req) => {
        const text = req.messages[0].content;
        if (text.includes("Your Judgement")) return answer("Not Equal");
        const given = /#(?:The )?Given Prompt#:\n([\s\S]*?)\n#(?:Rewritten|Created) Prompt#/.exec(text);
        if (!given) return answer(`An answer to: ${text}`);
        return answer(req.record.step === `g${drop}:rewrite` ? `#Rewritten Prompt#: ${given[1]}` : `${given[1]} more`);
      },
      response: (req) => answer(`R(${req.messages.at(-1)!.content})`),
    });

  it("evolves over K generations, answering and checking each step, and a later field reads the survivor", async () => {
    const model = evolver();
    const rec = await run({ fields: [category("topic", ["Name a cat."]), evolveField(), llm("response", "{{ evolved.instruction }}")] }, model.call);
    expect(rec.status).toBe("succeeded");
    const v = rec.values.evolved as { instruction: string; seed: string; lineage: { generation: number; mutation: string; instruction: string; response?: string; eliminated?: string }[] };
    expect(v.seed).toBe("Name a cat.");
    expect(v.lineage.map((s) => [s.generation, s.instruction, s.eliminated])).toEqual([
      [1, "Name a cat. more", undefined],
      [2, "Name a cat. more more", undefined],
      [3, "Name a cat. more more more", undefined],
    ]);
    expect(v.lineage[0].response).toBe("An answer to: Name a cat. more");
    expect(v.instruction).toBe("Name a cat. more more more");
    expect(rec.values.response).toBe("R(Name a cat. more more more)");
    // Rewrite, response and equality per generation, each with its own cache identity.
    const steps = model.requests.filter((r) => r.field.name === "evolved").map((r) => r.record.step);
    expect(steps).toEqual(["g1:rewrite", "g1:response", "g1:equality", "g2:rewrite", "g2:response", "g2:equality", "g3:rewrite", "g3:response", "g3:equality"]);
    expect(rec.llm.evolved.evolve!.calls).toHaveLength(9);
    expect(rec.tokensIn).toBe(10 * 10);
  });

  it("drops a step with the rule named, ends the lineage there and keeps its parent, asking nothing more for it", async () => {
    const model = evolver(2);
    const rec = await run({ fields: [category("topic", ["Name a cat."]), evolveField()] }, model.call);
    const v = rec.values.evolved as { instruction: string; lineage: { generation: number; eliminated?: string }[] };
    expect(v.lineage.map((s) => [s.generation, s.eliminated])).toEqual([
      [1, undefined],
      [2, "copied_phrase"],
    ]);
    expect(v.instruction).toBe("Name a cat. more");
    // The copied label is caught for free: no response or equality call for generation 2.
    expect(model.requests.map((r) => r.record.step)).toEqual(["g1:rewrite", "g1:response", "g1:equality", "g2:rewrite"]);
  });

  it("draws mutations from the record's stream among those enabled, reproducibly", async () => {
    const only = newField("evolve", "x").mutations.map((m) => ({ ...m, enabled: m.id === "concretize" || m.id === "breadth" }));
    const a = await run({ fields: [category("topic", ["Name a cat."]), evolveField({ mutations: only, generations: 10 })] }, evolver().call);
    const b = await run({ fields: [category("topic", ["Name a cat."]), evolveField({ mutations: only, generations: 10 })] }, evolver().call);
    const muts = (r: typeof a) => (r.values.evolved as { lineage: { mutation: string }[] }).lineage.map((s) => s.mutation);
    expect(muts(a)).toEqual(muts(b));
    expect(new Set(muts(a))).toEqual(new Set(["concretize", "breadth"]));
  });

  it("fails the record, naming the generation, when a call fails, and when the source is empty", async () => {
    const failing = scripted({ evolved: (_req, n) => (n === 2 ? new Error("boom") : answer("Name a cat. more")) });
    const rec = await run({ fields: [category("topic", ["Name a cat."]), evolveField()] }, failing.call);
    expect(rec.status).toBe("failed");
    expect(rec.error).toBe("evolved: generation 1 (response): boom");
    const empty = await run({ fields: [category("topic", [" "]), evolveField()] }, evolver().call);
    expect(empty.error).toMatch(/"topic" has no instruction to evolve/);
  });
});

describe("rule-based fields", () => {
  const rules: Blueprint = {
    fields: [
      { id: "g", name: "command", kind: "grammar", grammar: 'command -> verb "the" device\nverb -> "turn on" | "turn off" | "dim"\ndevice -> "lights" | "fan" | "heater"' },
      { id: "t", name: "noisy", kind: "transform", source: "command", operation: "swap", amount: 0.5 },
      llm("reply", "Answer {{ noisy }}"),
      { id: "m2", name: "reply_masked", kind: "mask", source: "reply", mode: "entities", entityTypes: ["EMAIL"], patterns: [] },
    ] as Field[],
  };

  it("computes them without a model call, the same for the same seed and record, and LLM fields read them", async () => {
    const model = scripted({ reply: () => answer("write to help@example.com") });
    const a = await run(rules, model.call);
    expect(a.status).toBe("succeeded");
    expect(model.requests.map((r) => r.field.name)).toEqual(["reply"]);
    expect(a.values.command).toMatch(/^(turn on|turn off|dim) the (lights|fan|heater)$/);
    expect(model.requests[0].messages.at(-1)!.content).toBe(`Answer ${a.values.noisy}`);
    expect(a.values.reply_masked).toBe("write to [EMAIL]");
    expect(a.llm).not.toHaveProperty("command");
    const b = await run(rules, scripted({ reply: () => answer("write to help@example.com") }).call);
    expect(b.values).toEqual(a.values);
    const others = await Promise.all([0, 1, 2, 4, 5, 6].map((i) => run(rules, model.call, { recordIndex: i })));
    expect(new Set(others.map((r) => r.values.command)).size).toBeGreaterThan(1);
  });

  it("a broken grammar fails the record with the reason, never asking the model", async () => {
    const model = scripted({ reply: () => answer("x") });
    const rec = await run({ fields: [{ id: "g", name: "g", kind: "grammar", grammar: "a -> b" }, llm("reply", "{{ g }}")] }, model.call);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatch(/^g: the grammar has an error at line 1/);
    expect(model.requests).toEqual([]);
  });
});

describe("pool fields and generating in two steps (Self-Instruct)", () => {
  const poolField: Field = { ...newField("pool", "pool_examples"), seedTableId: "t", human: 2, generated: 1 };
  const novel: Field = { ...newField("validator", "novel"), mode: "reject", check: { type: "similar_to_pool", field: "instruction", pool: "pool_examples" } };
  const blueprint: Blueprint = {
    fields: [
      poolField,
      llm("instruction", "{% for item in pool_examples %}Task {{ forloop.index }}: {{ item.instruction }}\n{% endfor %}Task {{ pool_examples.size | plus: 1 }}:"),
      novel,
      llm("response", "{{ instruction }}"),
    ],
  };
  const pool = [
    { id: "0", instruction: "Seed one", origin: "human" as const },
    { id: "1", instruction: "Seed two", origin: "human" as const },
    { id: "2", instruction: "Seed three", origin: "human" as const },
    { id: "3", instruction: "Generated one", origin: "generated" as const },
  ];

  it("draws the prompt's examples from the given pool, seeded per record, and keeps their ids as the value", async () => {
    const { call, requests } = scripted({ instruction: () => answer("New task"), response: () => answer("Done") });
    const opts = { seed: 42, recordIndex: 3, seedRows: {}, call, pools: { pool_examples: pool } };
    const rec = await generateRecord(blueprint, opts);
    const shown = rec.values.pool_examples as { id: string; origin: string }[];
    expect(shown.map((p) => p.origin)).toEqual(["human", "human", "generated"]);
    expect(shown.at(-1)!.id).toBe("3");
    expect(requests[0].messages.at(-1)!.content).toMatch(/^Task 1: Seed \w+\nTask 2: Seed \w+\nTask 3: Generated one\nTask 4:$/);
    expect((await generateRecord(blueprint, opts)).values.pool_examples).toEqual(shown);
  });

  it("stops before a field and continues later from the partial record, without calling the first fields again", async () => {
    const { call, requests } = scripted({ instruction: () => answer("New task"), response: () => answer("Done") });
    const opts = { seed: 42, recordIndex: 3, seedRows: {}, call, pools: { pool_examples: pool }, until: 3 };
    const head = await generateRecord(blueprint, opts);
    expect(Object.keys(head.values)).toEqual(["pool_examples", "instruction"]);
    expect(requests.map((r) => r.field.name)).toEqual(["instruction"]);
    const whole = await generateRecord(blueprint, { ...opts, from: head });
    expect(requests.map((r) => r.field.name)).toEqual(["instruction", "response"]);
    expect(whole.values).toEqual({ ...head.values, response: "Done" });
    expect(whole.costUsd).toBeCloseTo(0.002, 6);
    expect(Object.keys(whole.llm)).toEqual(["instruction", "response"]);
  });

  it("fails the record, saying why, where no pool was given (only a run has it)", async () => {
    const { call } = scripted({});
    const rec = await run(blueprint, call);
    expect(rec.status).toBe("failed");
    expect(rec.error).toMatch(/^pool_examples: its examples are drawn from the pool while a run grows it/);
  });
});
