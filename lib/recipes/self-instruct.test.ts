import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { RougeLPool } from "./rouge-filter";
import {
  blockedTerm,
  DEFAULT_MIX,
  filterPoolRound,
  filterRound,
  isSaturated,
  judgedRounds,
  pickPoolExamples,
  planRound,
  validatePoolInput,
  type PoolItem,
} from "./self-instruct";

const humans: PoolItem[] = Array.from({ length: 10 }, (_, i) => ({ id: `h${i}`, instruction: `human task ${i}`, origin: "human" }));
const generated = (n: number): PoolItem[] => Array.from({ length: n }, (_, i) => ({ id: `g${i}`, instruction: `generated task ${i}`, origin: "generated" }));

describe("pickPoolExamples", () => {
  it("shows 6 human and 2 generated items by default, humans first, all distinct", () => {
    const picked = pickPoolExamples([...generated(5), ...humans], DEFAULT_MIX, mulberry32(1));
    expect(picked.map((p) => p.origin)).toEqual(["human", "human", "human", "human", "human", "human", "generated", "generated"]);
    expect(new Set(picked.map((p) => p.id)).size).toBe(8);
  });

  it("shows fewer generated items while the pool has fewer, and does not pad with humans", () => {
    expect(pickPoolExamples(humans, DEFAULT_MIX, mulberry32(2)).map((p) => p.origin)).toEqual(Array(6).fill("human"));
    const one = pickPoolExamples([...humans, ...generated(1)], DEFAULT_MIX, mulberry32(3));
    expect(one.filter((p) => p.origin === "generated").map((p) => p.id)).toEqual(["g0"]);
    expect(one).toHaveLength(7);
  });

  it("is deterministic for a seed and varies across seeds", () => {
    const pool = [...humans, ...generated(6)];
    const ids = (seed: number) => pickPoolExamples(pool, DEFAULT_MIX, mulberry32(seed)).map((p) => p.id).join();
    expect(ids(7)).toBe(ids(7));
    expect(new Set([1, 2, 3, 4, 5].map(ids)).size).toBeGreaterThan(1);
  });
});

describe("validatePoolInput", () => {
  it("rejects a pool smaller than the human share of a prompt", () => {
    expect(validatePoolInput(5, DEFAULT_MIX)).toMatch(/5 seed instructions; each prompt shows 6/);
    expect(validatePoolInput(6, DEFAULT_MIX)).toBeNull();
    expect(validatePoolInput(3, { human: 0, generated: 2 })).toMatch(/at least 1 human/);
  });
});

describe("planRound", () => {
  it("asks for a full round, the gap to the target, or what the budget allows", () => {
    expect(planRound({ poolSize: 20, target: 200, perRound: 16, budgetLeft: null })).toEqual({ candidates: 16, reason: "grow" });
    expect(planRound({ poolSize: 195, target: 200, perRound: 16, budgetLeft: null })).toEqual({ candidates: 5, reason: "grow" });
    expect(planRound({ poolSize: 20, target: 200, perRound: 16, budgetLeft: 3 })).toEqual({ candidates: 3, reason: "grow" });
  });

  it("stops at the target or when the budget is spent", () => {
    expect(planRound({ poolSize: 200, target: 200, perRound: 16, budgetLeft: null }).reason).toBe("target-reached");
    expect(planRound({ poolSize: 201, target: 200, perRound: 16, budgetLeft: 10 }).candidates).toBe(0);
    expect(planRound({ poolSize: 20, target: 200, perRound: 16, budgetLeft: 0 })).toEqual({ candidates: 0, reason: "budget-spent" });
  });
});

describe("isSaturated", () => {
  const empty = { candidates: 8, kept: 0 };
  it("stops after five rounds in a row that kept nothing", () => {
    expect(isSaturated(Array(5).fill(empty))).toBe(true);
    expect(isSaturated([{ candidates: 8, kept: 3 }, ...Array(5).fill(empty)])).toBe(true);
  });
  it("does not stop after four, or when a round in the last five kept something", () => {
    expect(isSaturated(Array(4).fill(empty))).toBe(false);
    expect(isSaturated([empty, empty, { candidates: 8, kept: 1 }, empty, empty])).toBe(false);
    expect(isSaturated([...Array(4).fill(empty), { candidates: 0, kept: 0 }])).toBe(false);
  });
});

