import { describe, expect, it } from "vitest";
import { ContaminationIndex, ngramKeys } from "./contamination";

const REF = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did she sell?";

describe("contamination", () => {
  it("makes one 13-gram per window of 13 words, none for shorter texts", () => {
    expect(ngramKeys("one two three")).toHaveLength(0);
    expect(ngramKeys(Array.from({ length: 15 }, (_, i) => `w${i}`).join(" "))).toHaveLength(3);
  });
  it("flags a record that shares 13 words with the reference, after normalisation", () => {
    const idx = new ContaminationIndex();
    idx.add(REF);
    expect(idx.overlap("Question: natalia SOLD clips to 48 of her friends in april and then she sold half... answer?")).toBeGreaterThan(0);
    // Twelve shared words in a row is not enough.
    expect(idx.overlap("Natalia sold clips to 48 of her friends in April, and then they bought some.")).toBe(0);
    expect(idx.overlap("A different question about trains leaving a station at noon and at one in the afternoon.")).toBe(0);
  });
});
