// The health page's charts from the tallies (lib/quality/README-health.md): which fields
// are counted, each sampler's target distribution beside what was drawn, coverage, token
// histograms and the balance of labels and review states. Pure: the tallies come from
// the database (server/health.ts), the blueprint from the dataset.
import { isSampler, type Blueprint, type CategoryField, type Field } from "@/lib/blueprints/schema";

/** Token lengths are counted in buckets of this many tokens (the migration's trigger agrees). */
export const TOKEN_BUCKET = 8;
/** An integer number sampler is charted value by value up to this many values; beyond, not at all. */
export const MAX_NUMBER_VALUES = 1000;

export type TallyRow = { kind: string; field: string; value: string; count: number };
export type TrackedField = { name: string; kind: "value" | "tokens" | "judge" };

/**
 * Fields the triggers count: samplers with a target distribution by value, LLM fields by
 * token length, judges by the records they scored (kind 'judged' tallies, per review state).
 */
export function trackedFields(blueprint: Blueprint): TrackedField[] {
  const out: TrackedField[] = [];
  for (const f of blueprint.fields) {
    if (!f.name) continue;
    if (hasTarget(f)) out.push({ name: f.name, kind: "value" });
    else if (f.kind === "llm") out.push({ name: f.name, kind: "tokens" });
    else if (f.kind === "judge") out.push({ name: f.name, kind: "judge" });
  }
  return out;
}

function hasTarget(f: Field): boolean {
  if (!isSampler(f)) return false;
  if (f.kind === "number") return f.integer && Math.abs(Math.floor(f.max) - Math.ceil(f.min)) + 1 <= MAX_NUMBER_VALUES;
  return true;
}

/** Share of each value a sampler is meant to draw; shares sum to 1 (or the list is empty). */
export type Target = { value: string; share: number }[];

function normalise(pairs: [string, number][]): Target {
  const merged = new Map<string, number>();
  for (const [v, w] of pairs) if (Number.isFinite(w) && w > 0) merged.set(v, (merged.get(v) ?? 0) + w);
  const total = [...merged.values()].reduce((a, b) => a + b, 0);
  return total > 0 ? [...merged].map(([value, w]) => ({ value, share: w / total })) : [];
}

/**
 * The target of one sampler field. A category that depends on another field mixes its
 * option lists by how often each parent value was actually drawn (`parentCounts`), which
 * is what the sampler is meant to produce given those parents. Seed fields: the column's
 * values as they occur in the table (`seedValues`, value -> rows).
 */
export function targetDistribution(
  field: Field,
  opts: { parentCounts?: Map<string, number>; seedValues?: Map<string, number> } = {},
): Target {
  switch (field.kind) {
    case "category":
      return categoryTarget(field, opts.parentCounts);
    case "subset":
      // k distinct of n, uniformly: every option has the same share of the draws.
      return normalise(field.options.map((v) => [v, 1]));
    case "number": {
      const lo = Math.ceil(Math.min(field.min, field.max));
      const hi = Math.floor(Math.max(field.min, field.max));
      if (!field.integer || hi - lo + 1 > MAX_NUMBER_VALUES) return [];
      return normalise(Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => [String(lo + i), 1]));
    }
    case "seed":
      return normalise([...(opts.seedValues ?? new Map())]);
    default:
      return [];
  }
}

function categoryTarget(field: CategoryField, parentCounts?: Map<string, number>): Target {
  const base = field.options.map((o): [string, number] => [o.value, o.weight]);
  if (!field.dependsOn || !field.conditionalOptions || !parentCounts?.size) return normalise(base);
  const total = [...parentCounts.values()].reduce((a, b) => a + b, 0);
  const mixed: [string, number][] = [];
  for (const [parent, n] of parentCounts) {
    const list = normalise((field.conditionalOptions[parent] ?? field.options).map((o) => [o.value, o.weight]));
    for (const t of list) mixed.push([t.value, (t.share * n) / total]);
  }
  return normalise(mixed);
}

export type DistributionRow = { value: string; observed: number; expected: number; observedShare: number; targetShare: number };
export type Distribution = { rows: DistributionRow[]; used: number; possible: number; total: number; unused: string[] };

/**
 * Target next to observed. Rows keep the target's order, then values drawn that the target
 * does not have (edits, imports, a changed blueprint). `expected` is the target share of
 * what was observed in all, so bars compare on one scale. Coverage counts target values
 * drawn at least once.
 */
export function compareDistribution(target: Target, observed: Map<string, number>): Distribution {
  const total = [...observed.values()].reduce((a, b) => a + b, 0);
  const rows: DistributionRow[] = [];
  const seen = new Set<string>();
  for (const t of target) {
    seen.add(t.value);
    const n = observed.get(t.value) ?? 0;
    rows.push({ value: t.value, observed: n, expected: t.share * total, observedShare: total ? n / total : 0, targetShare: t.share });
  }
  for (const [value, n] of observed) {
    if (seen.has(value) || n <= 0) continue;
    rows.push({ value, observed: n, expected: 0, observedShare: total ? n / total : 0, targetShare: 0 });
  }
  const unused = target.filter((t) => !(observed.get(t.value)! > 0)).map((t) => t.value);
  return { rows, used: target.length - unused.length, possible: target.length, total, unused };
}

export type HistogramBin = { lo: number; hi: number; count: number };

/**
 * Token-length buckets (lower bound -> count, TOKEN_BUCKET wide) merged into at most
 * `maxBins` bins of equal width, a multiple of TOKEN_BUCKET, from 0 to the longest.
 * `hi` is exclusive.
 */
export function tokenHistogram(buckets: Map<number, number>, maxBins = 20): HistogramBin[] {
  const present = [...buckets].filter(([, n]) => n > 0);
  if (!present.length) return [];
  const top = Math.max(...present.map(([lo]) => lo)) + TOKEN_BUCKET;
  const width = Math.max(1, Math.ceil(top / TOKEN_BUCKET / maxBins)) * TOKEN_BUCKET;
  const bins: HistogramBin[] = Array.from({ length: Math.ceil(top / width) }, (_, i) => ({ lo: i * width, hi: (i + 1) * width, count: 0 }));
  for (const [lo, n] of present) bins[Math.floor(lo / width)].count += n;
  return bins;
}

/** Median and mean token length from buckets, each bucket taken at its middle. */
export function tokenSummary(buckets: Map<number, number>): { records: number; mean: number; median: number } {
  const sorted = [...buckets].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const records = sorted.reduce((a, [, n]) => a + n, 0);
  if (!records) return { records: 0, mean: 0, median: 0 };
  const mid = (lo: number) => lo + TOKEN_BUCKET / 2;
  const mean = sorted.reduce((a, [lo, n]) => a + mid(lo) * n, 0) / records;
  let seen = 0;
  let median = 0;
  for (const [lo, n] of sorted) {
    seen += n;
    if (seen >= records / 2) {
      median = mid(lo);
      break;
    }
  }
  return { records, mean, median };
}

/** Tallies of one kind (and field) as value -> count, zeros dropped. */
export function countsOf(tallies: TallyRow[], kind: string, field = ""): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tallies) if (t.kind === kind && t.field === field && t.count !== 0) m.set(t.value, (m.get(t.value) ?? 0) + t.count);
  return m;
}
