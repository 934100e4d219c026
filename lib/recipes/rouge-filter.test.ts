import { describe, expect, it } from "vitest";
import { mulberry32, type Rng } from "@/lib/blueprints/rng";
import { bruteForceDecision, lcsDynamic, RougeLPool, rougeTokens } from "./rouge-filter";

function randomText(rng: Rng, vocab: string[], maxLen: number): string {
  const n = Math.floor(rng() * (maxLen + 1));
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    // Skewed towards the first words so repeats and near-duplicates are common.
    const r = rng();
    words.push(vocab[Math.floor(r * r * vocab.length)]);
  }
  return words.join(rng() < 0.5 ? " " : ", ");
}

/** A variant of a text with a few words changed, dropped or added: the near-duplicates. */
function mutate(rng: Rng, text: string, vocab: string[]): string {
  const words = text.split(/[ ,]+/).filter(Boolean);
  const edits = 1 + Math.floor(rng() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rng() * (words.length + 1));
    const op = rng();
    if (op < 0.33) words.splice(at, 1);
    else if (op < 0.66) words.splice(at, 0, vocab[Math.floor(rng() * vocab.length)]);
    else if (at < words.length) words[at] = vocab[Math.floor(rng() * vocab.length)];
  }
  return words.join(" ");
}

function checkAgainstBruteForce(seed: number, opts: { vocab: number; maxLen: number; rounds: number }) {
  const rng = mulberry32(seed);
  const vocab = Array.from({ length: opts.vocab }, (_, i) => `w${i}`);
  const pool = new RougeLPool();
  const texts: string[] = [];
  let rejected = 0;
  for (let i = 0; i < opts.rounds; i++) {
    const text = texts.length > 0 && rng() < 0.5 ? mutate(rng, texts[Math.floor(rng() * texts.length)], vocab) : randomText(rng, vocab, opts.maxLen);
    const got = pool.check(text);
    const want = bruteForceDecision(texts, text);
    expect({ accepted: got.accepted, closest: got.closest }, `seed ${seed}, candidate ${i}: ${JSON.stringify(text)}`).toEqual(want);
    if (got.accepted) {
      pool.add(text);
      texts.push(text);
    } else rejected++;
  }
  return { rejected, accepted: texts.length };
}

describe("rougeTokens", () => {
  it("lowercases and splits on anything but ASCII letters and digits, like rouge_score", () => {
    expect(rougeTokens("Write a C++ function: sort_list(x)!")).toEqual(["write", "a", "c", "function", "sort", "list", "x"]);
    expect(rougeTokens("Café au lait")).toEqual(["caf", "au", "lait"]);
    expect(rougeTokens("  ... ")).toEqual([]);
  });
});

describe("RougeLPool", () => {
  it("decides exactly like brute force on random growing pools (both ways, closest member and score)", () => {
    let rejected = 0;
    let accepted = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const r = checkAgainstBruteForce(seed, { vocab: 8 + (seed % 5) * 10, maxLen: seed % 3 === 0 ? 80 : 14, rounds: 150 });
      rejected += r.rejected;
      accepted += r.accepted;
    }
    // Both outcomes are exercised, so agreement is not vacuous.
    expect(rejected).toBeGreaterThan(500);
    expect(accepted).toBeGreaterThan(500);
    // A limit against a hang: the brute force takes ~3 s idle, several times that under load.
  }, 60_000);

  it("stays exact across index rebuilds (the pool doubling re-ranks tokens)", () => {
    checkAgainstBruteForce(99, { vocab: 30, maxLen: 20, rounds: 700 });
  }, 60_000);

  it("accepts anything into an empty pool and an empty candidate anywhere", () => {
    const pool = new RougeLPool();
    expect(pool.check("Write a poem about the sea.")).toEqual({ accepted: true, closest: null, scored: 0 });
    pool.add("Write a poem about the sea.");
    pool.add("");
    expect(pool.check("").accepted).toBe(true);
    expect(pool.check("!!!").accepted).toBe(true);
  });

  it("rejects a duplicate with score 1 and names the earliest of equal matches", () => {
    const pool = new RougeLPool();
    pool.add("Give three tips for staying healthy.");
    pool.add("give three TIPS for staying healthy!");
    expect(pool.check("Give three tips for staying healthy")).toMatchObject({
      accepted: false,
      closest: { index: 0, text: "Give three tips for staying healthy.", score: 1 },
    });
  });

  it("counts repeated tokens once per occurrence", () => {
    const pool = new RougeLPool();
    pool.add("the the the the the the the the the the");
    // Overlap is 3 of 10 + 3: F1 = 6/13 ≈ 0.46, although every token is shared.
    expect(pool.check("the the the").accepted).toBe(true);
    // 8 of 10 + 8: F1 = 16/18 ≈ 0.89.
    expect(pool.check("the the the the the the the the").closest?.score).toBeCloseTo(16 / 18, 12);
  });

  it("treats F1 exactly 0.7 as not above the threshold", () => {
    const pool = new RougeLPool();
    pool.add("a b c d e f g h i j"); // 10 tokens
    // lcs 7 of 10 + 10 → F1 = 14/20 = 0.7 exactly: kept.
    expect(pool.check("a b c d e f g x y z").accepted).toBe(true);
    // lcs 8 → 0.8: rejected.
    expect(pool.check("a b c d e f g h y z").accepted).toBe(false);
  });

  it("scores order, not just shared words (LCS, not overlap)", () => {
    const pool = new RougeLPool();
    pool.add("one two three four five six seven eight nine ten");
    // Same bag reversed: overlap 10 but LCS 1.
    expect(pool.check("ten nine eight seven six five four three two one").accepted).toBe(true);
  });

  it("computes LCS over more than 32 tokens (several machine words)", () => {
    const long = Array.from({ length: 75 }, (_, i) => `t${i % 40}`).join(" ");
    const pool = new RougeLPool();
    pool.add(long);
    const variant = long.replace("t3 ", "").replace("t20 ", "x ");
    const d = pool.check(variant);
    expect(d.closest?.score).toBeCloseTo((2 * lcsDynamic(rougeTokens(variant), rougeTokens(long))) / (75 + rougeTokens(variant).length), 12);
  });
});

describe("RougeLPool with very long members", () => {
  it("still finds members of 1,024 tokens or more (kept outside the length buckets)", () => {
    const long = Array.from({ length: 1100 }, (_, i) => `w${i}`).join(" ");
    const pool = new RougeLPool();
    pool.add("short one here");
    pool.add(long);
    const d = pool.check(long.replace("w5 ", ""));
    expect(d).toMatchObject({ accepted: false, closest: { index: 1 } });
  });
});
