import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { drawMutation, eliminationRule, equalityPrompt, evolvePrompt, finalInstruction, generationStats, MUTATIONS, readEquality } from "./evol-instruct";

const byId = (id: string) => MUTATIONS.find((m) => m.id === id)!;

describe("evolvePrompt", () => {
  it("puts an in-depth method and the instruction into the rewriter prompt", () => {
    const p = evolvePrompt(byId("constraints"), "Write a poem about the sea.");
    expect(p).toContain("Please add one more constraint or requirement");
    expect(p).toMatch(/#The Given Prompt#:\nWrite a poem about the sea.\n#Rewritten Prompt#:\n$/);
  });
  it("asks for a new, rarer prompt in the same domain in breadth", () => {
    const p = evolvePrompt(byId("breadth"), "Sort a list in Python.");
    expect(p).toContain("even more rare");
    expect(p).toMatch(/#Given Prompt#:\nSort a list in Python.\n#Created Prompt#:\n$/);
  });
});

describe("drawMutation", () => {
  it("is reproducible by seed and reaches every mutation", () => {
    const a = Array.from({ length: 200 }, (_, i) => drawMutation(mulberry32(i)).id);
    const b = Array.from({ length: 200 }, (_, i) => drawMutation(mulberry32(i)).id);
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set(MUTATIONS.map((m) => m.id)));
  });
  it("refuses an empty set of mutations", () => {
    expect(() => drawMutation(mulberry32(1), [])).toThrow(/at least one mutation/);
  });
});

describe("equality", () => {
  it("asks with both prompts and reads Not Equal before Equal", () => {
    expect(equalityPrompt("A", "B")).toContain("The First Prompt: A\nThe Second Prompt: B");
    expect(readEquality("Equal")).toBe(true);
    expect(readEquality("Not Equal.")).toBe(false);
    expect(readEquality("not  equal")).toBe(false);
    expect(readEquality("I cannot tell")).toBe(false);
  });
});

describe("eliminationRule", () => {
  const good = "Write a poem about the sea in exactly four lines, each starting with a vowel.";
  it("keeps a real evolution", () => {
    expect(eliminationRule({ evolved: good, response: "Ocean wide...", equal: false })).toBeNull();
  });
  it("drops a copied phrase of the evolving prompt", () => {
    expect(eliminationRule({ evolved: "#Rewritten Prompt#: Write a poem." })).toBe("copied_phrase");
    expect(eliminationRule({ evolved: "Rewrite the given prompt so it is longer." })).toBe("copied_phrase");
  });
  it("drops a short apology but not a long answer that says sorry", () => {
    expect(eliminationRule({ evolved: good, response: "I'm sorry, but I can't help with that." })).toBe("apology");
    const long = `Sorry for the wait. ${"The sea rolls on and on. ".repeat(20)}`;
    expect(eliminationRule({ evolved: good, response: long })).toBeNull();
  });
  it("drops a response of only punctuation and stop words", () => {
    expect(eliminationRule({ evolved: good, response: "... the and of it?!" })).toBe("no_content");
  });
  it("drops no information gain last, and an empty instruction first", () => {
    expect(eliminationRule({ evolved: good, response: "A fine poem.", equal: true })).toBe("no_gain");
    expect(eliminationRule({ evolved: "  ", equal: true })).toBe("empty");
  });
});

describe("lineage", () => {
  const steps = [
    { generation: 1, mutation: "deepen", instruction: "g1" },
    { generation: 2, mutation: "breadth", instruction: "g2" },
    { generation: 3, mutation: "concretize", instruction: "g3", eliminated: "no_gain" as const },
  ];
  it("ends with the last surviving step, or the seed", () => {
    expect(finalInstruction("seed", steps)).toBe("g2");
    expect(finalInstruction("seed", [])).toBe("seed");
  });
  it("counts per generation what evolved, what was kept and what each rule dropped", () => {
    expect(generationStats([steps, steps.slice(0, 1)])).toEqual([
      { generation: 1, evolved: 2, kept: 2, dropped: {} },
      { generation: 2, evolved: 1, kept: 1, dropped: {} },
      { generation: 3, evolved: 1, kept: 0, dropped: { no_gain: 1 } },
    ]);
  });
});
