// "Judge least sure first" (pure): for each criterion of the blueprint's judges, where a
// score stops being good (the same defaults as "N good records" runs, lib/runs/target.ts),
// so the grid can sort records by how close their scores sit to that line. A numeric
// criterion's margin is the score's distance from the midpoint between the last failing
// and the first passing level, over the scale's range; criteria that disagree (one says
// good, another not) make a record as unsure as it gets. Records without a judge's scores
// come after all judged ones.
import type { Blueprint } from "@/lib/blueprints/schema";
import { defaultThresholds, judgesOf } from "@/lib/runs/target";

export type CriterionLine =
  | { field: string; criterion: string; kind: "number"; pivot: number; range: number; min: number }
  | { field: string; criterion: string; kind: "word"; accept: (string | number)[] };

export function criterionLines(blueprint: Blueprint): CriterionLine[] {
  const thresholds = defaultThresholds(blueprint);
  const out: CriterionLine[] = [];
  for (const judge of judgesOf(blueprint)) {
    for (const c of judge.criteria) {
      const t = thresholds[judge.name]?.[c.name];
      if (!t) continue;
      const min = t.min;
      if (min !== undefined) {
        const values = c.levels.map((l) => l.value as number).sort((a, b) => a - b);
        const below = values.filter((v) => v < min).at(-1);
        const range = values.at(-1)! - values[0] || 1;
        out.push({ field: judge.name, criterion: c.name, kind: "number", pivot: below === undefined ? min : (below + min) / 2, range, min });
      } else out.push({ field: judge.name, criterion: c.name, kind: "word", accept: t.accept ?? [] });
    }
  }
  return out;
}

/** The judge's probability of each score it chose, where stored: field -> criterion -> p. */
export function probabilitiesOf(values: Record<string, unknown>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [field, v] of Object.entries(values)) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) continue;
    for (const [criterion, cv] of Object.entries(v)) {
      const p = typeof cv === "object" && cv !== null ? (cv as { p?: unknown }).p : undefined;
      if (typeof p === "number") (out[field] ??= {})[criterion] = p;
    }
  }
  return out;
}

/** The same order in memory, for tests and for records the grid already holds: lower is less sure. */
export function uncertainty(
  lines: CriterionLine[],
  scores: Record<string, Record<string, unknown>>,
  probabilities: Record<string, Record<string, number>> = {},
): number | null {
  const margins: number[] = [];
  const good: boolean[] = [];
  for (const l of lines) {
    const s = scores[l.field]?.[l.criterion];
    if (s === undefined) continue;
    if (l.kind === "number" && typeof s === "number") {
      margins.push(Math.abs(s - l.pivot) / l.range);
      good.push(s >= l.min);
    } else if (l.kind === "word") good.push(l.accept.includes(s as string | number));
  }
  if (good.length === 0) return null;
  if (good.some((g) => g) && good.some((g) => !g)) return 0;
  const ps = lines.map((l) => probabilities[l.field]?.[l.criterion]).filter((p): p is number => p !== undefined);
  return (margins.length ? Math.min(...margins) : 1) * (ps.length ? Math.min(...ps) : 1);
}
