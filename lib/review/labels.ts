// A dataset's label schema (Dataset.labelSchema) and the rules for label values. Pure.
//
// Four kinds: single choice (one option), multi choice (any options), rating (1-5) and a
// free-text note. Each label may have a keyboard key; in the grid, pressing it makes that
// label the one the digit keys set (a note's key opens the note instead).
import { z } from "zod";

export const LABEL_KINDS = ["single", "multi", "rating", "note"] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

/** Keys the grid already uses; a label cannot take them. */
export const RESERVED_KEYS = new Set(["j", "k", "a", "r", "x", "e", "u", "s", "?", "/", " "]);

export const LabelDef = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the label a name.")
    .max(40, "Keep label names under 40 characters.")
    .regex(/^[\p{L}\p{N}_ -]+$/u, "Use letters, digits, spaces, - or _ in label names."),
  kind: z.enum(LABEL_KINDS),
  /** For single and multi choice; digits 1-9 pick them, so at most nine. */
  options: z.array(z.string().trim().min(1, "Options cannot be empty.").max(60)).max(9, "At most nine options: the digit keys pick them.").optional(),
  key: z
    .string()
    .regex(/^[a-z]$/, "A key is one lower-case letter.")
    .optional(),
  /**
   * Where the label's default comes from: a judge criterion's score, shown as a suggestion
   * until a person confirms it (lib/review/suggestions.ts). `map` takes a level (as text)
   * to an option (single, multi) or a rating; a level not in it suggests the option of the
   * same name, if any. Not a label: records keep only what a person set.
   */
  suggest: z
    .object({
      judge: z.string().min(1),
      criterion: z.string().min(1),
      map: z.record(z.string(), z.union([z.string().max(60), z.number().int()])).optional(),
    })
    .optional(),
});
export type LabelDef = z.infer<typeof LabelDef>;

export const LabelSchema = z
  .object({ labels: z.array(LabelDef).max(20, "At most 20 labels.") })
  .superRefine((s, ctx) => {
    const names = new Set<string>();
    const keys = new Set<string>();
    s.labels.forEach((l, i) => {
      if (names.has(l.name)) ctx.addIssue({ code: "custom", path: ["labels", i, "name"], message: `Two labels are called "${l.name}".` });
      names.add(l.name);
      if (l.key) {
        if (RESERVED_KEYS.has(l.key)) ctx.addIssue({ code: "custom", path: ["labels", i, "key"], message: `"${l.key}" is taken by the grid; choose another key.` });
        else if (keys.has(l.key)) ctx.addIssue({ code: "custom", path: ["labels", i, "key"], message: `Two labels use the key "${l.key}".` });
        keys.add(l.key);
      }
      const needsOptions = l.kind === "single" || l.kind === "multi";
      if (needsOptions && !l.options?.length) ctx.addIssue({ code: "custom", path: ["labels", i, "options"], message: `"${l.name}" needs at least one option.` });
      if (needsOptions && l.options && new Set(l.options).size !== l.options.length) {
        ctx.addIssue({ code: "custom", path: ["labels", i, "options"], message: `"${l.name}" lists an option twice.` });
      }
      if (l.suggest) {
        if (l.kind === "note") ctx.addIssue({ code: "custom", path: ["labels", i, "suggest"], message: `"${l.name}" is a note: a judge cannot suggest it.` });
        for (const [level, to] of Object.entries(l.suggest.map ?? {})) {
          const ok = l.kind === "rating" ? typeof to === "number" && to >= 1 && to <= 5 : typeof to === "string" && l.options?.includes(to);
          if (!ok) {
            ctx.addIssue({
              code: "custom",
              path: ["labels", i, "suggest", "map", level],
              message: `"${l.name}": the judge's ${JSON.stringify(level)} must map to ${l.kind === "rating" ? "a rating from 1 to 5" : `one of: ${l.options?.join(", ")}`}.`,
            });
          }
        }
      }
    });
  });
export type LabelSchema = z.infer<typeof LabelSchema>;

export const EMPTY_LABEL_SCHEMA: LabelSchema = { labels: [] };

/** The stored schema, or an empty one when it was never set (or is unreadable). */
export function readLabelSchema(stored: unknown): LabelSchema {
  const parsed = LabelSchema.safeParse(stored);
  return parsed.success ? parsed.data : EMPTY_LABEL_SCHEMA;
}

export type LabelValue = string | string[] | number;

/** Checks one record's labels against the schema; returns a message for the first problem. */
export function labelProblem(schema: LabelSchema, labels: Record<string, unknown>): string | null {
  for (const [name, v] of Object.entries(labels)) {
    const def = schema.labels.find((l) => l.name === name);
    if (!def) return `There is no label called "${name}" in this dataset's label schema.`;
    const problem = valueProblem(def, v);
    if (problem) return problem;
  }
  return null;
}

export function valueProblem(def: LabelDef, v: unknown): string | null {
  switch (def.kind) {
    case "single":
      return typeof v === "string" && def.options?.includes(v) ? null : `"${def.name}" must be one of: ${def.options?.join(", ")}.`;
    case "multi":
      return Array.isArray(v) && v.every((o) => typeof o === "string" && def.options?.includes(o))
        ? null
        : `"${def.name}" takes any of: ${def.options?.join(", ")}.`;
    case "rating":
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5 ? null : `"${def.name}" is a rating from 1 to 5.`;
    case "note":
      return typeof v === "string" && v.length <= 2000 ? null : `"${def.name}" is a note of at most 2,000 characters.`;
  }
}

/** The label digits act on by default: the first single, multi or rating label. */
export function defaultDigitLabel(schema: LabelSchema): LabelDef | undefined {
  return schema.labels.find((l) => l.kind !== "note");
}

/**
 * What pressing digit `n` (1-9) does to a record's labels when `def` is the active label:
 * single sets option n (pressing it again clears it), multi toggles option n, rating sets n.
 * Returns null when the digit means nothing for this label.
 */
export function applyDigit(def: LabelDef, labels: Record<string, unknown>, n: number): Record<string, unknown> | null {
  const next = { ...labels };
  if (def.kind === "rating") {
    if (n < 1 || n > 5) return null;
    if (next[def.name] === n) delete next[def.name];
    else next[def.name] = n;
    return next;
  }
  const option = def.options?.[n - 1];
  if (option === undefined || def.kind === "note") return null;
  if (def.kind === "single") {
    if (next[def.name] === option) delete next[def.name];
    else next[def.name] = option;
    return next;
  }
  const current = Array.isArray(next[def.name]) ? (next[def.name] as string[]) : [];
  const toggled = current.includes(option) ? current.filter((o) => o !== option) : [...current, option];
  // Keep the schema's option order, so equal sets compare equal.
  const ordered = (def.options ?? []).filter((o) => toggled.includes(o));
  if (ordered.length) next[def.name] = ordered;
  else delete next[def.name];
  return next;
}

/** A label value as a person reads it. */
export function formatLabel(v: unknown): string {
  if (Array.isArray(v)) return v.join(", ");
  if (typeof v === "number") return "★".repeat(Math.max(0, Math.min(5, v)));
  return String(v ?? "");
}
