// Checking the answers of JSON-output fields against the user's JSON Schema, and what
// to send when an answer fails: the response_format for the request, and the re-ask
// turn. Error texts go back to the model and to the user, so they name the property.
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020";
import type { ChatMessage } from "@/lib/blueprints/messages";

export type JsonCheck = { ok: true; value: unknown } | { ok: false; error: string };

/** The schema text itself is unusable (not JSON, or not a valid JSON Schema). Blueprint validation should catch this first. */
export class InvalidSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidSchemaError";
  }
}

interface Compiled {
  schema: Record<string, unknown>;
  validate: ValidateFunction;
}

// Every record of a run validates against the same few schema texts.
const cache = new Map<string, Compiled>();
const CACHE_MAX = 200;

/** Lenient checks for the formats models are asked for most; other formats are not checked. */
const FORMATS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  uri: /^[a-z][a-z0-9+.-]*:[^\s]+$/i,
  ipv4: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
};

function compile(schemaText: string): Compiled {
  const hit = cache.get(schemaText);
  if (hit) return hit;
  let parsed: unknown;
  try {
    parsed = JSON.parse(schemaText);
  } catch (e) {
    throw new InvalidSchemaError(`The JSON schema is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidSchemaError("The JSON schema must be a JSON object.");
  }
  const schema = parsed as Record<string, unknown>;
  // Validated by 2020-12 rules whatever draft it names (draft-07 schemas mostly agree),
  // and its $id must not clash with another schema's: one Ajv instance per schema text.
  const forAjv: Record<string, unknown> = { ...schema };
  delete forAjv.$schema;
  delete forAjv.$id;
  const ajv = new Ajv2020({ allErrors: true, strict: false, logger: false, formats: FORMATS });
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(forAjv);
  } catch (e) {
    throw new InvalidSchemaError(`The JSON schema is not valid: ${(e as Error).message}`);
  }
  const compiled = { schema: deepFreeze(schema), validate };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(schemaText, compiled);
  return compiled;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

/**
 * The JSON inside a model's answer: the whole text, or the body of a ```json fence
 * (models add them even when asked not to), with any prose around the fence dropped.
 */
export function stripCodeFences(text: string): string {
  const t = text.trim();
  const c = t.charCodeAt(0);
  // Fast path: the answer already starts like JSON.
  if (c === 123 /* { */ || c === 91 /* [ */) return t;
  const m = /```[a-zA-Z0-9_-]*[^\S\n]*\n([\s\S]*?)\n?[^\S\n]*```/.exec(t);
  if (m) return m[1].trim();
  // An opening fence without a closing one (the answer was cut off).
  const open = /^```[a-zA-Z0-9_-]*[^\S\n]*\n/.exec(t);
  return open ? t.slice(open[0].length).trim() : t;
}

function pathOf(instancePath: string): string {
  if (!instancePath) return "";
  let out = "";
  for (const raw of instancePath.slice(1).split("/")) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    out += /^\d+$/.test(part) ? `[${part}]` : out ? `.${part}` : part;
  }
  return out;
}

function describeError(e: ErrorObject): string {
  const at = pathOf(e.instancePath);
  const prefix = at ? `${at}.` : "";
  const where = at ? `'${at}'` : "the answer";
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `missing required property '${prefix}${String(params.missingProperty)}'`;
    case "additionalProperties":
      return `unexpected property '${prefix}${String(params.additionalProperty)}'`;
    case "type":
      return `${where} must be ${String(params.type).replaceAll(",", " or ")}`;
    case "enum":
      return `${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${where} must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${where} ${e.message ?? "is invalid"}`;
  }
}

const MAX_ERRORS = 5;

function describeErrors(errors: ErrorObject[]): string {
  const seen = new Set<string>();
  for (const e of errors) {
    // anyOf/oneOf repeat their branches' errors; the summary line adds nothing readable.
    if (e.keyword === "anyOf" || e.keyword === "oneOf" || e.keyword === "if") continue;
    seen.add(describeError(e));
    if (seen.size >= MAX_ERRORS) break;
  }
  if (seen.size === 0 && errors.length > 0) seen.add(describeError(errors[0]));
  const list = [...seen];
  const more = errors.length > MAX_ERRORS ? "; …" : "";
  return list.join("; ") + more;
}

/** Parses a model's answer and checks it against the schema. Throws InvalidSchemaError for a broken schema. */
export function validateJsonOutput(text: string, schemaText: string): JsonCheck {
  const { validate } = compile(schemaText);
  const body = stripCodeFences(text);
  if (body === "") return { ok: false, error: "the answer is empty, expected JSON" };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    const reason = (e as Error).message;
    const cutOff = /end of JSON input|Unterminated/i.test(reason);
    return { ok: false, error: `not valid JSON: ${reason}${cutOff ? " (the answer looks cut off; is max_tokens too low?)" : ""}` };
  }
  if (validate(value)) return { ok: true, value };
  return { ok: false, error: describeErrors(validate.errors ?? []) };
}

/** Appends the bad answer and a request to answer again, to the conversation that produced it. */
export function reaskMessages(original: readonly ChatMessage[], badOutput: string, error: string): ChatMessage[] {
  return [
    ...original,
    { role: "assistant", content: badOutput },
    {
      role: "user",
      content: `Your previous answer was not valid: ${error}. Answer again with only JSON matching the schema, without any other text.`,
    },
  ];
}

export interface JsonSchemaResponseFormat {
  type: "json_schema";
  json_schema: { name: string; schema: Record<string, unknown>; strict: boolean };
}

/**
 * OpenAI's response_format for a field's schema. strict is off by default because strict
 * mode rejects ordinary schemas (every property required, additionalProperties: false);
 * answers are validated here instead. Judges' schemas are built to its rules and ask
 * for it. The schema object is shared and frozen.
 */
export function responseFormatFor(schemaText: string, name: string, strict = false): JsonSchemaResponseFormat {
  const { schema } = compile(schemaText);
  // OpenAI accepts names of [a-zA-Z0-9_-]{1,64}.
  const safe = name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "output";
  return { type: "json_schema", json_schema: { name: safe, schema, strict } };
}
