// The built-in prices in the shape of the ModelPrice table. The single source of the
// numbers is lib/generation/prices.ts; users override them in Settings → Providers.
import { DEFAULT_PRICES as TABLE } from "@/lib/generation/prices";

export type ModelPriceEntry = { inputPerMTok: number; outputPerMTok: number };

export const DEFAULT_PRICES: Readonly<Record<string, ModelPriceEntry>> = Object.freeze(
  Object.fromEntries(Object.entries(TABLE).map(([model, p]) => [model, { inputPerMTok: p.input, outputPerMTok: p.output }])),
);
