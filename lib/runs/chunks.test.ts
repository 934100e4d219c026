import { describe, expect, it } from "vitest";
import { chunkRanges, chunkSize, MAX_CHUNK, MIN_CHUNK, splitsAcrossWorkers } from "./chunks";

describe("chunkRanges", () => {
  it("covers every position exactly once, in order", () => {
    for (const n of [1, 24, 25, 26, 999, 3000, 10_001, 123_457]) {
      const ranges = chunkRanges(n);
      expect(ranges[0].start).toBe(0);
      expect(ranges.at(-1)!.end).toBe(n);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i].start).toBe(ranges[i - 1].end);
      for (const r of ranges) expect(r.end - r.start).toBeGreaterThan(0);
    }
  });
  it("cuts about a hundred chunks, between the bounds", () => {
    expect(chunkSize(10)).toBe(MIN_CHUNK);
    expect(chunkSize(3000)).toBe(30);
    expect(chunkRanges(3000)).toHaveLength(100);
    expect(chunkSize(10_000_000)).toBe(MAX_CHUNK);
  });
});

describe("splitsAcrossWorkers", () => {
  const plain = { target: null, regenerate: null, batch: false };
  const llm = { fields: [{ kind: "number" }, { kind: "llm" }, { kind: "judge" }] } as never;
  it("splits a plain run of per-record fields", () => {
    expect(splitsAcrossWorkers(plain, llm)).toBe(true);
  });
  it("keeps target, regenerate and batch runs on one worker", () => {
    expect(splitsAcrossWorkers({ ...plain, target: { good: 5, thresholds: {} } }, llm)).toBe(false);
    expect(splitsAcrossWorkers({ ...plain, regenerate: { field: "x", recordIds: [] } } as never, llm)).toBe(false);
    expect(splitsAcrossWorkers({ ...plain, batch: true }, llm)).toBe(false);
  });
  it("keeps Evol-Instruct and kinds it does not know on one worker", () => {
    expect(splitsAcrossWorkers(plain, { fields: [{ kind: "evolve" }] } as never)).toBe(false);
    expect(splitsAcrossWorkers(plain, { fields: [{ kind: "self-instruct" }] } as never)).toBe(false);
  });
});
