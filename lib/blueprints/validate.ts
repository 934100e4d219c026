// Blueprint validation: everything that would make a run fail or silently produce
// something other than what the user meant, reported per field with a message that
// says how to fix it. Runs on every keystroke in the editor, so it stays pure and fast.
import {
  FIELD_NAME_PATTERN,
  MAX_CONVERSATION_TURNS,
  MAX_EVOL_GENERATIONS,
  type ConversationField,
  type EvolveField,
  type Blueprint,
  type CategoryField,
  type Field,
  type FieldKind,
  type JudgeField,
  type LlmField,
  type MaskField,
  type PoolField,
  type TransformField,
  type ValidatorField,
  type WeightedOption,
} from "./schema";
import { checkJsonSchema, editDistance, schemaProperties } from "./json-schema";
import { EXAMPLES_VARIABLE } from "./messages";
import { templateSyntaxError, templateVariables, type TemplateVariable } from "./render";
import { expressionError, expressionVariables } from "@/lib/quality/validators/expression";
import { LANGUAGES } from "@/lib/quality/validators/languages";
import { regexError } from "@/lib/quality/validators/regex";
import { compileGrammar } from "@/lib/recipes/grammar";
import { ENTITY_TYPES } from "@/lib/recipes/mask";
import { validatePoolInput } from "@/lib/recipes/self-instruct";

/** Which part of the field an issue is about; the editor uses it to place the message. */
export type BlueprintIssuePath =
  | "name"
  | "prompt"
  | "system"
  | "template"
  | "model"
  | "options"
  | "conditionalOptions"
  | "weights"
  | "k"
  | "schema"
  | "min"
  | "max"
  | "seedTableId"
  | "column"
  | "order"
  | "dependsOn"
  | "fewShot"
  // Validator fields (the check's parts).
  | "target"
  | "pattern"
  | "condition"
  | "message"
  | "sources"
  | "language"
  // Judge fields: `index` is the criterion concerned.
  | "over"
  | "criteria"
  | "levels"
  // Conversation fields.
  | "persona"
  | "turns"
  // Evolve fields.
  | "source"
  | "generations"
  | "mutations"
  // Rule-based fields (grammar, transform, mask; "source" above too).
  | "grammar"
  | "amount"
  | "entityTypes"
  | "patterns"
  | "rate"
  // Pool fields (Self-Instruct; "seedTableId" above too) and "similar to the pool" validators.
  | "human"
  | "generated"
  | "targetSize"
  | "perRound"
  | "pool";

export interface BlueprintIssue {
  fieldId: string;
  fieldName: string;
  path: BlueprintIssuePath;
  message: string;
  /** 1-based position inside the text at `path` (templates, JSON schema). */
  line?: number;
  column?: number;
  /** Index of the option / few-shot example concerned, when there is one. */
  index?: number;
  /** For `conditionalOptions`: the parent value whose list is concerned. */
  key?: string;
  severity: "error" | "warning";
}

export interface SeedTableInfo {
  name: string;
  columns: string[];
  /** When known, lets validation flag an empty table before a run. */
  rowCount?: number;
}

/** The stored seed tables, keyed as validation wants them. */
export function seedTableInfo(tables: readonly ({ id: string } & SeedTableInfo)[]): Record<string, SeedTableInfo> {
  return Object.fromEntries(tables.map((t) => [t.id, { name: t.name, columns: t.columns, rowCount: t.rowCount }]));
}

export interface ValidateOptions {
  /** Seed tables of the project by id; omit to skip seed-table checks. */
  seedTables?: Record<string, SeedTableInfo>;
}

/**
 * Names that can't be fields: `examples` holds inline few-shot examples, and the others
 * are Liquid literals, so `{{ true }}` would never read a field called `true`.
 */
export const RESERVED_NAMES = [EXAMPLES_VARIABLE, "true", "false", "nil", "null", "empty", "blank"] as const;

/** Properties Liquid gives strings and arrays; reading them on a plain value is fine. */
const BUILTIN_PROPERTIES = new Set(["size", "first", "last"]);

export function hasErrors(issues: readonly BlueprintIssue[]): boolean {
  return issues.some((i) => i.severity === "error");
}

