// Which fields a regeneration re-runs (lib/runs/README.md, "Regenerate one field"): the
// chosen LLM field and every later field that reads it, directly or through another
// re-run field. Pure, so the dialog shows the same list the executor runs.
import { templateVariables } from "./render";
import { isRuleField, type Blueprint, type Field } from "./schema";

/** The names a field reads from earlier fields; a template that does not parse reads nothing (validation reports it). */
export function fieldInputs(field: Field): string[] {
  const vars = (source: string) => {
    try {
      return templateVariables(source).map((v) => v.name);
    } catch {
      return [];
    }
  };
  switch (field.kind) {
    case "llm":
      return [...vars(field.system), ...vars(field.prompt)];
    case "expression":
      return vars(field.template);
    case "judge":
      return field.over;
    case "conversation":
      return [...vars(field.persona), ...vars(field.system)];
    case "evolve":
      return field.source ? [field.source] : [];
    case "validator": {
      const c = field.check;
      if (c.type === "expression") return vars(c.condition);
      if (c.type === "similar_to_pool") return [c.field, c.pool];
      return c.type === "mentions" ? [c.field, ...c.sources] : [c.field];
    }
    case "category":
      return field.dependsOn ? [field.dependsOn] : [];
    case "transform":
    case "mask":
      return [field.source];
    default:
      return [];
  }
}

/**
 * The fields after `name` that read it, transitively, in blueprint order. Samplers are
 * never included: a record's draws are kept (a category's `dependsOn` an LLM field is not
 * something validation allows). Validators are listed because their checks are evaluated
 * again on the new values.
 */
export function dependentFields(blueprint: Blueprint, name: string): Field[] {
  const changed = new Set([name]);
  const out: Field[] = [];
  const at = blueprint.fields.findIndex((f) => f.name === name);
  if (at < 0) return out;
  for (const field of blueprint.fields.slice(at + 1)) {
    if (field.kind === "category" || field.kind === "subset" || field.kind === "number" || field.kind === "seed") continue;
    if (fieldInputs(field).some((n) => changed.has(n))) {
      out.push(field);
      changed.add(field.name);
    }
  }
  return out;
}

/**
 * The fields a person reads to decide on a record: LLM and expression values (samplers are
 * never regenerated). A judge's verdict or a validator's check changing alone does not
 * reset a decision: they are the machine's opinion of those values, not what was reviewed.
 */
export function reviewedFields(blueprint: Blueprint): string[] {
  return blueprint.fields.filter((f) => f.kind === "llm" || f.kind === "expression" || f.kind === "conversation" || f.kind === "evolve" || isRuleField(f)).map((f) => f.name);
}
