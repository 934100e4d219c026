import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { deleteWords, insertWords, perturbDates, perturbNumbers, replaceSynonyms, shuffleSentences, swapWords } from "./transforms";

const TEXT = "The big dog was happy.  It ran fast to the old house!";
const sorted = (s: string) => s.split(/\s+/).filter(Boolean).sort();

describe("replaceSynonyms", () => {
  it("replaces listed words only, keeping case, punctuation and spacing; seeded", () => {
    const out = replaceSynonyms(TEXT, 1, mulberry32(1));
    expect(out).toBe(replaceSynonyms(TEXT, 1, mulberry32(1)));
    const [a, b] = [TEXT.split(/(\s+)/), out.split(/(\s+)/)];
    expect(b).toHaveLength(a.length);
    expect(b[2]).not.toBe("big");
    expect(["large", "huge"]).toContain(b[2]);
    expect(b[8]).toMatch(/^(glad|cheerful)\.$/);
    expect(b[0]).toBe("The");
    expect(out).toContain(".  It");
  });

  it("changes nothing at rate 0 and about rate × the listed words otherwise", () => {
    expect(replaceSynonyms(TEXT, 0, mulberry32(1))).toBe(TEXT);
    let changed = 0;
    for (let s = 0; s < 500; s++) changed += replaceSynonyms("big big big big", 0.25, mulberry32(s)).split(" ").filter((w) => w !== "big").length;
    expect(changed / 2000).toBeGreaterThan(0.2);
    expect(changed / 2000).toBeLessThan(0.3);
  });

  it("keeps an all-capitals word in capitals", () => {
    expect(replaceSynonyms("BIG", 1, mulberry32(3))).toMatch(/^(LARGE|HUGE)$/);
  });
});

describe("word insertion, deletion and swap", () => {
  it("inserts round(rate × words) synonyms of the text's own words", () => {
    const out = insertWords("the big dog", 0.67, mulberry32(2));
    const added = out.split(" ").filter((w) => !["the", "big", "dog"].includes(w));
    expect(added).toHaveLength(2);
    for (const w of added) expect(["large", "huge"]).toContain(w);
    expect(insertWords("no listed word here", 1, mulberry32(2))).toBe("no listed word here");
  });

  it("deletes about rate × words, never all of them", () => {
    expect(deleteWords(TEXT, 0, mulberry32(1))).toBe(TEXT.replace(/\s+/g, " "));
    expect(deleteWords(TEXT, 1, mulberry32(1)).split(" ")).toHaveLength(1);
    let kept = 0;
    for (let s = 0; s < 300; s++) kept += deleteWords("a b c d e f g h i j", 0.3, mulberry32(s)).split(" ").length;
    expect(kept / 3000).toBeGreaterThan(0.65);
    expect(kept / 3000).toBeLessThan(0.75);
  });

  it("swaps words without adding or losing any", () => {
    const out = swapWords(TEXT, 0.5, mulberry32(4));
    expect(sorted(out)).toEqual(sorted(TEXT));
    expect(out).not.toBe(TEXT.replace(/\s+/g, " "));
    expect(swapWords("one", 1, mulberry32(4))).toBe("one");
  });

  it("refuses rates outside 0-1", () => {
    for (const f of [replaceSynonyms, insertWords, deleteWords, swapWords, shuffleSentences]) {
      expect(() => f("a", -0.1, mulberry32(1))).toThrow(/between 0 and 1/);
      expect(() => f("a", 2, mulberry32(1))).toThrow(/between 0 and 1/);
    }
  });
});

describe("shuffleSentences", () => {
  const text = "One. Two! Three? Four. Five.";
  it("keeps every sentence, moves them at rate 1 and none at rate 0", () => {
    expect(shuffleSentences(text, 0, mulberry32(1))).toBe(text);
    const outs = new Set(Array.from({ length: 20 }, (_, s) => shuffleSentences(text, 1, mulberry32(s))));
    expect(outs.size).toBeGreaterThan(5);
    for (const o of outs) expect(o.split(" ").sort()).toEqual(text.split(" ").sort());
  });
});

describe("perturbation", () => {
  it("moves numbers within the relative range, keeping decimals and separators", () => {
    for (let s = 0; s < 200; s++) {
      const out = perturbNumbers("Price 19.99, qty 1,250 and -40 on 2024-03-15.", 0.1, mulberry32(s));
      const m = /^Price (\d+\.\d\d), qty (\d{1,3}(?:,\d{3})*|\d{1,3}) and (-\d+) on 2024-03-15\.$/.exec(out);
      expect(m, out).not.toBeNull();
      const [price, qty, neg] = [Number(m![1]), Number(m![2].replace(/,/g, "")), Number(m![3])];
      expect(price).toBeGreaterThanOrEqual(17.99 - 0.005);
      expect(price).toBeLessThanOrEqual(21.99 + 0.005);
      expect(qty).toBeGreaterThanOrEqual(1125);
      expect(qty).toBeLessThanOrEqual(1375);
      expect(neg).toBeLessThanOrEqual(-36);
      expect(neg).toBeGreaterThanOrEqual(-44);
    }
    expect(perturbNumbers("19.99", 0, mulberry32(1))).toBe("19.99");
  });

  it("moves ISO dates by at most maxDays, across month ends, and skips impossible dates", () => {
    const seen = new Set<string>();
    for (let s = 0; s < 300; s++) {
      const out = perturbDates("due 2024-02-28", 3, mulberry32(s));
      const d = out.slice(4);
      const days = (Date.parse(d) - Date.parse("2024-02-28")) / 86_400_000;
      expect(Math.abs(days)).toBeLessThanOrEqual(3);
      seen.add(d);
    }
    expect(seen.size).toBe(7);
    expect(seen.has("2024-03-02")).toBe(true);
    expect(perturbDates("2024-02-31", 3, mulberry32(1))).toBe("2024-02-31");
    expect(() => perturbDates("x", 1.5, mulberry32(1))).toThrow(/whole number/);
  });
});