export function validateBlueprint(blueprint: Blueprint, options: ValidateOptions = {}): BlueprintIssue[] {
  const issues: BlueprintIssue[] = [];
  const fields = blueprint.fields;
  const jsonSchemas = new Map<number, Record<string, unknown> | null>();

  fields.forEach((field, index) => {
    const add = (issue: Omit<BlueprintIssue, "fieldId" | "fieldName" | "severity"> & { severity?: "error" | "warning" }) =>
      issues.push({ fieldId: field.id, fieldName: field.name, severity: "error", ...issue });
    const ctx: FieldContext = { blueprint, index, field, add, jsonSchemas };

    checkName(ctx);
    switch (field.kind) {
      case "category":
        checkCategory(ctx, field);
        break;
      case "subset": {
        if (field.options.length === 0) add({ path: "options", message: "Add at least one option to choose from." });
        checkDuplicates(field.options, (value, i) =>
          add({ path: "options", index: i, severity: "warning", message: `"${value}" is listed more than once; duplicates can be picked together.` }),
        );
        field.options.forEach((o, i) => {
          if (o.trim() === "") add({ path: "options", index: i, severity: "warning", message: `Option ${i + 1} is empty.` });
        });
        if (!Number.isInteger(field.k) || field.k < 1) {
          add({ path: "k", message: "Pick at least 1 option per record (k must be a whole number of 1 or more)." });
        } else if (field.options.length > 0 && field.k > field.options.length) {
          add({
            path: "k",
            message: `k is ${field.k} but there ${field.options.length === 1 ? "is only 1 option" : `are only ${field.options.length} options`}; lower k or add options.`,
          });
        }
        break;
      }
      case "number": {
        const finiteMin = Number.isFinite(field.min);
        const finiteMax = Number.isFinite(field.max);
        if (!finiteMin) add({ path: "min", message: "Enter a number for the minimum." });
        if (!finiteMax) add({ path: "max", message: "Enter a number for the maximum." });
        if (finiteMin && finiteMax && field.min > field.max) {
          add({ path: "min", message: `The minimum (${field.min}) is greater than the maximum (${field.max}); swap them.` });
        }
        if (field.integer) {
          if (finiteMin && !Number.isInteger(field.min)) add({ path: "min", message: "Whole-number fields need a whole-number minimum; round it or switch to decimals." });
          if (finiteMax && !Number.isInteger(field.max)) add({ path: "max", message: "Whole-number fields need a whole-number maximum; round it or switch to decimals." });
        }
        break;
      }
      case "seed":
        checkSeed(ctx, field, options.seedTables);
        break;
      case "llm":
        checkLlm(ctx, field);
        break;
      case "expression":
        if (field.template.trim() === "") {
          add({ path: "template", message: "Write a template that combines earlier fields, e.g. {{ sentiment }}." });
        } else {
          checkTemplate(ctx, field.template, "template");
        }
        break;
      case "validator":
        checkValidator(ctx, field);
        break;
      case "judge":
        checkJudge(ctx, field);
        break;
      case "conversation":
        checkConversation(ctx, field);
        break;
      case "evolve":
        checkEvolve(ctx, field);
        break;
      case "grammar":
        for (const g of compileGrammar(field.grammar).issues) {
          add({ path: "grammar", message: g.message, line: g.line, column: g.column, severity: g.severity });
        }
        break;
      case "transform":
        checkSource(ctx, field);
        checkTransformAmount(ctx, field);
        break;
      case "mask":
        checkSource(ctx, field);
        checkMask(ctx, field);
        break;
      case "pool":
        checkPool(ctx, field, options.seedTables);
        break;
    }
  });
  return issues;
}

/** Pools grow one round at a time; a target past this is a run of hours, better split. */
export const MAX_POOL_TARGET = 100_000;

/**
 * A pool field reads a seed table with an `instruction` column whose seeds can fill the
 * human share of a prompt (lib/recipes/self-instruct.ts validatePoolInput), and needs a
 * "similar to the pool" validator below it: that validator names the text that joins the pool.
 */
function checkPool(ctx: FieldContext, field: PoolField, seedTables: ValidateOptions["seedTables"]) {
  const { add, blueprint, index } = ctx;
  const mix = { human: field.human, generated: field.generated };
  if (!field.seedTableId) add({ path: "seedTableId", message: "Choose the seed table that holds the pool (a column named instruction)." });
  else if (seedTables) {
    const table = Object.hasOwn(seedTables, field.seedTableId) ? seedTables[field.seedTableId] : undefined;
    if (!table) add({ path: "seedTableId", message: "This seed table no longer exists; choose another table or upload it again." });
    else if (!table.columns.includes("instruction")) add({ path: "seedTableId", message: `"${table.name}" has no column "instruction"; the pool's instructions are read from it.` });
    else if (table.rowCount !== undefined) {
      const problem = validatePoolInput(table.rowCount, mix);
      if (problem && Number.isInteger(mix.human) && mix.human >= 1 && Number.isInteger(mix.generated) && mix.generated >= 0) add({ path: "human", message: problem });
    }
  }
  if (!Number.isInteger(mix.human) || mix.human < 1) add({ path: "human", message: "A prompt needs at least 1 human example (a whole number)." });
  if (!Number.isInteger(mix.generated) || mix.generated < 0) add({ path: "generated", message: "Generated examples must be a whole number, 0 or more." });
  if (!Number.isInteger(field.targetSize) || field.targetSize < 1 || field.targetSize > MAX_POOL_TARGET)
    add({ path: "targetSize", message: `The target pool size must be a whole number from 1 to ${MAX_POOL_TARGET.toLocaleString("en")}.` });
  if (!Number.isInteger(field.perRound) || field.perRound < 1 || field.perRound > 1000)
    add({ path: "perRound", message: "Candidates per round must be a whole number from 1 to 1,000." });
  if (blueprint.fields.some((f, i) => i < index && f.kind === "pool")) add({ path: "name", message: "A blueprint grows one pool; remove this second pool field." });
  const similar = blueprint.fields.some((f, i) => i > index && f.kind === "validator" && f.check.type === "similar_to_pool" && f.check.pool === field.name);
  if (!similar) add({ path: "seedTableId", message: `Add a "similar to the pool" validator below, reading "${field.name}": it checks each new instruction and names the text that joins the pool.` });
}

