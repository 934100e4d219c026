// Sampling of the non-LLM "sampler" fields (category, subset, number, seed).
// Pure and deterministic: a record's values depend only on the blueprint, the run seed,
// the record index and the seed-table rows the caller fetched for that record.
import {
  isSampler,
  type Blueprint,
  type CategoryField,
  type FieldValue,
  type NumberField,
  type SeedField,
  type SubsetField,
  type WeightedOption,
} from "./schema";
import { randomInt, rngFor, type Rng } from "./rng";

/** One seed-table row: column name -> cell text. */
export type SeedRow = Record<string, string>;

/** Rows the caller fetched for one record, keyed by seed table id. */
export type SeedRowsForRecord = Record<string, SeedRow | undefined>;

/**
 * Weighted choice. Assumes validated weights; still guards against an empty list and an
 * all-zero total (uniform fallback) so a half-edited blueprint previews instead of crashing.
 */
export function pickWeighted(options: readonly WeightedOption[], rng: Rng): string | null {
  if (options.length === 0) return null;
  let total = 0;
  for (const o of options) total += weightOf(o);
  const r = rng();
  if (!(total > 0)) return options[Math.floor(r * options.length)].value;
  let target = r * total;
  for (const o of options) {
    target -= weightOf(o);
    if (target < 0) return o.value;
  }
  // Floating-point leftovers: fall to the last option that can be drawn at all.
  for (let i = options.length - 1; i >= 0; i--) if (weightOf(options[i]) > 0) return options[i].value;
  return options[options.length - 1].value;
}

function weightOf(o: WeightedOption): number {
  return Number.isFinite(o.weight) && o.weight > 0 ? o.weight : 0;
}

/** The option list a category draws from, given its parent's value (if any). */
export function categoryOptions(field: CategoryField, parentValue: FieldValue | undefined): WeightedOption[] {
  if (field.dependsOn && parentValue !== undefined && parentValue !== null) {
    const conditional = field.conditionalOptions?.[String(parentValue)];
    if (conditional) return conditional;
  }
  return field.options;
}

export function sampleCategory(field: CategoryField, rng: Rng, parentValue?: FieldValue): string | null {
  return pickWeighted(categoryOptions(field, parentValue), rng);
}

/** k distinct items in random order via a partial Fisher-Yates shuffle. */
export function drawDistinct<T>(items: readonly T[], k: number, rng: Rng): T[] {
  const pool = items.slice();
  const n = Math.max(0, Math.min(Math.floor(k), pool.length));
  for (let i = 0; i < n; i++) {
    const j = i + randomInt(rng, pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, n);
}

export function sampleSubset(field: SubsetField, rng: Rng): string[] {
  return drawDistinct(field.options, field.k, rng);
}

export function sampleNumber(field: NumberField, rng: Rng): number {
  const { min, max } = field;
  if (field.integer) {
    const lo = Math.ceil(Math.min(min, max));
    const hi = Math.floor(Math.max(min, max));
    if (hi < lo) return lo;
    return lo + randomInt(rng, hi - lo + 1);
  }
  const decimals = field.decimals ?? 2;
  const x = min + rng() * (max - min);
  const factor = 10 ** decimals;
  const rounded = Math.round(x * factor) / factor;
  // Rounding can step just outside the range when a bound has more decimals than kept.
  return Math.min(Math.max(rounded, Math.min(min, max)), Math.max(min, max));
}

/**
 * Which row of a seed table a record reads; -1 when the table is empty. Keyed by table
 * (not field) so every seed field of the record reading that table gets the same row.
 */
export function seedRowIndex(
  seed: number,
  recordIndex: number,
  seedTableId: string,
  rowCount: number,
  order: SeedField["order"],
): number {
  if (!(rowCount > 0)) return -1;
  if (order === "sequential") return ((recordIndex % rowCount) + rowCount) % rowCount;
  return randomInt(rngFor(seed, recordIndex, `seed-table:${seedTableId}`), rowCount);
}

/**
 * The order used for a table: that of the first seed field reading it, since all seed
 * fields of a table must agree on one row per record (validation warns on a mismatch).
 */
export function seedTableOrders(blueprint: Blueprint): Record<string, SeedField["order"]> {
  const orders: Record<string, SeedField["order"]> = {};
  for (const f of blueprint.fields) {
    if (f.kind === "seed" && f.seedTableId && !(f.seedTableId in orders)) orders[f.seedTableId] = f.order ?? "random";
  }
  return orders;
}

export interface SampleContext {
  seed: number;
  recordIndex: number;
  /** Rows fetched for this record (see seedRowIndex); a missing row yields null values. */
  seedRows?: SeedRowsForRecord;
}

/**
 * Values of all sampler fields of one record, in field order, keyed by field name.
 * LLM and expression fields are skipped; they are rendered later with these values.
 */
export function sampleRecord(blueprint: Blueprint, ctx: SampleContext): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const field of blueprint.fields) {
    if (!isSampler(field)) continue;
    const rng = rngFor(ctx.seed, ctx.recordIndex, field.name);
    switch (field.kind) {
      case "category": {
        // Only earlier fields are in `values` yet, which is exactly the allowed parent set.
        const parent = field.dependsOn && Object.hasOwn(values, field.dependsOn) ? values[field.dependsOn] : undefined;
        values[field.name] = sampleCategory(field, rng, parent);
        break;
      }
      case "subset":
        values[field.name] = sampleSubset(field, rng);
        break;
      case "number":
        values[field.name] = sampleNumber(field, rng);
        break;
      case "seed": {
        const row = ctx.seedRows?.[field.seedTableId];
        values[field.name] = row && Object.hasOwn(row, field.column) ? row[field.column] : null;
        break;
      }
    }
  }
  return values;
}
