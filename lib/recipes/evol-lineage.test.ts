import { describe, expect, it } from "vitest";
import { MUTATIONS } from "./evol-instruct";
import { defaultEvolMutations, enabledMutations, evolStatsOf, mutationName, readEvolValue } from "./evol-lineage";

describe("enabledMutations", () => {
  it("keeps the paper's order and the blueprint's edited method texts, and skips disabled ones", () => {
    const settings = defaultEvolMutations().map((m) => (m.id === "deepen" ? { ...m, method: "Go deeper." } : m.id === "reasoning" ? { ...m, enabled: false } : m));
    const got = enabledMutations({ mutations: settings });
    expect(got.map((m) => m.id)).toEqual(["constraints", "deepen", "concretize", "complicate_input", "breadth"]);
    expect(got.find((m) => m.id === "deepen")!.method).toBe("Go deeper.");
    expect(enabledMutations({ mutations: [] })).toEqual([]);
    expect(enabledMutations({ mutations: [{ id: "nonsense", enabled: true, method: "x" }] })).toEqual([]);
  });

  it("starts a new field with all six mutations and the paper's texts", () => {
    expect(defaultEvolMutations()).toEqual(MUTATIONS.map((m) => ({ id: m.id, enabled: true, method: m.method })));
  });
});

describe("readEvolValue and evolStatsOf", () => {
  const value = {
    instruction: "B",
    seed: "A",
    lineage: [
      { generation: 1, mutation: "deepen", instruction: "B", response: "ok" },
      { generation: 2, mutation: "breadth", instruction: "B", response: "ok", eliminated: "no_gain" },
    ],
  };

  it("reads a stored lineage and refuses what is not one", () => {
    expect(readEvolValue(value)).toEqual(value);
    expect(readEvolValue("text")).toBeNull();
    expect(readEvolValue({ instruction: "x", seed: "y" })).toBeNull();
    expect(readEvolValue({ ...value, lineage: [{ generation: "1" }] })).toBeNull();
    // An unknown rule name is not passed on as a rule.
    expect(readEvolValue({ ...value, lineage: [{ generation: 1, mutation: "m", instruction: "i", eliminated: "bogus" }] })!.lineage[0]).not.toHaveProperty("eliminated");
  });

  it("counts per generation what evolved, was kept and was dropped by each rule, skipping failed records", () => {
    const other = { instruction: "A", seed: "A", lineage: [{ generation: 1, mutation: "concretize", instruction: "#Rewritten Prompt#: A", eliminated: "copied_phrase" }] };
    expect(evolStatsOf([value, other, null, "failed"])).toEqual([
      { generation: 1, evolved: 2, kept: 1, dropped: { copied_phrase: 1 } },
      { generation: 2, evolved: 1, kept: 0, dropped: { no_gain: 1 } },
    ]);
  });

  it("names mutations for display", () => {
    expect(mutationName("complicate_input")).toBe("Complicate the input");
    expect(mutationName("other")).toBe("other");
  });
});