/** The earlier field a transform or mask reads. */
function checkSource(ctx: FieldContext, field: TransformField | MaskField) {
  const { add, blueprint, index } = ctx;
  if (!field.source) return add({ path: "source", message: "Choose the earlier text field this field reads." });
  const at = blueprint.fields.findIndex((f) => f.name === field.source);
  if (at < 0) return add({ path: "source", message: `There is no field "${field.source}" above this one.` });
  if (at >= index) return add({ path: "source", message: `"${field.source}" is below this field; move this field under it.` });
  if (blueprint.fields[at].kind === "validator") add({ path: "source", message: `"${field.source}" is a validator: it has no text to read.` });
}

function checkTransformAmount({ add }: FieldContext, field: TransformField) {
  const a = field.amount;
  if (field.operation === "perturb_dates") {
    if (!(Number.isInteger(a) && a >= 0)) add({ path: "amount", message: "Enter the most days a date may move: a whole number, 0 or more." });
  } else if (field.operation === "perturb_numbers") {
    if (!(Number.isFinite(a) && a >= 0)) add({ path: "amount", message: "Enter the relative range, 0 or more (0.1 moves numbers by up to ±10%)." });
  } else if (!(a >= 0 && a <= 1)) {
    add({ path: "amount", message: "Enter a rate between 0 and 1 (the share of words or sentences changed)." });
  }
}

/** A token-masked value: `{ masked, targets }` (lib/blueprints/rule-fields.ts). */
const TOKEN_MASK_PROPERTIES = ["masked", "targets"] as const;

/** Placeholder names become `[NAME]` in the text: identifiers, so they read as placeholders. */
const MASK_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

function checkMask({ add }: FieldContext, field: MaskField) {
  if (field.mode === "tokens") {
    if (!(field.rate >= 0 && field.rate <= 1)) add({ path: "rate", message: "Enter the share of tokens to mask, between 0 and 1." });
    return;
  }
  field.entityTypes.forEach((t, i) => {
    if (!(ENTITY_TYPES as readonly string[]).includes(t)) add({ path: "entityTypes", index: i, message: `"${t}" is not an entity type; use ${ENTITY_TYPES.join(", ")}.` });
  });
  if (field.entityTypes.length === 0 && field.patterns.length === 0) add({ path: "entityTypes", message: "Choose at least one entity type or add a pattern." });
  field.patterns.forEach((p, i) => {
    if (!MASK_NAME_PATTERN.test(p.name)) add({ path: "patterns", index: i, message: `Name pattern ${i + 1} with letters, digits and _ (e.g. EMPLOYEE_ID); matches become [${p.name || "NAME"}].` });
    const error = regexError(p.pattern);
    if (error) add({ path: "patterns", index: i, message: `Pattern ${i + 1}: ${error}` });
  });
}

/** A validator's target and options; a broken pattern or condition is an error beside its input. */
function checkValidator(ctx: FieldContext, field: ValidatorField) {
  const { add, blueprint, index } = ctx;
  const check = field.check;
  const earlier = blueprint.fields.slice(0, index).filter((f) => f.kind !== "validator");
  const findEarlier = (name: string) => earlier.find((f) => f.name === name);
  if ("field" in check) {
    const target = check.field ? findEarlier(check.field) : undefined;
    if (!check.field) add({ path: "target", message: "Choose the field this validator checks." });
    else if (!target) {
      const below = blueprint.fields.findIndex((f) => f.name === check.field) > index;
      add({
        path: "target",
        message: below ? `"${check.field}" is below this validator; move the validator under it.` : `There is no field "${check.field}" above this validator.`,
      });
    } else if (check.type === "json_schema" && !(target.kind === "llm" && target.output.type === "json")) {
      add({ path: "target", message: `"${target.name}" is not an LLM field with JSON output; only those have a schema to match.` });
    }
  }
  switch (check.type) {
    case "length":
      if (check.min === null && check.max === null) add({ path: "min", message: "Set a minimum, a maximum, or both." });
      if (check.min !== null && check.max !== null && check.min > check.max) {
        add({ path: "min", message: `The minimum (${check.min}) is greater than the maximum (${check.max}); swap them.` });
      }
      break;
    case "regex": {
      const err = regexError(check.pattern);
      if (err) add({ path: "pattern", message: err });
      break;
    }
    case "mentions":
      if (check.sources.length === 0) add({ path: "sources", message: "Choose the sampled fields whose values the text must mention." });
      check.sources.forEach((name, i) => {
        const source = findEarlier(name);
        if (!source) add({ path: "sources", index: i, message: `There is no field "${name}" above this validator.` });
      });
      break;
    case "language":
      if (!Object.hasOwn(LANGUAGES, check.language)) add({ path: "language", message: "Choose a language from the list." });
      break;
    case "expression": {
      const err = expressionError(check.condition);
      if (err) {
        add({ path: "condition", message: err.message, line: err.line, column: err.column });
        break;
      }
      for (const v of expressionVariables(check.condition)) {
        if (findEarlier(v.name)) continue;
        const hint = closestName(v.name, earlier.map((f) => f.name));
        add({
          path: "condition",
          line: v.line,
          column: v.column,
          message: `Unknown variable "${v.name}"${hint ? `; did you mean "${hint}"?` : "; it must be the name of a field above this validator."}`,
        });
      }
      if (check.message.includes("{")) {
        const syntax = templateSyntaxError(check.message);
        if (syntax) add({ path: "message", message: syntax.message, line: syntax.line, column: syntax.column });
      }
      break;
    }
    case "json_schema":
      break;
    case "similar_to_pool": {
      const pool = findEarlier(check.pool);
      if (!check.pool) add({ path: "pool", message: "Choose the pool field whose instructions the text is compared with." });
      else if (!pool || pool.kind !== "pool") add({ path: "pool", message: `There is no pool field "${check.pool}" above this validator.` });
      else if (field.mode !== "reject") add({ path: "target", message: "A text too similar to the pool must not join it: set this validator to reject." });
      break;
    }
  }
}

