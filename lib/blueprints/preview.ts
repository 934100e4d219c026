// Dry-run of a blueprint: sample records and render every template without calling
// a model, so users see exactly what would be sent. LLM outputs don't exist yet, so
// later templates see a readable placeholder in their place.
//
// Server flow (seed rows live in the database; planning them is seed-rows.ts):
//   const plan = seedRowsNeeded(bp, seed, indices, rowCounts);
//   const fetched = await loadRows(plan.byTable);            // {tableId: {rowIndex: row}}
//   previewRecords(bp, { seed, count, startIndex, seedRows: seedRowLookup(plan, fetched) });
import { Drop } from "liquidjs";
import { computeRuleField } from "./rule-fields";
import { isRuleField, isSampler, type Blueprint, type FewShotExample, type FieldValue } from "./schema";
import { judgeMessages } from "./judge";
import { drawTurnCount, renderConversationPrompts } from "./conversation";
import { buildMessages, FieldTemplateError, type ChatMessage } from "./messages";
import { renderTemplate, TemplateError } from "./render";
import { sampleRecord, type SeedRowsForRecord } from "./samplers";

class PlaceholderDrop extends Drop {
  #path: string;
  constructor(path: string) {
    super();
    this.#path = path;
  }
  liquidMethodMissing(key: string | number): Drop {
    return outputPlaceholder(`${this.#path}.${key}`);
  }
  override valueOf(): string {
    return placeholderText(this.#path);
  }
  toString(): string {
    return this.valueOf();
  }
  toJSON(): string {
    return this.valueOf();
  }
}

const PLACEHOLDER_METHODS = new Set<PropertyKey>(["valueOf", "toString", "toJSON", "liquidMethodMissing"]);

/**
 * Stands in for an LLM output in templates. A Liquid drop, so any property path also
 * renders: `{{ review.title }}` -> "⟨output of review.title⟩". Wrapped in a proxy that
 * hides everything else (`constructor`, `__proto__`, ...), since LiquidJS lets templates
 * read inherited members of drops even with ownPropertyOnly.
 */
export function outputPlaceholder(path: string): Drop {
  const drop = new PlaceholderDrop(path);
  return new Proxy(drop, {
    get(target, key) {
      if (!PLACEHOLDER_METHODS.has(key)) return undefined;
      const member = Reflect.get(target, key, target) as (...args: unknown[]) => unknown;
      return member.bind(target);
    },
  });
}

export function placeholderText(path: string): string {
  return `⟨output of ${path}⟩`;
}

export interface PreviewError {
  path: "prompt" | "system" | "template";
  message: string;
  line?: number;
  column?: number;
}

export type PreviewField =
  | { fieldId: string; name: string; kind: "category" | "subset" | "number" | "seed" | "pool"; value: FieldValue }
  | { fieldId: string; name: string; kind: "expression"; value: string | null; error?: PreviewError }
  /** Rule-based fields: the value a run will store for this record (null with `error` when the field is broken). */
  | { fieldId: string; name: string; kind: "grammar" | "transform" | "mask"; value: FieldValue; error?: string }
  | {
      fieldId: string;
      name: string;
      kind: "llm";
      model: string;
      output: "text" | "json";
      /** Null when a template failed to render (see `error`). */
      messages: ChatMessage[] | null;
      examples: FewShotExample[];
      error?: PreviewError;
    }
  | {
      fieldId: string;
      name: string;
      kind: "judge";
      model: string;
      /** What the judge would be sent; the fields it reads show as placeholders where they are LLM outputs. */
      messages: ChatMessage[];
      criteria: string[];
    }
  | {
      fieldId: string;
      name: string;
      kind: "conversation";
      model: string;
      /** Turns this record will have (drawn from the record's seed). */
      turns: number;
      /** The assistant's system prompt and the simulated user's persona as rendered; null when a template failed. */
      system: string | null;
      persona: string | null;
      error?: PreviewError;
    }
  | { fieldId: string; name: string; kind: "evolve"; model: string; source: string; generations: number };

export interface PreviewRecord {
  recordIndex: number;
  /** One entry per field, in blueprint order. */
  fields: PreviewField[];
  /**
   * What later templates saw, by field name: sampled values, rendered expressions and
   * placeholder strings for LLM outputs (null for failed expressions).
   */
  values: Record<string, FieldValue>;
}

export interface PreviewOptions {
  seed: number;
  count: number;
  /** First record index; defaults to 0. Record i of a run equals preview record i. */
  startIndex?: number;
  /** Rows each record reads, keyed by seed table id; see seedRowsNeeded/seedRowLookup. */
  seedRows?: (recordIndex: number) => SeedRowsForRecord;
}

export function previewRecords(blueprint: Blueprint, options: PreviewOptions): PreviewRecord[] {
  const start = options.startIndex ?? 0;
  const records: PreviewRecord[] = [];
  for (let i = 0; i < options.count; i++) records.push(previewRecord(blueprint, options.seed, start + i, options.seedRows?.(start + i) ?? {}));
  return records;
}

export function previewRecord(blueprint: Blueprint, seed: number, recordIndex: number, seedRows: SeedRowsForRecord): PreviewRecord {
  const sampled = sampleRecord(blueprint, { seed, recordIndex, seedRows });
  const scope: Record<string, unknown> = {};
  const values: Record<string, FieldValue> = {};
  const fields: PreviewField[] = [];

  for (const field of blueprint.fields) {
    // Assigned as own data properties: the scope is read with ownPropertyOnly.
    if (isSampler(field)) {
      const value = Object.hasOwn(sampled, field.name) ? sampled[field.name] : null;
      scope[field.name] = value;
      values[field.name] = value;
      fields.push({ fieldId: field.id, name: field.name, kind: field.kind, value });
    } else if (isRuleField(field)) {
      let value: FieldValue = null;
      let error: string | undefined;
      try {
        value = computeRuleField(field, scope, { seed, recordIndex });
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      scope[field.name] = value;
      values[field.name] = value;
      fields.push({ fieldId: field.id, name: field.name, kind: field.kind, value, ...(error ? { error } : {}) });
    } else if (field.kind === "pool") {
      // The pool changes as a run grows it, so a preview shows where its items go, as many as a prompt shows at most.
      const value = Array.from({ length: Math.max(0, field.human) + Math.max(0, field.generated) }, (_, i) => ({
        id: "",
        instruction: `«a ${i < field.human ? "seed" : "generated"} instruction drawn from the pool when the round starts»`,
        origin: i < field.human ? "human" : "generated",
      }));
      scope[field.name] = value;
      values[field.name] = value;
      fields.push({ fieldId: field.id, name: field.name, kind: "pool", value });
    } else if (field.kind === "validator") {
      // Checks run on generated records; a preview has placeholders where outputs go.
      continue;
    } else if (field.kind === "judge") {
      // No template to fail: the prompt is built from the rubric.
      const messages = judgeMessages(field, scope);
      scope[field.name] = outputPlaceholder(field.name);
      values[field.name] = placeholderText(field.name);
      fields.push({ fieldId: field.id, name: field.name, kind: "judge", model: field.model, messages, criteria: field.criteria.map((c) => c.name) });
    } else if (field.kind === "conversation") {
      let prompts: { system: string; persona: string } | null = null;
      let error: PreviewError | undefined;
      try {
        prompts = renderConversationPrompts(field, scope);
      } catch (err) {
        error = toPreviewError(err, "prompt");
      }
      scope[field.name] = outputPlaceholder(field.name);
      values[field.name] = placeholderText(field.name);
      const turns = drawTurnCount(field, { seed, recordIndex });
      fields.push({ fieldId: field.id, name: field.name, kind: "conversation", model: field.model, turns, system: prompts?.system ?? null, persona: prompts?.persona ?? null, ...(error ? { error } : {}) });
    } else if (field.kind === "evolve") {
      // The lineage comes from the model; later fields see a placeholder, as for LLM outputs.
      scope[field.name] = outputPlaceholder(field.name);
      values[field.name] = placeholderText(field.name);
      fields.push({ fieldId: field.id, name: field.name, kind: "evolve", model: field.model, source: field.source, generations: field.generations });
    } else if (field.kind === "expression") {
      let value: string | null = null;
      let error: PreviewError | undefined;
      try {
        value = renderTemplate(field.template, scope);
      } catch (err) {
        error = toPreviewError(err, "template");
      }
      scope[field.name] = value;
      values[field.name] = value;
      fields.push({ fieldId: field.id, name: field.name, kind: "expression", value, ...(error ? { error } : {}) });
    } else {
      let messages: ChatMessage[] | null = null;
      let examples: FewShotExample[] = [];
      let error: PreviewError | undefined;
      try {
        ({ messages, examples } = buildMessages(field, scope, { seed, recordIndex }));
      } catch (err) {
        error = toPreviewError(err, "prompt");
      }
      scope[field.name] = outputPlaceholder(field.name);
      values[field.name] = placeholderText(field.name);
      fields.push({
        fieldId: field.id,
        name: field.name,
        kind: "llm",
        model: field.model,
        output: field.output.type,
        messages,
        examples,
        ...(error ? { error } : {}),
      });
    }
  }
  return { recordIndex, fields, values };
}

function toPreviewError(err: unknown, fallbackPath: PreviewError["path"]): PreviewError {
  if (err instanceof FieldTemplateError) return { path: err.path, message: err.message, line: err.line, column: err.column };
  if (err instanceof TemplateError) return { path: fallbackPath, message: err.message, line: err.line, column: err.column };
  return { path: fallbackPath, message: err instanceof Error ? err.message : String(err) };
}
