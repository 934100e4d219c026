import { describe, expect, it } from "vitest";
import { newField } from "./defaults";
import { outputPlaceholder, previewRecords } from "./preview";
import { seedRowLookup, seedRowsNeeded } from "./seed-rows";
import { renderTemplate } from "./render";
import type { Blueprint, Field } from "./schema";

const bp = (...fields: Field[]): Blueprint => ({ fields });
const cat = (name: string, values: string[]): Field => ({ ...newField("category", name), options: values.map((value) => ({ value, weight: 1 })) });
const seed = (name: string, table: string, column: string, order: "random" | "sequential" = "random"): Field => ({
  ...newField("seed", name),
  seedTableId: table,
  column,
  order,
});

describe("previewRecords", () => {
  const schema = '{"type":"object","properties":{"title":{"type":"string"}}}';
  const blueprint = bp(
    cat("topic", ["cats", "dogs"]),
    { ...newField("subset", "tags"), options: ["a", "b", "c"], k: 2 },
    { ...newField("llm", "review"), prompt: "Review about {{ topic }} ({{ tags }}).", output: { type: "json", schema } },
    { ...newField("llm", "summary"), system: "Be brief.", prompt: "Summarize: {{ review.title }} / {{ review }}" },
    { ...newField("expression", "label"), template: "{{ topic | upcase }}-{{ summary }}" },
  );

  it("samples values, renders expressions and every LLM field's messages", () => {
    const [rec] = previewRecords(blueprint, { seed: 1, count: 1 });
    const topic = rec.values.topic as string;
    const tags = rec.values.tags as string[];
    expect(rec.recordIndex).toBe(0);
    expect(rec.fields.map((f) => f.kind)).toEqual(["category", "subset", "llm", "llm", "expression"]);
    const review = rec.fields[2];
    const summary = rec.fields[3];
    expect(review.kind === "llm" && review.messages).toEqual([{ role: "user", content: `Review about ${topic} (${tags.join(", ")}).` }]);
    expect(summary.kind === "llm" && summary.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Summarize: ⟨output of review.title⟩ / ⟨output of review⟩" },
    ]);
    expect(rec.values.label).toBe(`${topic.toUpperCase()}-⟨output of summary⟩`);
    expect(rec.values.review).toBe("⟨output of review⟩");
  });

  it("matches record indices of a run and is deterministic", () => {
    const all = previewRecords(blueprint, { seed: 9, count: 5 });
    const tail = previewRecords(blueprint, { seed: 9, count: 2, startIndex: 3 });
    expect(tail.map((r) => r.values)).toEqual(all.slice(3).map((r) => r.values));
    expect(tail[0].recordIndex).toBe(3);
  });

  it("reports a field's render error without breaking the others", () => {
    const broken = bp(
      cat("topic", ["x"]),
      { ...newField("expression", "bad"), template: "{% if %}" },
      { ...newField("llm", "llm"), system: "{{ topic", prompt: "fine" },
      { ...newField("expression", "good"), template: "{{ topic }}!" },
    );
    const [rec] = previewRecords(broken, { seed: 1, count: 1 });
    const [, bad, llm, good] = rec.fields;
    expect(bad).toMatchObject({ kind: "expression", value: null, error: { path: "template", line: 1 } });
    expect(llm).toMatchObject({ kind: "llm", messages: null, error: { path: "system", line: 1, column: 1 } });
    expect(good).toMatchObject({ value: "x!" });
  });

  it("includes the drawn few-shot examples", () => {
    const examples = [
      { input: "i1", output: "o1" },
      { input: "i2", output: "o2" },
    ];
    const withShots = bp({ ...newField("llm", "s"), prompt: "Go.", fewShot: { examples, k: 1, mode: "turns" } });
    const [rec] = previewRecords(withShots, { seed: 1, count: 1 });
    const field = rec.fields[0];
    expect(field.kind === "llm" && field.examples).toHaveLength(1);
    expect(field.kind === "llm" && field.messages?.length).toBe(3);
  });
});

describe("seed rows", () => {
  const blueprint = bp(seed("question", "T", "q"), seed("answer", "T", "a"), seed("line", "S", "text", "sequential"), seed("ghost", "gone", "x"));
  const rows: Record<string, Record<number, Record<string, string>>> = {
    T: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [i, { q: `q${i}`, a: `a${i}` }])),
    S: { 0: { text: "first" }, 1: { text: "second" }, 2: { text: "third" } },
  };

  it("plans one row per table per record and what to fetch", () => {
    const plan = seedRowsNeeded(blueprint, 1, [0, 1, 2, 3], { T: 10, S: 3 });
    expect(Object.keys(plan.byRecord).map(Number)).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3].map((r) => plan.byRecord[r].S)).toEqual([0, 1, 2, 0]);
    expect(plan.byTable.S).toEqual([0, 1, 2]);
    const tRows = [0, 1, 2, 3].map((r) => plan.byRecord[r].T);
    expect(plan.byTable.T).toEqual([...new Set(tRows)].sort((a, b) => a - b));
    expect(plan.byTable.gone).toBeUndefined();
  });

  it("feeds the fetched rows into the preview so columns of one table stay paired", () => {
    const indices = Array.from({ length: 20 }, (_, i) => i);
    const plan = seedRowsNeeded(blueprint, 1, indices, { T: 10, S: 3 });
    const records = previewRecords(blueprint, { seed: 1, count: 20, seedRows: seedRowLookup(plan, rows) });
    for (const r of records) {
      expect(String(r.values.question).slice(1)).toBe(String(r.values.answer).slice(1));
      expect(r.values.ghost).toBeNull();
    }
    expect(records.slice(0, 4).map((r) => r.values.line)).toEqual(["first", "second", "third", "first"]);
    expect(new Set(records.map((r) => r.values.question)).size).toBeGreaterThan(3);
  });
});

describe("outputPlaceholder", () => {
  it("renders any property path and hides prototype members", () => {
    const scope = { s: outputPlaceholder("summary") };
    expect(renderTemplate("{{ s }}|{{ s.a.b }}|{{ s[0] }}|{{ s | upcase }}", scope)).toBe(
      "⟨output of summary⟩|⟨output of summary.a.b⟩|⟨output of summary.0⟩|⟨OUTPUT OF SUMMARY⟩",
    );
    expect(renderTemplate("{{ s.constructor }}|{{ s.__proto__ }}|{{ s | json }}", scope)).toBe(
      '⟨output of summary.constructor⟩|⟨output of summary.__proto__⟩|"⟨output of summary⟩"',
    );
    expect(renderTemplate("{% if s %}yes{% endif %}", scope)).toBe("yes");
  });
});