/**
 * A judge reads earlier fields and scores them on criteria whose names become keys of its
 * value (`{{ quality.simple.score }}`) and of the answer's schema, so they must be unique
 * variable-like names; level values must be distinct or two levels are one enum value.
 */
function checkJudge(ctx: FieldContext, field: JudgeField) {
  const { add, blueprint, index } = ctx;
  if (field.model.trim() === "") add({ path: "model", message: "Choose the model that judges." });
  if (field.over.length === 0) add({ path: "over", message: "Choose the fields this judge reads." });
  field.over.forEach((name, i) => {
    const at = blueprint.fields.findIndex((f) => f.name === name);
    const target = at >= 0 ? blueprint.fields[at] : undefined;
    if (!target) {
      const hint = closestName(name, blueprint.fields.slice(0, index).map((f) => f.name));
      add({ path: "over", index: i, message: `There is no field "${name}" above this judge${hint ? `; did you mean "${hint}"?` : "."}` });
    } else if (at === index) add({ path: "over", index: i, message: "A judge can't read its own value; choose fields above it." });
    else if (at > index) add({ path: "over", index: i, message: `"${name}" is below this judge; move the judge under it.` });
    else if (target.kind === "validator") add({ path: "over", index: i, message: `"${name}" is a validator: it checks records and has no value to judge.` });
  });
  checkDuplicates(field.over, (name, i) => add({ path: "over", index: i, severity: "warning", message: `"${name}" is listed more than once; the judge reads it once.` }));

  if (field.criteria.length === 0) add({ path: "criteria", message: "Add at least one criterion to score." });
  const names = new Set<string>();
  field.criteria.forEach((c, i) => {
    const label = c.name.trim() ? `"${c.name}"` : `Criterion ${i + 1}`;
    if (c.name.trim() === "") add({ path: "criteria", index: i, message: `Criterion ${i + 1} needs a name; its score is read as {{ ${field.name || "judge"}.name.score }}.` });
    else if (!FIELD_NAME_PATTERN.test(c.name)) {
      add({ path: "criteria", index: i, message: `"${c.name}" can't be a criterion name: use letters, digits and underscores, not starting with a digit.` });
    } else if (names.has(c.name)) add({ path: "criteria", index: i, message: `Two criteria are called "${c.name}"; each criterion needs a unique name.` });
    names.add(c.name);
    if (c.description.trim() === "") add({ path: "criteria", index: i, severity: "warning", message: `${label} has no description; the judge only sees its name.` });
    if (c.levels.length === 0) {
      add({ path: "levels", index: i, message: `${label} has no score levels; add the scores it can take (e.g. 1 to 5, or pass and fail).` });
    } else if (c.levels.length === 1) {
      add({ path: "levels", index: i, severity: "warning", message: `${label} has a single level, so every record gets the same score; add another.` });
    }
    c.levels.forEach((l, j) => {
      if (String(l.value).trim() === "") add({ path: "levels", index: i, message: `Level ${j + 1} of ${label} has no value.` });
    });
    // 3 and "3" are one score to a person reading the grid.
    checkDuplicates(
      c.levels.map((l) => String(l.value).trim()).filter((v) => v !== ""),
      (value) => add({ path: "levels", index: i, message: `${label} lists the level ${value} more than once; each level needs a distinct value.` }),
    );
  });
}

interface FieldContext {
  blueprint: Blueprint;
  index: number;
  field: Field;
  add: (issue: Omit<BlueprintIssue, "fieldId" | "fieldName" | "severity"> & { severity?: "error" | "warning" }) => void;
  /** Parsed output schemas of JSON LLM fields by field index (filled lazily). */
  jsonSchemas: Map<number, Record<string, unknown> | null>;
}

