// Model prices and run cost estimates. DEFAULT_PRICES seeds the user-editable ModelPrice
// table; lookups then go through whatever table the user has. Prices are USD per
// million tokens, the unit providers publish, so they can be compared at a glance.

/** USD per million tokens (the ModelPrice table's inputPerMTok / outputPerMTok). */
export interface Price {
  input: number;
  output: number;
}

export type PriceTable = Readonly<Record<string, Price>>;

const p = (input: number, output: number): Price => ({ input, output });

/**
 * Standard (non-batch, uncached) text prices as published by OpenAI. Dated snapshots
 * resolve to their base name unless listed (gpt-4o-2024-05-13 cost more than gpt-4o).
 * Open-weight families are listed at 0 because they usually run on a local server
 * (Ollama, vLLM); users running them on a paid host edit the table.
 */
export const DEFAULT_PRICES: PriceTable = Object.freeze({
  "gpt-4o-mini": p(0.15, 0.6),
  "gpt-4o": p(2.5, 10),
  "gpt-4o-2024-05-13": p(5, 15),
  "chatgpt-4o-latest": p(5, 15),
  "gpt-4.1": p(2, 8),
  "gpt-4.1-mini": p(0.4, 1.6),
  "gpt-4.1-nano": p(0.1, 0.4),
  "gpt-4.5-preview": p(75, 150),
  "gpt-5": p(1.25, 10),
  "gpt-5-mini": p(0.25, 2),
  "gpt-5-nano": p(0.05, 0.4),
  o1: p(15, 60),
  "o1-mini": p(1.1, 4.4),
  "o1-pro": p(150, 600),
  o3: p(2, 8),
  "o3-mini": p(1.1, 4.4),
  "o3-pro": p(20, 80),
  "o4-mini": p(1.1, 4.4),
  "gpt-4-turbo": p(10, 30),
  "gpt-4-1106-preview": p(10, 30),
  "gpt-4-0125-preview": p(10, 30),
  "gpt-4-vision-preview": p(10, 30),
  "gpt-4": p(30, 60),
  "gpt-4-32k": p(60, 120),
  "gpt-3.5-turbo": p(0.5, 1.5),
  // Fine-tuned models are billed at their own rates.
  "ft:gpt-4o-mini": p(0.3, 1.2),
  "ft:gpt-4o": p(3.75, 15),
  "ft:gpt-4.1": p(3, 12),
  "ft:gpt-4.1-mini": p(0.8, 3.2),
  "ft:gpt-4.1-nano": p(0.2, 0.8),
  "ft:gpt-3.5-turbo": p(3, 6),
  // Local / open-weight.
  llama: p(0, 0),
  "llama2": p(0, 0),
  "llama3": p(0, 0),
  "llama3.1": p(0, 0),
  "llama3.2": p(0, 0),
  "llama3.3": p(0, 0),
  mistral: p(0, 0),
  mixtral: p(0, 0),
  qwen: p(0, 0),
  "qwen2": p(0, 0),
  "qwen2.5": p(0, 0),
  "qwen3": p(0, 0),
  gemma: p(0, 0),
  "gemma2": p(0, 0),
  "gemma3": p(0, 0),
  phi3: p(0, 0),
  phi4: p(0, 0),
  "deepseek-r1": p(0, 0),
  "gpt-oss": p(0, 0),
});

const DATE_SUFFIX = /-(\d{4}-\d{2}-\d{2}|\d{4})$/;

/** "Same model, more specific name": the next character after a prefix ends a name part. */
function isBoundary(ch: string | undefined): boolean {
  return ch === undefined || ch === "-" || ch === ":" || ch === "@" || ch === "_";
}

/**
 * The price of a model: an exact entry, else the name without a date suffix
 * (gpt-4o-mini-2024-07-18 → gpt-4o-mini, gpt-4-0613 → gpt-4), else the longest entry
 * that is a prefix ending at a name boundary (gpt-4o-mini-search → gpt-4o-mini,
 * llama3.1:8b → llama3.1). A provider prefix ("openai/") and case are ignored. A
 * fine-tune ("ft:gpt-4o-mini-2024-07-18:org::id") uses its "ft:" entry, else its base
 * model's price. Undefined when nothing matches.
 */
export function priceFor(model: string, table: PriceTable = DEFAULT_PRICES): Price | undefined {
  const exact = own(table, model);
  if (exact) return exact;
  let name = model.trim().toLowerCase();
  if (name.startsWith("openai/")) name = name.slice("openai/".length);
  if (name.startsWith("ft:")) {
    // ft:<base>:<org>:<suffix>:<id>
    const base = name.slice(3).split(":")[0];
    return lookup(`ft:${base}`, table) ?? lookup(base, table);
  }
  return lookup(name, table);
}

