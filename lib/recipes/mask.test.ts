import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { ENTITY_TYPES, type EntityType, findEntities, luhnValid, maskEntities, maskTokens } from "./mask";

/** The labelled sample: plain text and the gold spans from `[[TYPE:text]]` markup. */
function loadSample() {
  const raw = fs.readFileSync(path.join(import.meta.dirname, "fixtures/masking-sample.txt"), "utf8");
  return raw
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((line) => {
      const gold: { type: EntityType; start: number; end: number }[] = [];
      let text = "";
      let at = 0;
      for (const m of line.matchAll(/\[\[([A-Z_]+):(.+?)\]\]/g)) {
        text += line.slice(at, m.index);
        gold.push({ type: m[1] as EntityType, start: text.length, end: text.length + m[2].length });
        text += m[2];
        at = m.index + m[0].length;
      }
      return { text: text + line.slice(at), gold };
    });
}

/** Precision and recall per type, a prediction counting only on the exact span and type. */
function scoreSample() {
  const sample = loadSample();
  const counts = Object.fromEntries(ENTITY_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<EntityType, { tp: number; fp: number; fn: number }>;
  for (const { text, gold } of sample) {
    const found = findEntities(text);
    const key = (e: { type: string; start: number; end: number }) => `${e.type}:${e.start}:${e.end}`;
    const goldKeys = new Set(gold.map(key));
    const foundKeys = new Set(found.map(key));
    for (const e of found) counts[e.type][goldKeys.has(key(e)) ? "tp" : "fp"]++;
    for (const e of gold) if (!foundKeys.has(key(e))) counts[e.type].fn++;
  }
  return {
    sentences: sample.length,
    perType: Object.fromEntries(
      ENTITY_TYPES.map((t) => {
        const { tp, fp, fn } = counts[t];
        return [t, { precision: tp / (tp + fp || 1), recall: tp / (tp + fn || 1), support: tp + fn }];
      }),
    ) as Record<EntityType, { precision: number; recall: number; support: number }>,
  };
}

// The floors stated in lib/recipes/README.md (measured figures there; these leave no slack
// beyond the one-entity granularity of a ~60-sentence sample).
const FLOORS: Record<EntityType, { precision: number; recall: number }> = {
  PERSON_NAME: { precision: 1, recall: 0.95 },
  EMAIL: { precision: 1, recall: 1 },
  PHONE: { precision: 1, recall: 1 },
  ADDRESS: { precision: 1, recall: 1 },
  CARD_NUMBER: { precision: 1, recall: 1 },
  DATE: { precision: 1, recall: 1 },
};

describe("masking on the labelled sample", () => {
  it("has at least 50 sentences and every entity type", () => {
    const { sentences, perType } = scoreSample();
    expect(sentences).toBeGreaterThanOrEqual(50);
    for (const t of ENTITY_TYPES) expect(perType[t].support, t).toBeGreaterThanOrEqual(4);
  });

  it("keeps precision and recall per entity at or above the README's floors", () => {
    const { perType } = scoreSample();
    for (const t of ENTITY_TYPES) {
      expect(perType[t].precision, `${t} precision`).toBeGreaterThanOrEqual(FLOORS[t].precision);
      expect(perType[t].recall, `${t} recall`).toBeGreaterThanOrEqual(FLOORS[t].recall);
    }
  });
});

describe("maskEntities", () => {
  it("replaces each entity with its placeholder and leaves the rest alone", () => {
    expect(maskEntities("Contact Maria Lopez at maria@example.com or (555) 123-4567 before 2024-06-23.")).toBe(
      "Contact [PERSON_NAME] at [EMAIL] or [PHONE] before [DATE].",
    );
    expect(maskEntities("Card 4111 1111 1111 1111, ship to 12 Baker Street.")).toBe("Card [CARD_NUMBER], ship to [ADDRESS].");
  });

  it("masks only the chosen types", () => {
    expect(maskEntities("Emily wrote to emily@example.com", new Set(["EMAIL"]))).toBe("Emily wrote to [EMAIL]");
  });

  it("does not take a digit run that fails Luhn for a card", () => {
    expect(luhnValid("4111 1111 1111 1111")).toBe(true);
    expect(luhnValid("4111 1111 1111 1112")).toBe(false);
    expect(luhnValid("0")).toBe(false);
    expect(maskEntities("Order 4111 1111 1111 1112 shipped.")).toBe("Order 4111 1111 1111 1112 shipped.");
  });
});

describe("maskTokens", () => {
  it("masks round(rate × tokens) tokens, seeded, keeping spacing and returning the targets", () => {
    const text = "the quick  brown fox\njumps over the lazy dog";
    const a = maskTokens(text, 0.3, mulberry32(5));
    expect(a).toEqual(maskTokens(text, 0.3, mulberry32(5)));
    expect(a.targets).toHaveLength(3);
    const tokens = text.split(/\s+/);
    for (const t of a.targets) expect(tokens[t.index]).toBe(t.token);
    // Putting the targets back gives the original text.
    const pieces = a.masked.split(/(\s+)/);
    let k = 0;
    const restored = pieces.map((p, i) => (i % 2 === 0 && p === "[MASK]" ? a.targets[k++].token : p)).join("");
    expect(restored).toBe(text);
    expect(a.masked).toContain("  ");
    expect(a.masked).toContain("\n");
  });

  it("covers the whole range and refuses rates outside it", () => {
    expect(maskTokens("a b c", 0, mulberry32(1))).toEqual({ masked: "a b c", targets: [] });
    expect(maskTokens("a b c", 1, mulberry32(1)).masked).toBe("[MASK] [MASK] [MASK]");
    expect(maskTokens("", 0.5, mulberry32(1))).toEqual({ masked: "", targets: [] });
    expect(() => maskTokens("a", 1.5, mulberry32(1))).toThrow(/between 0 and 1/);
  });

  it("draws each token about equally often over many seeds", () => {
    const hits = new Array(10).fill(0);
    for (let s = 0; s < 2000; s++) for (const t of maskTokens("0 1 2 3 4 5 6 7 8 9", 0.2, mulberry32(s)).targets) hits[t.index]++;
    for (const h of hits) expect(h).toBeGreaterThan(300); // expected 400
  });
});