function checkName({ blueprint, index, field, add }: FieldContext) {
  const name = field.name;
  if (name.trim() === "") {
    add({ path: "name", message: "Give this field a name; templates use it as {{ name }}." });
    return;
  }
  if (!FIELD_NAME_PATTERN.test(name)) {
    const suggestion = suggestName(name);
    add({
      path: "name",
      message: `"${name}" can't be used as a variable name: use letters, digits and underscores, not starting with a digit${suggestion ? ` (e.g. "${suggestion}")` : ""}.`,
    });
    return;
  }
  if ((RESERVED_NAMES as readonly string[]).includes(name)) {
    add({
      path: "name",
      message:
        name === EXAMPLES_VARIABLE
          ? '"examples" is reserved for few-shot examples ({{ examples }}); choose another name.'
          : `"${name}" is a reserved word in templates; choose another name.`,
    });
    return;
  }
  const first = blueprint.fields.findIndex((f) => f.name === name);
  if (first < index) {
    add({ path: "name", message: `Field ${first + 1} is already called "${name}"; each field needs a unique name.` });
  }
}

function suggestName(name: string): string | null {
  const s = name
    .trim()
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (s === "") return null;
  return /^[0-9]/.test(s) ? `_${s}` : s;
}

function checkDuplicates(values: readonly string[], report: (value: string, index: number) => void) {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    if (seen.has(v)) report(v, i);
    seen.add(v);
  });
}

function checkWeightedList(
  add: FieldContext["add"],
  list: readonly WeightedOption[],
  where: { path: "options" | "conditionalOptions"; key?: string },
) {
  const forKey = where.key !== undefined ? ` for "${where.key}"` : "";
  if (list.length === 0) {
    // Empty fallback lists are judged by the caller, which knows whether they are reachable.
    if (where.path === "conditionalOptions") add({ ...where, message: `The list${forKey} is empty; add options or remove the list.` });
    return;
  }
  let total = 0;
  let weightsValid = true;
  list.forEach((o, i) => {
    if (typeof o.weight !== "number" || !Number.isFinite(o.weight)) {
      weightsValid = false;
      add({ ...where, path: where.path === "options" ? "weights" : where.path, index: i, message: `The weight of "${o.value}"${forKey} must be a number.` });
    } else if (o.weight < 0) {
      weightsValid = false;
      add({ ...where, path: where.path === "options" ? "weights" : where.path, index: i, message: `The weight of "${o.value}"${forKey} is negative; use 0 or more.` });
    } else {
      total += o.weight;
    }
    if (o.value.trim() === "") add({ ...where, index: i, severity: "warning", message: `Option ${i + 1}${forKey} is empty.` });
  });
  if (weightsValid && total === 0) {
    add({ ...where, path: where.path === "options" ? "weights" : where.path, message: `All weights${forKey} are 0; give at least one option a weight above 0.` });
  }
  checkDuplicates(
    list.map((o) => o.value),
    (value, i) => add({ ...where, index: i, severity: "warning", message: `"${value}"${forKey} is listed more than once; its weights add up.` }),
  );
}

/** Possible values of a category, when they can be known (they can't for numbers or seeds). */
function categoryValues(field: CategoryField): Set<string> {
  const values = new Set(field.options.map((o) => o.value));
  for (const list of Object.values(field.conditionalOptions ?? {})) for (const o of list) values.add(o.value);
  return values;
}

function checkCategory(ctx: FieldContext, field: CategoryField) {
  const { add, blueprint, index } = ctx;
  checkWeightedList(add, field.options, { path: "options" });
  const conditional = field.conditionalOptions ?? {};
  const keys = Object.keys(conditional);
  for (const key of keys) checkWeightedList(add, conditional[key], { path: "conditionalOptions", key });

  if (!field.dependsOn) {
    if (field.options.length === 0) add({ path: "options", message: "Add at least one option to choose from." });
    if (keys.length > 0) {
      add({ path: "dependsOn", severity: "warning", message: "Conditional option lists are ignored until you choose which earlier field they depend on." });
    }
    return;
  }

  const parentIndex = blueprint.fields.findIndex((f) => f.name === field.dependsOn);
  const parent = parentIndex >= 0 ? blueprint.fields[parentIndex] : undefined;
  if (!parent) {
    add({ path: "dependsOn", message: `There is no field called "${field.dependsOn}"; choose one of the fields above.` });
  } else if (parentIndex === index) {
    add({ path: "dependsOn", message: "A field can't depend on itself; choose a field above it." });
  } else if (parentIndex > index) {
    add({ path: "dependsOn", message: `"${parent.name}" is defined below this field; move it above or depend on an earlier field.` });
  } else if (parent.kind === "subset" || parent.kind === "llm" || parent.kind === "expression" || parent.kind === "judge") {
    add({
      path: "dependsOn",
      message: `Options can only depend on a category, number or seed field, not on ${kindLabel(parent.kind)} "${parent.name}".`,
    });
  }

  if (keys.length === 0) {
    add({ path: "conditionalOptions", severity: "warning", message: `Add option lists for values of "${field.dependsOn}"; until then the default options are always used.` });
  }
  if (parent?.kind === "category" && parentIndex < index) {
    const values = categoryValues(parent);
    for (const key of keys) {
      if (!values.has(key)) {
        add({ path: "conditionalOptions", key, severity: "warning", message: `"${key}" is not an option of "${parent.name}", so this list is never used.` });
      }
    }
    if (field.options.length === 0) {
      const uncovered = [...values].filter((v) => !Object.hasOwn(conditional, v));
      if (uncovered.length > 0) {
        add({
          path: "options",
          message: `No options when "${parent.name}" is ${uncovered.map((v) => `"${v}"`).join(", ")}; add a list for ${uncovered.length === 1 ? "it" : "each"} or add default options.`,
        });
      }
    }
  } else if (parent && field.options.length === 0) {
    add({
      path: "options",
      severity: "warning",
      message: `Values of "${parent.name}" without their own list get no option; add default options as a fallback.`,
    });
  }
}

