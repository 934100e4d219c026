// The checks OpenAI applies to `strict: true` structured-output schemas, with its messages.
import { isObj } from "./refs";

function pyTuple(ctx: (string | number)[]): string {
  const items = ctx.map((c) => (typeof c === "number" ? String(c) : `'${c}'`));
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(", ")})`;
}

/**
 * The first violation of OpenAI's structured-output rules for `strict: true`
 * schemas, phrased like OpenAI's 400 message (without the "Invalid schema for
 * response_format 'name': " prefix), or undefined when the schema is accepted.
 */
export function strictSchemaError(schema: unknown): string | undefined {
  if (!isObj(schema)) return `schema must be a JSON Schema of 'type: "object"', got 'type: "${typeof schema}"'.`;
  if (schema.type !== "object" && !isObj(schema.properties) && typeof schema.$ref !== "string" && !schema.anyOf) {
    return `schema must be a JSON Schema of 'type: "object"', got 'type: "${String(schema.type)}"'.`;
  }
  return strictWalk(schema, []);
}

function strictWalk(s: unknown, ctx: (string | number)[]): string | undefined {
  if (!isObj(s)) return undefined;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  const isObject = types.includes("object") || isObj(s.properties);
  if (isObject && typeof s.$ref !== "string") {
    if (s.additionalProperties !== false) {
      return `In context=${pyTuple(ctx)}, 'additionalProperties' is required to be supplied and to be false.`;
    }
    const keys = isObj(s.properties) ? Object.keys(s.properties) : [];
    const required = Array.isArray(s.required) ? (s.required as unknown[]) : null;
    const missing = keys.find((k) => !required?.includes(k));
    if (missing !== undefined || (!required && keys.length > 0)) {
      return `In context=${pyTuple(ctx)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    }
    if (required) {
      const extra = required.find((k) => !keys.includes(String(k)));
      if (extra !== undefined) {
        return `In context=${pyTuple(ctx)}, 'required' contains '${String(extra)}' which is not in 'properties'.`;
      }
    }
  }
  if (isObj(s.properties)) {
    for (const [k, v] of Object.entries(s.properties)) {
      const e = strictWalk(v, [...ctx, "properties", k]);
      if (e) return e;
    }
  }
  if (s.items !== undefined) {
    const e = strictWalk(s.items, [...ctx, "items"]);
    if (e) return e;
  }
  for (const key of ["anyOf", "allOf", "prefixItems"] as const) {
    const list = s[key];
    if (Array.isArray(list)) {
      for (let idx = 0; idx < list.length; idx++) {
        const e = strictWalk(list[idx], [...ctx, key, idx]);
        if (e) return e;
      }
    }
  }
  for (const key of ["$defs", "definitions"] as const) {
    const defs = s[key];
    if (isObj(defs)) {
      for (const [k, v] of Object.entries(defs)) {
        const e = strictWalk(v, [...ctx, key, k]);
        if (e) return e;
      }
    }
  }
  return undefined;
}
