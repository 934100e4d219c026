import { describe, expect, it } from "vitest";
import { previewRecords } from "../preview";
import { Blueprint } from "../schema";
import { validateBlueprint } from "../validate";
import { STARTERS } from "./index";
import { SIMPLE_ADJECTIVES } from "./words/adjectives";
import { AUDIENCES, CS_TOPICS, SUBTOPICS_BY_TOPIC } from "./words/cs-topics";
import { SIMPLE_NOUNS } from "./words/nouns";
import { PRODUCTS_BY_CATEGORY, REVIEW_ASPECTS } from "./words/products";
import { SIMPLE_VERBS } from "./words/verbs";

describe.each(STARTERS.map((s) => [s.id, s] as const))("starter %s", (_id, starter) => {
  it("parses and validates without issues", () => {
    const blueprint = starter.build();
    expect(Blueprint.parse(blueprint)).toEqual(blueprint);
    expect(validateBlueprint(blueprint)).toEqual([]);
  });

  it("previews with no render errors and no leftover template syntax", () => {
    const records = previewRecords(starter.build(), { seed: 1, count: 20 });
    for (const r of records) {
      for (const f of r.fields) {
        if (f.kind === "expression" || f.kind === "llm") expect(f.error).toBeUndefined();
        if (f.kind === "llm") for (const m of f.messages ?? []) expect(m.content).not.toMatch(/\{\{|\{%|⟨/);
      }
    }
  });

  it("builds fresh ids each time", () => {
    const a = starter.build().fields.map((f) => f.id);
    const b = starter.build().fields.map((f) => f.id);
    expect(new Set([...a, ...b]).size).toBe(a.length * 2);
  });
});

describe("starter judges", () => {
  // What the issue asks each starter's judge to check, by the fields it must read.
  const expected: Record<string, { over: string[]; criteria: string[] }> = {
    "children-stories": { over: ["verb", "noun", "adjective", "story"], criteria: ["simple_words", "uses_words", "coherent"] },
    "customer-reviews": { over: ["sentiment", "review"], criteria: ["matches_sentiment"] },
    "textbook-extracts": { over: ["audience", "subtopic", "extract"], criteria: ["fits_audience"] },
  };

  it.each(Object.entries(expected))("%s has a judge over its output, placed last", (id, want) => {
    const fields = STARTERS.find((s) => s.id === id)!.build().fields;
    const judge = fields.at(-1)!;
    expect(judge.kind).toBe("judge");
    if (judge.kind !== "judge") return;
    expect(judge.over).toEqual(want.over);
    expect(judge.criteria.map((c) => c.name)).toEqual(want.criteria);
    for (const c of judge.criteria) for (const l of c.levels) expect(l.description).not.toBe("");
  });

  it("previews each judge's prompt with the rubric and the record's sampled words", () => {
    const stories = STARTERS.find((s) => s.id === "children-stories")!;
    const [r] = previewRecords(stories.build(), { seed: 3, count: 1 });
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
