// Checking a value against a JSON Schema (ajv, by 2020-12 rules as the studio's own
// check in lib/generation/json-output.ts) and making a value that breaks one: the
// wrong-schema fault must really be invalid, and the tests check the generated answers.
// The file name with its extension: Playwright loads the fake through Node's own ESM resolver.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import { type Rng, pick } from "../random";
import { compilePattern } from "./pattern";
import { deref, isObj } from "./refs";

/** The formats the generator writes; other formats are not checked. */
const FORMATS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  ipv4: /^(\d{1,3})(\.\d{1,3}){3}$/,
};

const ACCEPT_ALL = { test: () => true };
/** Patterns ECMAScript's `u` flag refuses are still tried without it, as the generator does; a pattern neither accepts matches anything. */
const tolerantRegExp = Object.assign((pattern: string) => compilePattern(pattern) ?? ACCEPT_ALL, { code: "compilePattern" });

// Requests repeat the same few schemas; a fault compiles one only when it first needs it.
const validators = new Map<string, ValidateFunction | string>();
const VALIDATORS_MAX = 200;

/** The compiled check, or why the schema could not be compiled. */
function validatorFor(schema: unknown): ValidateFunction | string {
  const key = JSON.stringify(schema) ?? "";
  let v = validators.get(key);
  if (v !== undefined) return v;
  // Request schemas are the client's: any $schema is read by 2020-12 rules, a $id must not
  // clash with another request's (one Ajv per schema text).
  const forAjv = isObj(schema) ? { ...schema } : schema;
  if (isObj(forAjv)) {
    delete forAjv.$schema;
    delete forAjv.$id;
  }
  const ajv = new Ajv2020({
    allErrors: false,
    strict: false,
    validateSchema: false,
    logger: false,
    formats: FORMATS,
    code: { regExp: tolerantRegExp },
  });
  try {
    v = ajv.compile(forAjv as object | boolean);
  } catch (e) {
    v = `the schema cannot be checked: ${(e as Error).message}`;
  }
  if (validators.size >= VALIDATORS_MAX) validators.delete(validators.keys().next().value!);
  validators.set(key, v);
  return v;
}

/** Why `value` does not conform to `schema`, in a few words each (empty = valid). */
export function validateAgainstSchema(value: unknown, schema: unknown): string[] {
  const validate = validatorFor(schema);
  // Nothing conforms to a schema that cannot be checked, so a wrong-schema fault still breaks it.
  if (typeof validate === "string") return [validate];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `$${e.instancePath}: ${e.message ?? "invalid"}`);
}

/**
 * Returns `value` changed so that it is still valid JSON but violates `schema`
 * (drops a required property, or swaps in a wrongly typed value). Returns the value
 * unchanged only when the schema accepts everything.
 */
export function violateSchema(value: unknown, schema: unknown, rng: Rng): unknown {
  const s = deref(schema, schema);
  const wrongValues: unknown[] = [12345, "wrong-type", true, null, ["unexpected"], { unexpected: true }];
  if (isObj(value) && isObj(s)) {
    const required = (Array.isArray(s.required) ? (s.required as string[]) : []).filter((k) => k in value);
    if (required.length) {
      const copy = { ...value };
      delete copy[pick(rng, required)];
      if (validateAgainstSchema(copy, schema).length) return copy;
    }
    const props = isObj(s.properties) ? Object.keys(s.properties).filter((k) => k in value) : [];
    for (const key of props) {
      for (const wrong of wrongValues) {
        const copy = { ...value, [key]: wrong };
        if (validateAgainstSchema(copy, schema).length) return copy;
      }
    }
    if (s.additionalProperties === false) return { ...value, unexpected_property: "fake-llm" };
  }
  for (const wrong of wrongValues) if (validateAgainstSchema(wrong, schema).length) return wrong;
  return value;
}
