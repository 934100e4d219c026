import { describe, expect, it } from "vitest";
import { MUTATIONS, eliminationRule, equalityPrompt, evolvePrompt, readEquality } from "@/lib/recipes/evol-instruct";
import { IMPOSSIBLE_CLAUSE, evolAnswer } from "./evol";
import { mulberry32 } from "./random";

describe("the fake server's Evol-Instruct answers", () => {
  it("answers equality truthfully", () => {
    const rng = mulberry32(1);
    expect(readEquality(evolAnswer(equalityPrompt("Name a cat.", " name a  cat. "), rng)!)).toBe(true);
    expect(readEquality(evolAnswer(equalityPrompt("Name a cat.", "Name three cats."), rng)!)).toBe(false);
  });

  it("rewrites so that over many draws some evolutions survive and each cheap rule drops some", () => {
    const depth = MUTATIONS.find((m) => m.kind === "depth")!;
    const outcomes = new Map<string, number>();
    for (let s = 0; s < 200; s++) {
      const rng = mulberry32(s);
      const given = "Explain how tides work.";
      const evolved = evolAnswer(evolvePrompt(depth, given), rng)!;
      const response = evolAnswer(evolved, rng) ?? "Tides follow the moon's pull on the oceans.";
      const equal = readEquality(evolAnswer(equalityPrompt(given, evolved), rng)!);
      const rule = eliminationRule({ evolved, response, equal }) ?? "kept";
      outcomes.set(rule, (outcomes.get(rule) ?? 0) + 1);
    }
    expect([...outcomes.keys()].sort()).toEqual(["apology", "copied_phrase", "kept", "no_gain"]);
    expect(outcomes.get("kept")!).toBeGreaterThan(100);
  });

  it("creates a new instruction for the in-breadth prompt and leaves other text alone", () => {
    const created = evolAnswer(evolvePrompt(MUTATIONS.find((m) => m.kind === "breadth")!, "Explain how tides work."), mulberry32(3))!;
    expect(created).toMatch(/^Describe .+ in a rarely considered setting/);
    expect(eliminationRule({ evolved: created })).toBeNull();
    expect(evolAnswer("Write a poem about tides.", mulberry32(3))).toBeNull();
    expect(evolAnswer(`Do it. ${IMPOSSIBLE_CLAUSE}`, mulberry32(3))).toMatch(/sorry/);
  });
});
