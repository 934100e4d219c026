import { describe, expect, it } from "vitest";
import { batchPrices, costUsd, DEFAULT_PRICES, estimateRunCost, priceFor, type PriceTable } from "./prices";

describe("priceFor", () => {
  it.each([
    ["gpt-4o-mini", 0.15, 0.6],
    ["gpt-4o-mini-2024-07-18", 0.15, 0.6],
    ["gpt-4o", 2.5, 10],
    ["gpt-4o-2024-08-06", 2.5, 10],
    ["gpt-4o-2024-05-13", 5, 15],
    ["gpt-4.1", 2, 8],
    ["gpt-4.1-mini-2025-04-14", 0.4, 1.6],
    ["gpt-4.1-nano", 0.1, 0.4],
    ["o3-mini", 1.1, 4.4],
    ["o3-mini-2025-01-31", 1.1, 4.4],
    ["gpt-3.5-turbo", 0.5, 1.5],
    ["gpt-3.5-turbo-0125", 0.5, 1.5],
    ["gpt-4-0613", 30, 60],
    ["gpt-4-1106-preview", 10, 30],
    ["gpt-4-turbo-2024-04-09", 10, 30],
    ["gpt-4o-mini-search-preview", 0.15, 0.6],
    ["GPT-4o-Mini", 0.15, 0.6],
    ["openai/gpt-4o", 2.5, 10],
    ["ft:gpt-4o-mini-2024-07-18:acme::abc123", 0.3, 1.2],
    ["llama3.1:8b", 0, 0],
    ["qwen2.5-coder:7b", 0, 0],
    ["mistral", 0, 0],
  ])("%s -> %d / %d", (model, input, output) => {
    expect(priceFor(model, DEFAULT_PRICES)).toEqual({ input: input, output: output });
  });

  it.each(["claude-3-5-sonnet", "gpt-4.2-preview", "o10", "gpt", "constructor", "toString", ""])("%j is unknown", (model) => {
    expect(priceFor(model, DEFAULT_PRICES)).toBeUndefined();
  });

  it("uses the user's table, exact names first", () => {
    const table: PriceTable = { "my-model": { input: 1, output: 2 }, "gpt-4o-mini-2024-07-18": { input: 9, output: 9 } };
    expect(priceFor("my-model", table)).toEqual({ input: 1, output: 2 });
    expect(priceFor("my-model:latest", table)).toEqual({ input: 1, output: 2 });
    expect(priceFor("gpt-4o-mini-2024-07-18", table)?.input).toBe(9);
    expect(priceFor("gpt-4o-mini", table)).toBeUndefined();
  });

  it("an ft: model without its own entry falls back to its base price", () => {
    expect(priceFor("ft:o4-mini-2025-04-16:acme::x", DEFAULT_PRICES)).toEqual({ input: 1.1, output: 4.4 });
  });
});

describe("costUsd", () => {
  it("prices per million tokens", () => {
    expect(costUsd(1_000_000, 1_000_000, { input: 0.15, output: 0.6 })).toBeCloseTo(0.75, 12);
    expect(costUsd(1000, 500, { input: 2.5, output: 10 })).toBeCloseTo(0.0075, 12);
    expect(costUsd(0, 0, { input: 5, output: 5 })).toBe(0);
    expect(costUsd(1000, 1000, undefined)).toBe(0);
  });

  it("reproduces the seed document's example: 1B tokens at $0.002 per 1k tokens = $2000", () => {
    const price = { input: 0.002 * 1000, output: 0.002 * 1000 };
    expect(costUsd(1_000_000_000, 0, price)).toBe(2000);
    expect(costUsd(400_000_000, 600_000_000, price)).toBe(2000);
    const run = estimateRunCost({ perRecordSamples: [{ model: "x", tokensIn: 600, tokensOut: 400 }], records: 1_000_000, prices: { x: price } });
    expect(run).toMatchObject({ tokensIn: 600_000_000, tokensOut: 400_000_000, costUsd: 2000, exact: true, unknownModels: [] });
  });
});

