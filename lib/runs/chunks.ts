// Several worker processes share one run by claiming ranges of its record positions
// ("chunks", server/chunks.ts). What is pure about it: how a run is cut, and which runs
// may be cut at all.
import type { Blueprint, FieldKind } from "@/lib/blueprints/schema";
import type { RunSettings } from "./schemas";

/** Positions per chunk at least: a claim is a round trip, so not one per record. */
export const MIN_CHUNK = 25;
/** And at most: a process killed holding a chunk leaves this much for the others to take over. */
export const MAX_CHUNK = 500;
/** About this many chunks per run, so three or four processes end close together. */
const CHUNKS_PER_RUN = 100;

/** Size of each chunk of a run of `requested` records (the last one may be shorter). */
export function chunkSize(requested: number): number {
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(requested / CHUNKS_PER_RUN)));
}

/** The chunks of a run: [start, end) ranges of positions covering 0..requested-1 once. */
export function chunkRanges(requested: number): { start: number; end: number }[] {
  const size = chunkSize(requested);
  const out: { start: number; end: number }[] = [];
  for (let start = 0; start < requested; start += size) out.push({ start, end: Math.min(requested, start + size) });
  return out;
}

/**
 * Field kinds whose value depends only on the record's own draws and earlier fields, so any
 * process can make any position alone. An allow-list: a new kind that reads other records
 * (rounds over the dataset, as Self-Instruct's) stays on one worker until it is added here.
 * `evolve` is left out on purpose (Evol-Instruct stays on one worker for now).
 */
const PER_RECORD_KINDS = new Set<FieldKind>(["category", "subset", "number", "seed", "llm", "expression", "validator", "judge", "conversation", "grammar", "transform", "mask"]);

/**
 * Whether several processes may work on the run at once. Not: "N good records" (its
 * stopping rule counts in flight and in hand in one process), regenerations, batch mode
 * (one process drives the provider's batches), or a blueprint with a field not known to
 * be per record.
 */
export function splitsAcrossWorkers(settings: Pick<RunSettings, "target" | "regenerate" | "batch">, blueprint: Pick<Blueprint, "fields">): boolean {
  if (settings.target || settings.regenerate || settings.batch) return false;
  return blueprint.fields.every((f) => PER_RECORD_KINDS.has(f.kind));
}