function checkSeed(ctx: FieldContext, field: Extract<Field, { kind: "seed" }>, seedTables: ValidateOptions["seedTables"]) {
  const { add, blueprint, index } = ctx;
  if (!field.seedTableId) {
    add({ path: "seedTableId", message: "Choose the seed table this field reads from." });
    return;
  }
  if (seedTables) {
    const table = Object.hasOwn(seedTables, field.seedTableId) ? seedTables[field.seedTableId] : undefined;
    if (!table) {
      add({ path: "seedTableId", message: "This seed table no longer exists; choose another table or upload it again." });
    } else {
      if (!field.column) add({ path: "column", message: `Choose a column of "${table.name}".` });
      else if (!table.columns.includes(field.column)) {
        add({
          path: "column",
          message: `"${table.name}" has no column "${field.column}"; choose one of: ${table.columns.map((c) => `"${c}"`).join(", ")}.`,
        });
      }
      if (table.rowCount === 0) add({ path: "seedTableId", message: `"${table.name}" has no rows; upload a table with data.` });
    }
  } else if (!field.column) {
    add({ path: "column", message: "Choose a column of the seed table." });
  }
  const first = blueprint.fields.find((f, i) => i < index && f.kind === "seed" && f.seedTableId === field.seedTableId);
  if (first && first.kind === "seed" && (first.order ?? "random") !== (field.order ?? "random")) {
    add({
      path: "order",
      severity: "warning",
      message: `Seed fields reading the same table share one row per record, so "${first.name}"'s order (${first.order}) is used; set both to the same order.`,
    });
  }
}

function checkLlm(ctx: FieldContext, field: LlmField) {
  const { add } = ctx;
  if (field.model.trim() === "") add({ path: "model", message: "Choose the model that generates this field." });

  let usesExamples = false;
  if (field.prompt.trim() === "") {
    add({ path: "prompt", message: "Write the prompt sent to the model; insert earlier fields with {{ name }}." });
  } else {
    usesExamples = checkTemplate(ctx, field.prompt, "prompt").some((v) => v.name === EXAMPLES_VARIABLE) || usesExamples;
  }
  if (field.system.trim() !== "") {
    usesExamples = checkTemplate(ctx, field.system, "system").some((v) => v.name === EXAMPLES_VARIABLE) || usesExamples;
  }

  if (field.output.type === "json") {
    const { issues, schema } = checkJsonSchema(field.output.schema);
    for (const i of issues) add({ path: "schema", message: i.message, line: i.line, column: i.column, severity: i.severity });
    ctx.jsonSchemas.set(ctx.index, schema);
  }

  const fs = field.fewShot;
  if (fs.k > 0 && fs.k > fs.examples.length) {
    add({
      path: "fewShot",
      message:
        fs.examples.length === 0
          ? `k is ${fs.k} but there are no examples; add examples or set k to 0.`
          : `k is ${fs.k} but there ${fs.examples.length === 1 ? "is only 1 example" : `are only ${fs.examples.length} examples`}; lower k or add examples.`,
    });
  }
  fs.examples.forEach((e, i) => {
    if (e.input.trim() === "" || e.output.trim() === "") {
      add({ path: "fewShot", index: i, severity: "warning", message: `Example ${i + 1} has an empty ${e.input.trim() === "" ? "input" : "output"}.` });
    }
  });
  if (fs.mode === "inline" && fs.k > 0 && !usesExamples && field.prompt.trim() !== "") {
    add({
      path: "fewShot",
      severity: "warning",
      message: "Inline examples only reach the model where the prompt says {{ examples }}; add it to the prompt or switch to chat turns.",
    });
  }
}