function own(table: PriceTable, key: string): Price | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function lookup(name: string, table: PriceTable): Price | undefined {
  const direct = own(table, name);
  if (direct) return direct;
  const undated = name.replace(DATE_SUFFIX, "");
  if (undated !== name && own(table, undated)) return own(table, undated);
  let best: string | undefined;
  for (const key of Object.keys(table)) {
    const k = key.toLowerCase();
    if (k.length > name.length || (best !== undefined && k.length <= best.length)) continue;
    if (name.startsWith(k) && isBoundary(name[k.length])) best = key;
  }
  return best === undefined ? undefined : table[best];
}

/** USD for the given token counts; 0 for an unknown price (priceFor says which models have none). */
export function costUsd(tokensIn: number, tokensOut: number, price: Price | undefined | null): number {
  if (!price) return 0;
  return (tokensIn * price.input + tokensOut * price.output) / 1_000_000;
}

export interface CallSample {
  model: string;
  tokensIn: number;
  tokensOut: number;
  /** Which sampled record the call belongs to (records with several LLM fields make several calls). */
  record?: number | string;
  /** False when tokensIn was estimated (countChatTokens for a non-OpenAI model). Default true. */
  exact?: boolean;
}

export interface RunCostEstimate {
  tokensIn: number;
  tokensOut: number;
  /** Known models only; see unknownModels. */
  costUsd: number;
  /** False when any model is unpriced or any input count is an estimate. Output tokens are always assumed. */
  exact: boolean;
  unknownModels: string[];
  byModel: { model: string; tokensIn: number; tokensOut: number; costUsd: number | null }[];
}

/**
 * Extrapolates a run's tokens and cost from calls rendered for a sample of records:
 * mean per sampled record × `records`. The number of sampled records is `sampledRecords`
 * if given, else the number of distinct `record` values, else one call per record.
 */
export function estimateRunCost(input: {
  perRecordSamples: readonly CallSample[];
  records: number;
  prices?: PriceTable;
  sampledRecords?: number;
}): RunCostEstimate {
  const { perRecordSamples: samples, records } = input;
  const prices = input.prices ?? DEFAULT_PRICES;
  const empty: RunCostEstimate = { tokensIn: 0, tokensOut: 0, costUsd: 0, exact: true, unknownModels: [], byModel: [] };
  if (samples.length === 0 || !(records > 0)) return empty;

  let sampled = input.sampledRecords;
  if (sampled === undefined) {
    const keys = new Set<number | string>();
    let keyed = false;
    for (const s of samples) {
      if (s.record !== undefined) {
        keyed = true;
        keys.add(s.record);
      }
    }
    sampled = keyed ? keys.size : samples.length;
  }
  if (!(sampled > 0)) return empty;
  const scale = records / sampled;

  const perModel = new Map<string, { tokensIn: number; tokensOut: number }>();
  let exact = true;
  for (const s of samples) {
    const m = perModel.get(s.model) ?? { tokensIn: 0, tokensOut: 0 };
    m.tokensIn += s.tokensIn;
    m.tokensOut += s.tokensOut;
    perModel.set(s.model, m);
    if (s.exact === false) exact = false;
  }

  const out: RunCostEstimate = { ...empty, exact };
  for (const [model, t] of perModel) {
    const tokensIn = Math.round(t.tokensIn * scale);
    const tokensOut = Math.round(t.tokensOut * scale);
    const price = priceFor(model, prices);
    const cost = price ? costUsd(tokensIn, tokensOut, price) : null;
    out.tokensIn += tokensIn;
    out.tokensOut += tokensOut;
    if (cost === null) {
      out.unknownModels.push(model);
      out.exact = false;
    } else {
      out.costUsd += cost;
    }
    out.byModel.push({ model, tokensIn, tokensOut, costUsd: cost });
  }
  return out;
}

/** Batch APIs (OpenAI's, and those copying it) charge half the online price for both directions. */
export const BATCH_PRICE_FACTOR = 0.5;

/** The price of a request sent through a provider's Batch API. */
export function batchPrice(price: Price | undefined | null): Price | undefined {
  return price ? { input: price.input * BATCH_PRICE_FACTOR, output: price.output * BATCH_PRICE_FACTOR } : undefined;
}

/** The whole table at batch prices (the run estimate of a batch-mode run). */
export function batchPrices(table: PriceTable): PriceTable {
  return Object.fromEntries(Object.entries(table).map(([model, price]) => [model, batchPrice(price)!]));
}