describe("filterRound", () => {
  it("rejects short, long and blocklisted candidates before scoring similarity", () => {
    const pool = new RougeLPool();
    const { outcomes, stats } = filterRound(pool, [
      "Too short here",
      "word ".repeat(151).trim(),
      "Draw a picture of a cat sitting on a mat",
      "Go to the store and describe what you see there",
      "Write a haiku about the first snow of winter",
    ]);
    expect(outcomes.map((o) => o.rejection?.validator ?? "kept")).toEqual(["word-count", "word-count", "blocklist", "blocklist", "kept"]);
    expect(stats).toEqual({ candidates: 5, kept: 1, rejected: { "word-count": 2, blocklist: 2, "similar-to-pool": 0 } });
    expect(pool.size).toBe(1);
  });

  it("matches the blocklist on whole words only", () => {
    expect(blockedTerm("Summarize the profile of this customer")).toBeNull();
    expect(blockedTerm("Explain how a mapping works")).toBeNull();
    expect(blockedTerm("Plot the sales by month")).toBe("plot");
    expect(blockedTerm("Please GO  TO the settings")).toBe("go to");
  });

  it("checks candidates against the pool and against those kept earlier in the round, with the closest match", () => {
    const pool = new RougeLPool();
    pool.add("Write a short poem about the sea at night");
    const { outcomes, stats } = filterRound(pool, [
      "Write a short poem about the sea at dawn",
      "List three ways to save water at home",
      "List three ways to save water in a home",
      "Explain why the sky looks blue during the day",
    ]);
    expect(outcomes[0].rejection).toEqual({ validator: "similar-to-pool", closest: "Write a short poem about the sea at night", score: expect.closeTo(0.889, 3) });
    expect(outcomes[1].kept).toBe(true);
    expect(outcomes[2].rejection).toMatchObject({ validator: "similar-to-pool", closest: "List three ways to save water at home" });
    expect(outcomes[3].kept).toBe(true);
    expect(stats.kept).toBe(2);
    expect(pool.size).toBe(3);
  });
});

describe("the recipe's seed pool", () => {
  it("has about 25 seeds, each of which passes the run's own filters against the others", async () => {
    const { SELF_INSTRUCT_SEEDS } = await import("./self-instruct-seeds");
    expect(SELF_INSTRUCT_SEEDS.length).toBeGreaterThanOrEqual(20);
    const { outcomes } = filterRound(new RougeLPool(), SELF_INSTRUCT_SEEDS);
    expect(outcomes.filter((o) => !o.kept)).toEqual([]);
  });
});

describe("filterPoolRound (a round over the blueprint's own validators)", () => {
  it("keeps the cheaper validators' verdicts, then checks the rest against the pool and the round's earlier kept ones, in order", () => {
    const pool = new RougeLPool();
    pool.add("Write a short poem about the sea at night");
    const { outcomes, counts } = filterPoolRound(
      pool,
      [
        { text: "Write a short poem about the sea at dawn", rejectedBy: null },
        { text: "Draw a map", rejectedBy: "word_count" },
        { text: null, rejectedBy: null },
        { text: "List three ways to save water at home", rejectedBy: null },
        { text: "List three ways to save water in a home", rejectedBy: null },
        // A cheaper validator's rejection stands even for a text that would have been novel.
        { text: "Explain why the sky looks blue during the day", rejectedBy: "blocklist" },
      ],
      "novel",
    );
    expect(outcomes).toEqual([
      { kind: "similar", by: "novel", closest: "Write a short poem about the sea at night", score: expect.closeTo(0.889, 3) },
      { kind: "rejected", by: "word_count" },
      { kind: "failed" },
      { kind: "kept" },
      { kind: "similar", by: "novel", closest: "List three ways to save water at home", score: expect.closeTo(0.824, 3) },
      { kind: "rejected", by: "blocklist" },
    ]);
    expect(counts).toEqual({ candidates: 6, kept: 1, failed: 1, rejected: { novel: 2, word_count: 1, blocklist: 1 } });
    expect(pool.size).toBe(2);
  });

  it("counts failed records out of saturation: a round of failed calls is an outage, not a full pool", () => {
    const round = (candidates: number, kept: number, failed: number) => ({ round: 1, candidates, kept, failed, rejected: {}, closest: null });
    expect(isSaturated(judgedRounds(Array(5).fill(round(4, 0, 4))))).toBe(false);
    expect(isSaturated(judgedRounds(Array(5).fill(round(4, 0, 1))))).toBe(true);
  });
});
