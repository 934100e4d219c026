import "server-only";
// The price table: built-in defaults merged with the user's ModelPrice rows (a row wins).
// Resetting deletes the row, so the default shows again (or the model disappears when it
// has no default).
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import type { PriceTable } from "@/lib/generation/prices";
import { DEFAULT_PRICES, type ModelPriceEntry } from "@/lib/providers/default-prices";

export type PriceRow = {
  model: string;
  inputPerMTok: number;
  outputPerMTok: number;
  /** The built-in price, if the model has one. */
  defaultPrice: ModelPriceEntry | null;
  /** The user changed (or added) this price. */
  custom: boolean;
};

export async function listPrices(db: Db): Promise<PriceRow[]> {
  const rows = await db.modelPrice.findMany();
  const byModel = new Map<string, PriceRow>();
  for (const [model, price] of Object.entries(DEFAULT_PRICES)) {
    byModel.set(model, { model, ...price, defaultPrice: price, custom: false });
  }
  for (const r of rows) {
    const def = DEFAULT_PRICES[r.model] ?? null;
    byModel.set(r.model, { model: r.model, inputPerMTok: r.inputPerMTok, outputPerMTok: r.outputPerMTok, defaultPrice: def, custom: true });
  }
  return [...byModel.values()].sort((a, b) => a.model.localeCompare(b.model));
}

/** The effective prices in the shape the cost maths takes (lib/generation/prices.ts). */
export async function priceTable(db: Db): Promise<PriceTable> {
  return Object.fromEntries((await listPrices(db)).map((r) => [r.model, { input: r.inputPerMTok, output: r.outputPerMTok }]));
}

/** The effective price of one model (user row, else default), or null when unknown. */
export async function priceOf(db: Db, model: string): Promise<ModelPriceEntry | null> {
  const row = await db.modelPrice.findUnique({ where: { model } });
  if (row) return { inputPerMTok: row.inputPerMTok, outputPerMTok: row.outputPerMTok };
  return DEFAULT_PRICES[model] ?? null;
}

export async function setPrice(db: Db, model: string, inputPerMTok: number, outputPerMTok: number): Promise<PriceRow> {
  const name = model.trim();
  await db.modelPrice.upsert({
    where: { model: name },
    create: { model: name, inputPerMTok, outputPerMTok },
    update: { inputPerMTok, outputPerMTok },
  });
  return { model: name, inputPerMTok, outputPerMTok, defaultPrice: DEFAULT_PRICES[name] ?? null, custom: true };
}

/** Back to the built-in price; a model without one leaves the table. */
export async function resetPrice(db: Db, model: string): Promise<void> {
  const { count } = await db.modelPrice.deleteMany({ where: { model } });
  if (count === 0 && !DEFAULT_PRICES[model]) throw notFound(`The price of "${model}"`);
}