/** Reports syntax and variable problems; returns the variables used (empty on syntax error). */
/** Both sides' templates and the number of turns (1..20; a range drawn per record). */
function checkConversation(ctx: FieldContext, field: ConversationField) {
  const { add } = ctx;
  if (field.model.trim() === "") add({ path: "model", message: "Choose the model that plays both sides of the conversation." });
  if (field.persona.trim() === "") {
    add({ path: "persona", message: "Describe the simulated user: who they are and what they want, e.g. You are {{ name }}, who wants {{ goal }}." });
  } else {
    checkTemplate(ctx, field.persona, "persona");
  }
  if (field.system.trim() !== "") checkTemplate(ctx, field.system, "system");
  const { min, max } = field.turns;
  for (const [end, n] of [["fewest", min], ["most", max]] as const) {
    if (!Number.isInteger(n)) add({ path: "turns", message: `The ${end} turns must be a whole number.` });
    else if (n < 1) add({ path: "turns", message: `A conversation needs at least 1 turn (the ${end} turns is ${n}).` });
    else if (n > MAX_CONVERSATION_TURNS) add({ path: "turns", message: `At most ${MAX_CONVERSATION_TURNS} turns: each turn resends the whole conversation (the ${end} turns is ${n}).` });
  }
  if (Number.isInteger(min) && Number.isInteger(max) && min > max) add({ path: "turns", message: `The fewest turns (${min}) is more than the most (${max}); swap them.` });
}

/** The instruction to evolve (an earlier field), K in 1..MAX_EVOL_GENERATIONS, and at least one mutation with its method. */
function checkEvolve(ctx: FieldContext, field: EvolveField) {
  const { add, blueprint, index } = ctx;
  if (!field.source) add({ path: "source", message: "Choose the field that holds the instructions to evolve (a seed-table column or an earlier field)." });
  else if (!blueprint.fields.slice(0, index).some((f) => f.name === field.source && f.kind !== "validator")) {
    const below = blueprint.fields.findIndex((f) => f.name === field.source) > index;
    add({ path: "source", message: below ? `"${field.source}" is below this field; move it above.` : `There is no field "${field.source}" above this field.` });
  }
  const k = field.generations;
  if (!Number.isInteger(k)) add({ path: "generations", message: "Generations must be a whole number." });
  else if (k < 1) add({ path: "generations", message: `Evolve for at least 1 generation (it is ${k}).` });
  else if (k > MAX_EVOL_GENERATIONS) add({ path: "generations", message: `At most ${MAX_EVOL_GENERATIONS} generations: each costs up to three calls per record and instructions drift after a few (it is ${k}).` });
  const enabled = field.mutations.filter((m) => m.enabled);
  if (enabled.length === 0) add({ path: "mutations", message: "Enable at least one mutation to draw from." });
  for (const m of enabled) {
    if (m.id !== "breadth" && m.method.trim() === "") add({ path: "mutations", message: `The "${m.id}" mutation has no method text; write one or disable it.` });
  }
  if (field.model.trim() === "") add({ path: "model", message: "Choose the model that rewrites, answers and compares the instructions." });
}

function checkTemplate(ctx: FieldContext, source: string, path: "prompt" | "system" | "template" | "persona"): TemplateVariable[] {
  const { add, blueprint, index, field } = ctx;
  const syntax = templateSyntaxError(source);
  if (syntax) {
    add({ path, message: syntax.message, line: syntax.line, column: syntax.column });
    return [];
  }
  const variables = templateVariables(source);
  for (const v of variables) {
    const at = { path, line: v.line, column: v.column };
    if (v.name === EXAMPLES_VARIABLE) {
      if (field.kind !== "llm") {
        add({ ...at, message: "{{ examples }} is only available in LLM prompts with inline few-shot examples." });
      } else if (field.fewShot.mode !== "inline") {
        add({
          ...at,
          severity: "warning",
          message: "{{ examples }} is empty in chat-turn mode (examples are sent as separate messages); switch few-shot to inline or remove it.",
        });
      }
      continue;
    }
    const target = blueprint.fields.findIndex((f) => f.name === v.name);
    if (target >= 0 && blueprint.fields[target].kind === "validator") {
      add({ ...at, message: `"${v.name}" is a validator: it checks records and has no value to insert.` });
    } else if (target >= 0 && target < index) {
      checkProperties(ctx, target, v, path);
    } else if (target === index) {
      add({ ...at, message: `A field can't use its own value: "${v.name}" refers to this field.` });
    } else if (target > index) {
      add({ ...at, message: `"${v.name}" is defined below this field; move it above or reference an earlier field.` });
    } else {
      const hint = closestName(v.name, blueprint.fields.slice(0, index).map((f) => f.name));
      add({ ...at, message: `Unknown variable "${v.name}"${hint ? `; did you mean "${hint}"?` : "; it must be the name of a field above this one."}` });
    }
  }
  return variables;
}

/** Warns when `{{ x.prop }}` can only render empty. */
/** An evolve field's value (lib/recipes/evol-lineage.ts EvolValue). */
const EVOL_PROPERTIES = ["instruction", "seed", "lineage"];