describe("estimateRunCost", () => {
  it("extrapolates the mean per sampled record", () => {
    const est = estimateRunCost({
      perRecordSamples: [
        { model: "gpt-4o-mini", tokensIn: 100, tokensOut: 200 },
        { model: "gpt-4o-mini", tokensIn: 300, tokensOut: 400 },
      ],
      records: 1000,
      prices: DEFAULT_PRICES,
    });
    expect(est.tokensIn).toBe(200_000);
    expect(est.tokensOut).toBe(300_000);
    expect(est.costUsd).toBeCloseTo((200_000 * 0.15 + 300_000 * 0.6) / 1e6, 12);
    expect(est.exact).toBe(true);
  });

  it("groups calls by record when a record calls several fields or models", () => {
    const est = estimateRunCost({
      perRecordSamples: [
        { record: 0, model: "gpt-4o-mini", tokensIn: 100, tokensOut: 100 },
        { record: 0, model: "gpt-4o", tokensIn: 50, tokensOut: 10 },
        { record: 1, model: "gpt-4o-mini", tokensIn: 300, tokensOut: 100 },
        { record: 1, model: "gpt-4o", tokensIn: 150, tokensOut: 30 },
      ],
      records: 10,
    });
    expect(est.byModel).toEqual([
      { model: "gpt-4o-mini", tokensIn: 2000, tokensOut: 1000, costUsd: (2000 * 0.15 + 1000 * 0.6) / 1e6 },
      { model: "gpt-4o", tokensIn: 1000, tokensOut: 200, costUsd: (1000 * 2.5 + 200 * 10) / 1e6 },
    ]);
    expect(est.tokensIn).toBe(3000);
    expect(estimateRunCost({ perRecordSamples: [{ model: "gpt-4o", tokensIn: 10, tokensOut: 0 }], records: 10, sampledRecords: 5 }).tokensIn).toBe(20);
  });

  it("lists unknown models, leaves their cost out and is then not exact", () => {
    const est = estimateRunCost({
      perRecordSamples: [
        { model: "gpt-4o-mini", tokensIn: 1000, tokensOut: 0 },
        { model: "mystery-model", tokensIn: 1000, tokensOut: 1000 },
      ],
      records: 2,
      prices: DEFAULT_PRICES,
    });
    expect(est.unknownModels).toEqual(["mystery-model"]);
    expect(est.exact).toBe(false);
    expect(est.costUsd).toBeCloseTo((1000 * 0.15) / 1e6, 12);
    expect(est.byModel[1].costUsd).toBeNull();
  });

  it("is not exact when token counts were estimated", () => {
    expect(estimateRunCost({ perRecordSamples: [{ model: "llama3.1:8b", tokensIn: 10, tokensOut: 10, exact: false }], records: 5 })).toMatchObject({
      exact: false,
      costUsd: 0,
      unknownModels: [],
    });
  });

  it("is zero without samples or records", () => {
    expect(estimateRunCost({ perRecordSamples: [], records: 100 })).toMatchObject({ tokensIn: 0, costUsd: 0, exact: true });
    expect(estimateRunCost({ perRecordSamples: [{ model: "gpt-4o", tokensIn: 1, tokensOut: 1 }], records: 0 }).tokensIn).toBe(0);
  });
});

describe("batchPrices", () => {
  it("halves every price, and snapshots still resolve to their base model at the batch price", () => {
    const batch = batchPrices(DEFAULT_PRICES);
    expect(priceFor("gpt-4o-mini", batch)).toEqual({ input: 0.075, output: 0.3 });
    expect(priceFor("gpt-4o-mini-2024-07-18", batch)).toEqual({ input: 0.075, output: 0.3 });
    const calls = { perRecordSamples: [{ model: "gpt-4o", tokensIn: 1000, tokensOut: 500 }], sampledRecords: 1, records: 100 };
    expect(estimateRunCost({ ...calls, prices: batch }).costUsd).toBeCloseTo(estimateRunCost({ ...calls, prices: DEFAULT_PRICES }).costUsd / 2, 12);
  });
});
