import { z } from "zod";
import { RecordFilter } from "@/lib/records/filter";

/**
 * A judge criterion's bar in an "N good records" run: `min` for numeric levels (score at
 * least this), `accept` for word levels (one of these, e.g. ["pass"]).
 */
export const Threshold = z.object({
  min: z.number().optional(),
  accept: z.array(z.union([z.string(), z.number()])).min(1, "Accept at least one level.").optional(),
});
export type Threshold = z.infer<typeof Threshold>;

/** "N good records" (lib/runs/target.ts): the run draws records until `good` of them are good. */
export const TargetSettings = z.object({
  good: z.number().int().min(1, "Ask for at least one good record.").max(1_000_000),
  /** Judge field name -> criterion name -> threshold. */
  thresholds: z.record(z.string(), z.record(z.string(), Threshold)).default({}),
});
export type TargetSettings = z.infer<typeof TargetSettings>;

/**
 * A run that regenerates one LLM field (and the fields reading it) over existing records
 * instead of drawing new ones (server/regenerate.ts). The record ids are fixed at launch: a
 * filter such as "judge failed" matches other records once the run has changed them.
 */
export const RegenerateSettings = z.object({
  field: z.string(),
  recordIds: z.array(z.uuid()),
});
export type RegenerateSettings = z.infer<typeof RegenerateSettings>;

/** Launch options, stored on the Run row as `settings`. */
export const RunSettings = z.object({
  /** Records generated at once; the connection's own cap applies on top. */
  concurrency: z.number().int().min(1).max(1024).default(16),
  /** Stop cleanly once this much has been spent (USD); null for no cap. */
  budgetUsd: z.number().positive().nullable().default(null),
  /** Serve identical requests from the response cache. */
  useCache: z.boolean().default(true),
  maxAttempts: z.number().int().min(1).max(20).default(5),
  requestTimeoutMs: z.number().int().min(1000).max(600_000).default(120_000),
  maxReasks: z.number().int().min(0).max(5).default(2),
  /** Null: `requested` records. Set: draw until this many are good, within `requested` attempts (the attempt cap). */
  target: TargetSettings.nullable().default(null),
  /** Null: a run of new records. Set: regenerate `field` of these records. */
  regenerate: RegenerateSettings.nullable().default(null),
  /**
   * Batch mode (server/batch-executor.ts): the requests go through the provider's Batch API,
   * at its batch prices (half), finishing within 24 hours. Only for connections whose preset
   * supports it (lib/providers/presets.ts `batch`).
   */
  batch: z.boolean().default(false),
});
export type RunSettings = z.infer<typeof RunSettings>;

export const MAX_SEED = 2 ** 31 - 1;

/** A new run's seed: random, so each launch draws new records. */
export function randomRunSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] % (MAX_SEED + 1);
}

export const LaunchRunInput = z.object({
  datasetId: z.uuid(),
  connectionId: z.uuid({ message: "Choose a provider connection." }),
  records: z.number().int().min(1, "Generate at least one record.").max(10_000_000),
  /** Omitted: a fresh random seed. A previous run's seed reproduces that run's draws. */
  seed: z.number().int("The seed is a whole number.").min(0, "The seed is 0 or more.").max(MAX_SEED, `The seed is at most ${MAX_SEED}.`).optional(),
  settings: RunSettings.partial().default({}),
});
export type LaunchRunInput = z.infer<typeof LaunchRunInput>;

/** At most this many records per regeneration: their ids are kept on the run row. */
export const MAX_REGENERATE = 100_000;

/** Which records to regenerate: selected ids, or everything a grid filter matches. */
const RegenerateTarget = z.union([z.object({ ids: z.array(z.uuid()).min(1).max(10_000) }), z.object({ filter: RecordFilter })]);

export const RegenerateInput = z.object({
  datasetId: z.uuid(),
  field: z.string().min(1, "Choose the field to regenerate."),
  target: RegenerateTarget,
});
export type RegenerateInput = z.infer<typeof RegenerateInput>;

export const LaunchRegenerateInput = RegenerateInput.extend({
  connectionId: z.uuid({ message: "Choose a provider connection." }),
  settings: RunSettings.pick({ concurrency: true, budgetUsd: true, useCache: true }).partial().default({}),
});
export type LaunchRegenerateInput = z.infer<typeof LaunchRegenerateInput>;

export const RunIdInput = z.object({ runId: z.uuid() });

/** The queue job payload; validated when a worker picks it up. */
export const RunJob = z.object({ runId: z.uuid() });
