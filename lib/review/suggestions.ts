// Labels suggested by a judge (pure). A label whose schema names a judge criterion
// (LabelDef.suggest) takes that criterion's score as its default: the grid and the detail
// show it as a suggestion, visibly apart from a person's decision, until a person confirms
// it (one key, a normal label write, undoable) or sets the label otherwise. Suggestions
// are computed from the record's judge scores wherever they are shown and never stored,
// so the labels column, the label tallies and exports hold only what people decided.
import type { LabelDef, LabelSchema, LabelValue } from "./labels";

/** A judge's scores as the grid row carries them: field -> criterion -> score. */
export type Scores = Record<string, Record<string, unknown>>;

const norm = (v: unknown) => String(v).trim().toLowerCase();

/**
 * What a judge's level suggests for `def`: the mapped option or rating, else the option
 * whose name is the level's ("pass" → "pass", case aside), else (ratings) a score of 1-5
 * itself. Undefined when the level suggests nothing.
 */
export function suggestionFor(def: LabelDef, level: unknown): LabelValue | undefined {
  if (!def.suggest || def.kind === "note" || (typeof level !== "string" && typeof level !== "number")) return undefined;
  const mapped = def.suggest.map?.[String(level)];
  if (def.kind === "rating") {
    const n = mapped ?? (typeof level === "number" ? level : Number(level.trim()));
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 5 ? n : undefined;
  }
  const option = typeof mapped === "string" && def.options?.includes(mapped) ? mapped : def.options?.find((o) => norm(o) === norm(level));
  if (option === undefined) return undefined;
  return def.kind === "multi" ? [option] : option;
}

/** The levels of a criterion that suggest nothing for `def` yet: what the editor asks to map. */
export function unmappedLevels(def: LabelDef, levels: readonly (string | number)[]): (string | number)[] {
  return levels.filter((l) => suggestionFor(def, l) === undefined);
}

/**
 * The suggestions for one record: every label with a judge behind it that a person has
 * not set, whose judge scored the record with a level that maps to something.
 */
export function suggestedLabels(schema: LabelSchema, labels: Record<string, unknown>, scores: Scores | null | undefined): Record<string, LabelValue> {
  const out: Record<string, LabelValue> = {};
  for (const def of schema.labels) {
    if (!def.suggest || Object.hasOwn(labels, def.name)) continue;
    const v = suggestionFor(def, scores?.[def.suggest.judge]?.[def.suggest.criterion]);
    if (v !== undefined) out[def.name] = v;
  }
  return out;
}

/** The labels after a person confirms the suggestions: theirs, plus every suggestion. Null when there is nothing to confirm. */
export function confirmSuggestions(schema: LabelSchema, labels: Record<string, unknown>, scores: Scores | null | undefined): Record<string, unknown> | null {
  const s = suggestedLabels(schema, labels, scores);
  return Object.keys(s).length ? { ...labels, ...s } : null;
}

/**
 * A judge's scores read from a record's values (the judge field's value is
 * `{criterion: {score, reason, p?}}`): the same shape as RecordRow.scores, for the detail
 * and the services, which hold values rather than grid rows.
 */
export function scoresOf(values: Record<string, unknown>): Scores {
  const out: Scores = {};
  for (const [field, v] of Object.entries(values)) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) continue;
    for (const [criterion, cv] of Object.entries(v)) {
      if (typeof cv === "object" && cv !== null && !Array.isArray(cv) && "score" in cv) (out[field] ??= {})[criterion] = (cv as { score: unknown }).score;
    }
  }
  return out;
}