function checkProperties(ctx: FieldContext, targetIndex: number, v: TemplateVariable, path: "prompt" | "system" | "template" | "persona") {
  const prop = v.properties[0];
  if (prop === undefined || typeof prop === "number" || BUILTIN_PROPERTIES.has(prop)) return;
  const target = ctx.blueprint.fields[targetIndex];
  const at = { path, line: v.line, column: v.column, severity: "warning" as const };
  if (target.kind === "llm" && target.output.type === "json") {
    const props = schemaProperties(jsonSchemaOf(ctx, targetIndex));
    if (props && !props.includes(prop)) {
      ctx.add({
        ...at,
        message: `The output schema of "${target.name}" has no property "${prop}"${props.length ? ` (it has: ${props.join(", ")})` : ""}.`,
      });
    }
    return;
  }
  if (target.kind === "judge") {
    const criteria = target.criteria.map((c) => c.name);
    if (!criteria.includes(prop)) {
      ctx.add({ ...at, message: `The judge "${target.name}" has no criterion "${prop}"${criteria.length ? ` (it has: ${criteria.join(", ")})` : ""}.` });
    }
    return;
  }
  if (target.kind === "evolve") {
    if (!EVOL_PROPERTIES.includes(prop)) ctx.add({ ...at, message: `"${target.name}" has no property "${prop}" (it has: ${EVOL_PROPERTIES.join(", ")}).` });
    return;
  }
  if (target.kind === "mask" && target.mode === "tokens") {
    if (!(TOKEN_MASK_PROPERTIES as readonly string[]).includes(prop)) {
      ctx.add({ ...at, message: `Token masking gives "${target.name}" the properties ${TOKEN_MASK_PROPERTIES.join(" and ")}; it has no "${prop}".` });
    }
    return;
  }
  const what = target.kind === "llm" ? "a text LLM output" : `${kindLabel(target.kind)} value`;
  ctx.add({ ...at, message: `"${target.name}" is ${what} without properties, so "${v.text}" is always empty.` });
}

function jsonSchemaOf(ctx: FieldContext, index: number): Record<string, unknown> | null {
  if (!ctx.jsonSchemas.has(index)) {
    const f = ctx.blueprint.fields[index];
    ctx.jsonSchemas.set(index, f.kind === "llm" && f.output.type === "json" ? checkJsonSchema(f.output.schema).schema : null);
  }
  return ctx.jsonSchemas.get(index) ?? null;
}

function kindLabel(kind: FieldKind): string {
  switch (kind) {
    case "category":
      return "a category";
    case "subset":
      return "a subset";
    case "number":
      return "a number";
    case "seed":
      return "a seed";
    case "llm":
      return "an LLM";
    case "expression":
      return "an expression";
    case "validator":
      return "a validator";
    case "judge":
      return "a judge";
    case "conversation":
      return "a conversation";
    case "evolve":
      return "an Evol-Instruct";
    case "grammar":
      return "a grammar";
    case "transform":
      return "a transform";
    case "mask":
      return "a mask";
    case "pool":
      return "a pool examples";
  }
}

function closestName(name: string, candidates: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDist = Math.min(3, Math.max(1, Math.floor(name.length / 3)) + 1);
  for (const c of candidates) {
    if (!c) continue;
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best;
}

export interface AvailableVariable {
  name: string;
  kind: FieldKind | "examples";
  fieldId?: string;
  description?: string;
  /** Top-level properties of a JSON LLM field's schema (a judge's criteria), for `{{ name.prop }}` completion. */
  properties?: string[];
}

/**
 * Variables a template of the field at `fieldIndex` may use: the uniquely named,
 * valid fields above it, plus `examples` for LLM fields with inline few-shot.
 * Pass `fieldIndex = fields.length` for a field about to be appended.
 */
export function availableVariables(blueprint: Blueprint, fieldIndex: number): AvailableVariable[] {
  const out: AvailableVariable[] = [];
  const seen = new Set<string>();
  blueprint.fields.slice(0, Math.max(0, fieldIndex)).forEach((f) => {
    if (!FIELD_NAME_PATTERN.test(f.name) || (RESERVED_NAMES as readonly string[]).includes(f.name) || seen.has(f.name)) return;
    // Validators check records; they add no value a template could read.
    if (f.kind === "validator") return;
    seen.add(f.name);
    const v: AvailableVariable = { name: f.name, kind: f.kind, fieldId: f.id };
    if (f.description) v.description = f.description;
    if (f.kind === "llm" && f.output.type === "json") {
      const props = schemaProperties(checkJsonSchema(f.output.schema).schema);
      if (props) v.properties = props;
    }
    if (f.kind === "judge") v.properties = f.criteria.map((c) => c.name).filter((n) => n !== "");
    if (f.kind === "mask" && f.mode === "tokens") v.properties = [...TOKEN_MASK_PROPERTIES];
    out.push(v);
  });
  const self = blueprint.fields[fieldIndex];
  if (self?.kind === "llm" && self.fewShot.mode === "inline") {
    out.push({ name: EXAMPLES_VARIABLE, kind: "examples", description: "The few-shot examples drawn for this record." });
  }
  return out;
}
