import { describe, expect, it } from "vitest";
import { previewRecords } from "../preview";
import { Blueprint } from "../schema";
import { validateBlueprint } from "../validate";
import { buildSupportConversations, STARTERS } from "./index";
import { SIMPLE_ADJECTIVES } from "./words/adjectives";
import { AUDIENCES, CS_TOPICS, SUBTOPICS_BY_TOPIC } from "./words/cs-topics";
import { SIMPLE_NOUNS } from "./words/nouns";
import { PRODUCTS_BY_CATEGORY, REVIEW_ASPECTS } from "./words/products";
import { SIMPLE_VERBS } from "./words/verbs";

const CTX = { seedTableId: "00000000-0000-4000-8000-000000000001" };

describe.each(STARTERS.map((s) => [s.id, s] as const))("starter %s", (_id, starter) => {
  it("parses and validates without issues", () => {
    const blueprint = starter.build(CTX);
    expect(Blueprint.parse(blueprint)).toEqual(blueprint);
    expect(validateBlueprint(blueprint)).toEqual([]);
  });

  it("previews with no render errors and no leftover template syntax", () => {
    // A recipe's own table stands in for the rows the server fetches per record.
    const rows = starter.table?.rows ?? [];
    const seedRows = (i: number) => (rows.length ? { [CTX.seedTableId]: rows[i % rows.length] } : {});
    const records = previewRecords(starter.build(CTX), { seed: 1, count: 20, seedRows });
    const llmNames = starter.build(CTX).fields.filter((f) => f.kind === "llm" || f.kind === "evolve").map((f) => f.name);
    for (const r of records) {
      for (const f of r.fields) {
        if (f.kind === "expression" || f.kind === "llm" || f.kind === "grammar" || f.kind === "transform" || f.kind === "mask") expect(f.error).toBeUndefined();
        if (f.kind !== "llm") continue;
        for (const m of f.messages ?? []) {
          expect(m.content).not.toMatch(/\{\{|\{%/);
          // A multi-step recipe's later prompts show where an earlier model output goes;
          // any other placeholder is a variable that does not exist.
          for (const [, name] of m.content.matchAll(/⟨output of ([\w.]+)⟩/g)) expect(llmNames).toContain(name.split(".")[0]);
          expect(m.content.replace(/⟨output of [\w.]+⟩/g, "")).not.toMatch(/⟨/);
        }
      }
    }
  });

  it("explains its method and names its source", () => {
    expect(starter.method.how.length).toBeGreaterThan(80);
    expect(starter.method.source).not.toBe("");
  });

  it("reads only columns its own table has, and every seed field points at it", () => {
    for (const f of starter.build(CTX).fields) {
      if (f.kind !== "seed") continue;
      expect(f.seedTableId).toBe(CTX.seedTableId);
      expect(starter.table?.columns).toContain(f.column);
    }
    for (const row of starter.table?.rows ?? []) expect(Object.keys(row).sort()).toEqual([...(starter.table?.columns ?? [])].sort());
  });

  it("builds fresh ids each time", () => {
    const a = starter.build(CTX).fields.map((f) => f.id);
    const b = starter.build(CTX).fields.map((f) => f.id);
    expect(new Set([...a, ...b]).size).toBe(a.length * 2);
  });
});

describe("starter judges", () => {
  // What the issue asks each starter's judge to check, by the fields it must read.
  const expected: Record<string, { over: string[]; criteria: string[] }> = {
    "children-stories": { over: ["verb", "noun", "adjective", "story"], criteria: ["simple_words", "uses_words", "coherent"] },
    "customer-reviews": { over: ["sentiment", "review"], criteria: ["matches_sentiment"] },
    "textbook-extracts": { over: ["audience", "subtopic", "extract"], criteria: ["fits_audience"] },
    "hierarchical-stories": { over: ["summary", "plan", "story"], criteria: ["follows_plan"] },
    "augment-text": { over: ["original", "augmentation", "variant"], criteria: ["same_meaning"] },
  };

  it.each(Object.entries(expected))("%s has a judge over its output, placed last", (id, want) => {
    const fields = STARTERS.find((s) => s.id === id)!.build(CTX).fields;
    const judge = fields.at(-1)!;
    expect(judge.kind).toBe("judge");
    if (judge.kind !== "judge") return;
    expect(judge.over).toEqual(want.over);
    expect(judge.criteria.map((c) => c.name)).toEqual(want.criteria);
    for (const c of judge.criteria) for (const l of c.levels) expect(l.description).not.toBe("");
  });

  it("previews each judge's prompt with the rubric and the record's sampled words", () => {
    const stories = STARTERS.find((s) => s.id === "children-stories")!;
    const [r] = previewRecords(stories.build(CTX), { seed: 3, count: 1 });
    const judge = r.fields.find((f) => f.kind === "judge");
    expect(judge?.kind === "judge" && judge.messages[1].content).toContain(`## verb\n${r.values.verb as string}`);
  });
});

describe("word lists", () => {
  const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

  it("have useful sizes and no duplicates", () => {
    for (const list of [SIMPLE_VERBS, SIMPLE_NOUNS, SIMPLE_ADJECTIVES]) {
      expect(list.length).toBeGreaterThanOrEqual(150);
      expect(unique(list)).toBe(true);
    }
    const products = Object.values(PRODUCTS_BY_CATEGORY);
    expect(products.flat().length).toBeGreaterThanOrEqual(50);
    for (const p of products) {
      expect(p.length).toBeGreaterThanOrEqual(10);
      expect(unique(p)).toBe(true);
    }
    expect(unique(products.flat())).toBe(true);
    expect(REVIEW_ASPECTS.length).toBeGreaterThanOrEqual(6);
    expect(CS_TOPICS.length).toBeGreaterThanOrEqual(20);
    for (const subs of Object.values(SUBTOPICS_BY_TOPIC)) expect(subs.length).toBeGreaterThanOrEqual(5);
    expect(AUDIENCES.length).toBeGreaterThanOrEqual(5);
  });

  it("contain no blank entries", () => {
    for (const list of [SIMPLE_VERBS, SIMPLE_NOUNS, SIMPLE_ADJECTIVES, ...Object.values(PRODUCTS_BY_CATEGORY)]) {
      for (const w of list) expect(w.trim()).toBe(w);
      for (const w of list) expect(w).not.toBe("");
    }
  });
});

describe("augmentation recipes", () => {
  it("write one kind of rewrite per record, the original beside it", () => {
    const augment = STARTERS.find((s) => s.id === "augment-text")!;
    const rows = augment.table!.rows;
    const records = previewRecords(augment.build(CTX), { seed: 5, count: 10, seedRows: (i) => ({ [CTX.seedTableId]: rows[i % rows.length] }) });
    for (const [i, r] of records.entries()) {
      expect(r.values.original).toBe(rows[i].message);
      const prompt = r.fields.find((f) => f.name === "variant");
      const text = prompt?.kind === "llm" ? prompt.messages!.at(-1)!.content : "";
      expect(text).toContain(`Message: ${rows[i].message}`);
      // Exactly one instruction of the case survives.
      expect(text.match(/^Rewrite the message below/gm)?.length).toBe(1);
    }
  });

  it("chain the back-translation through the drawn pivot language", () => {
    const back = STARTERS.find((s) => s.id === "back-translation")!;
    const rows = back.table!.rows;
    const [r] = previewRecords(back.build(CTX), { seed: 2, count: 1, seedRows: () => ({ [CTX.seedTableId]: rows[0] }) });
    const pivot = r.fields.find((f) => f.name === "pivot_text");
    expect(pivot?.kind === "llm" && pivot.messages!.at(-1)!.content).toBe(`Translate into ${r.values.pivot as string}:\n\n${rows[0].message}`);
  });
});

describe("conversation recipe", () => {
  it("previews a persona built from the record's sampled fields and 2 to 4 turns drawn per record", () => {
    const records = previewRecords(buildSupportConversations(), { seed: 4, count: 60 });
    const turns = new Set<number>();
    for (const r of records) {
      const c = r.fields.find((f) => f.kind === "conversation");
      if (c?.kind !== "conversation") throw new Error("no conversation field");
      expect(c.error).toBeUndefined();
      expect(c.persona).toContain(`You are ${r.values.name as string}, ${r.values.age as number} years old`);
      expect(c.persona).toContain(`You want to ${r.values.goal as string}.`);
      expect(c.persona).not.toMatch(/\{\{|\{%|⟨/);
      expect(c.system).toMatch(/customer-support agent/);
      turns.add(c.turns);
    }
    expect([...turns].sort()).toEqual([2, 3, 4]);
    expect(STARTERS.find((s) => s.id === "conversations")!.method.source).toMatch(/Baize.*UltraChat/);
  });
});

describe("Evol-Instruct recipe", () => {
  it("evolves each seed row for 4 generations with every mutation, and answers the surviving instruction", () => {
    const starter = STARTERS.find((s) => s.id === "evol-instruct")!;
    const bp = starter.build(CTX);
    const evolve = bp.fields.find((f) => f.kind === "evolve")!;
    expect(evolve).toMatchObject({ source: "seed_instruction", generations: 4 });
    expect(evolve.kind === "evolve" && evolve.mutations.every((m) => m.enabled)).toBe(true);
    const [record] = previewRecords(bp, { seed: 1, count: 1, seedRows: () => ({ [CTX.seedTableId]: starter.table!.rows[0] }) });
    const response = record.fields.find((f) => f.name === "response")!;
    expect(response.kind === "llm" && response.messages!.at(-1)!.content).toBe("⟨output of evolved.instruction⟩");
    expect(starter.method.source).toMatch(/Xu et al\., WizardLM.*2023/);
  });
});

describe("rule-based recipes", () => {
  const byId = (id: string) => STARTERS.find((s) => s.id === id)!;
  const preview = (id: string, count = 20) => {
    const s = byId(id);
    const rows = s.table?.rows ?? [];
    return previewRecords(s.build(CTX), { seed: 3, count, seedRows: (i) => (rows.length ? { [CTX.seedTableId]: rows[i % rows.length] } : {}) });
  };

  it("grammar commands: the intent label and the command come from one expansion", () => {
    const records = preview("grammar-commands", 40);
    const intents = new Set(records.map((r) => r.values.intent));
    expect([...intents].sort()).toEqual(["dim", "set_temperature", "turn_off", "turn_on"]);
    for (const r of records) {
      expect(r.values.command).not.toMatch(/\||^\s|\s$|\s{2}/);
      if (r.values.intent === "set_temperature") expect(r.values.command).toMatch(/degrees/);
    }
  });

  it("PII masking: the masked copy keeps no e-mail, card, phone or order id of the original", () => {
    for (const r of preview("pii-masking", 10)) {
      expect(r.values.masked).not.toBe(r.values.original);
      expect(r.values.masked).not.toMatch(/@|ORD-\d|\d{4} \d{4} \d{4}|555/);
      expect((r.values.infill as { masked: string }).masked).toContain("[MASK]");
    }
  });

  it("noisy augmentation: variants differ from the original and keep its label", () => {
    const records = preview("noisy-augmentation", 20);
    expect(records.filter((r) => r.values.noisy !== r.values.original).length).toBeGreaterThan(15);
  });
});
