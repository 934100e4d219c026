// Structural checks of a user-typed JSON Schema (the output spec of JSON LLM fields).
// Not a full meta-schema validation: it catches the mistakes people actually make
// (typos in "type", "required" naming a missing property, wrong container shapes) and
// points at them by line and column.
import { jsonPointer, offsetToLineColumn, parseJsonWithPositions } from "./json-positions";

export interface SchemaIssue {
  message: string;
  line: number;
  column: number;
  severity: "error" | "warning";
}

export interface SchemaCheck {
  issues: SchemaIssue[];
  /** The parsed schema when it is at least a JSON object. */
  schema: Record<string, unknown> | null;
}

export const JSON_SCHEMA_TYPES = ["string", "number", "integer", "boolean", "object", "array", "null"] as const;

const SCHEMA_MAP_KEYWORDS = ["properties", "$defs", "definitions", "patternProperties"] as const;
const SCHEMA_LIST_KEYWORDS = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
const SCHEMA_KEYWORDS = ["additionalProperties", "not", "contains", "propertyNames", "if", "then", "else"] as const;
const NON_NEGATIVE_INT_KEYWORDS = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] as const;
const NUMBER_KEYWORDS = ["minimum", "maximum"] as const;
const RANGE_PAIRS = [
  ["minimum", "maximum"],
  ["minLength", "maxLength"],
  ["minItems", "maxItems"],
  ["minProperties", "maxProperties"],
] as const;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function checkJsonSchema(text: string): SchemaCheck {
  if (text.trim() === "") {
    return {
      issues: [{ message: 'Enter a JSON Schema, e.g. {"type": "object", "properties": {...}}.', line: 1, column: 1, severity: "error" }],
      schema: null,
    };
  }
  const parsed = parseJsonWithPositions(text);
  if (!parsed.ok) {
    return { issues: [{ message: `Invalid JSON: ${parsed.message}.`, line: parsed.line, column: parsed.column, severity: "error" }], schema: null };
  }
  const issues: SchemaIssue[] = [];
  const at = (pointer: string) => offsetToLineColumn(text, parsed.positions.get(pointer) ?? 0);
  const report = (pointer: string, message: string, severity: "error" | "warning" = "error") =>
    issues.push({ message, severity, ...at(pointer) });

  const root = parsed.value;
  if (!isObject(root)) {
    report("", 'The schema must be a JSON object such as {"type": "object", ...}.');
    return { issues, schema: null };
  }
  if (!("type" in root)) {
    report("", 'The schema needs a top-level "type" (usually "object").');
  } else if (root.type !== "object") {
    report("/type", 'Use "type": "object" at the top level; most providers only accept objects for structured output.', "warning");
  }

  const checkSchema = (schema: unknown, pointer: string, where: string) => {
    if (typeof schema === "boolean") return;
    if (!isObject(schema)) {
      report(pointer, `${where} must be a schema object like {"type": "string"}.`);
      return;
    }
    const kw = (k: string) => jsonPointer(pointer, k);

    if ("type" in schema) {
      const t = schema.type;
      const types = Array.isArray(t) ? t : [t];
      if (Array.isArray(t) && t.length === 0) report(kw("type"), '"type" must not be an empty list.');
      types.forEach((one, i) => {
        const p = Array.isArray(t) ? jsonPointer(kw("type"), i) : kw("type");
        if (typeof one !== "string" || !(JSON_SCHEMA_TYPES as readonly string[]).includes(one)) {
          const hint = typeof one === "string" ? closestType(one) : undefined;
          report(
            p,
            `${JSON.stringify(one)} is not a JSON Schema type${hint ? `; did you mean "${hint}"` : ""}. Use one of: ${JSON_SCHEMA_TYPES.join(", ")}.`,
          );
        }
      });
    }

    for (const key of SCHEMA_MAP_KEYWORDS) {
      if (!(key in schema)) continue;
      const map = schema[key];
      if (!isObject(map)) {
        report(kw(key), `"${key}" must be an object mapping names to schemas.`);
        continue;
      }
      for (const [name, sub] of Object.entries(map)) checkSchema(sub, jsonPointer(kw(key), name), `"${key}.${name}"`);
    }

    if ("required" in schema) {
      const req = schema.required;
      if (!Array.isArray(req)) {
        report(kw("required"), '"required" must be a list of property names, e.g. ["title", "body"].');
      } else {
        const props = isObject(schema.properties) ? schema.properties : null;
        req.forEach((name, i) => {
          const p = jsonPointer(kw("required"), i);
          if (typeof name !== "string") report(p, `Entries of "required" must be property names (strings), not ${JSON.stringify(name)}.`);
          else if (props && !Object.hasOwn(props, name)) {
            report(p, `"${name}" is required but not defined in "properties".`);
          } else if (!props) {
            report(p, `"${name}" is required but this schema has no "properties".`, "warning");
          }
        });
      }
    }

    if ("items" in schema) {
      const items = schema.items;
      if (Array.isArray(items)) items.forEach((sub, i) => checkSchema(sub, jsonPointer(kw("items"), i), `"items[${i}]"`));
      else checkSchema(items, kw("items"), '"items"');
    }

    for (const key of SCHEMA_LIST_KEYWORDS) {
      if (!(key in schema)) continue;
      const list = schema[key];
      if (!Array.isArray(list) || list.length === 0) {
        report(kw(key), `"${key}" must be a non-empty list of schemas.`);
        continue;
      }
      list.forEach((sub, i) => checkSchema(sub, jsonPointer(kw(key), i), `"${key}[${i}]"`));
    }

    for (const key of SCHEMA_KEYWORDS) {
      if (key in schema) checkSchema(schema[key], kw(key), `"${key}"`);
    }

    if ("enum" in schema && (!Array.isArray(schema.enum) || schema.enum.length === 0)) {
      report(kw("enum"), '"enum" must be a non-empty list of allowed values.');
    }

    for (const key of NON_NEGATIVE_INT_KEYWORDS) {
      if (key in schema && !(Number.isInteger(schema[key]) && (schema[key] as number) >= 0)) {
        report(kw(key), `"${key}" must be a whole number of 0 or more.`);
      }
    }
    for (const key of NUMBER_KEYWORDS) {
      if (key in schema && typeof schema[key] !== "number") report(kw(key), `"${key}" must be a number.`);
    }
    if ("multipleOf" in schema && !(typeof schema.multipleOf === "number" && schema.multipleOf > 0)) {
      report(kw("multipleOf"), '"multipleOf" must be a number greater than 0.');
    }
    for (const [lo, hi] of RANGE_PAIRS) {
      const a = schema[lo];
      const b = schema[hi];
      if (typeof a === "number" && typeof b === "number" && a > b) report(kw(lo), `"${lo}" (${a}) is greater than "${hi}" (${b}).`);
    }
    if ("pattern" in schema) {
      if (typeof schema.pattern !== "string") report(kw("pattern"), '"pattern" must be a regular expression string.');
      else {
        try {
          new RegExp(schema.pattern, "u");
        } catch (err) {
          report(kw("pattern"), `"pattern" is not a valid regular expression: ${(err as Error).message}.`);
        }
      }
    }
    for (const key of ["title", "description", "$ref"] as const) {
      if (key in schema && typeof schema[key] !== "string") report(kw(key), `"${key}" must be a string.`);
    }
  };

  checkSchema(root, "", "The schema");
  return { issues, schema: root };
}

/** Top-level property names of an object schema, or null when it doesn't list any. */
export function schemaProperties(schema: Record<string, unknown> | null): string[] | null {
  if (!schema || !isObject(schema.properties)) return null;
  return Object.keys(schema.properties);
}

function closestType(word: string): string | undefined {
  const lower = word.toLowerCase();
  const aliases: Record<string, string> = {
    int: "integer",
    float: "number",
    double: "number",
    bool: "boolean",
    str: "string",
    text: "string",
    list: "array",
    dict: "object",
  };
  if (Object.hasOwn(aliases, lower)) return aliases[lower];
  let best: string | undefined;
  let bestDist = 3;
  for (const t of JSON_SCHEMA_TYPES) {
    const d = editDistance(lower, t);
    if (d < bestDist) {
      bestDist = d;
      best = t;
    }
  }
  return best;
}

/** Levenshtein distance; inputs here are short identifiers. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
