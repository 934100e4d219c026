// JSON Schema support for the fake LLM's structured outputs:
// - generateFromSchema: a value that conforms to the schema (the "model answer"),
// - validateAgainstSchema: a small validator (used to make wrong-schema faults really
//   invalid, and by tests),
// - violateSchema: a value that is valid JSON but breaks the schema,
// - strictSchemaError: the checks OpenAI applies to `strict: true` schemas.
// Covers the JSON Schema subset OpenAI structured outputs accept (and a bit more):
// type (incl. unions), properties/required/additionalProperties, items/prefixItems,
// minItems/maxItems/uniqueItems, enum/const, anyOf/oneOf/allOf, $ref into $defs/definitions,
// minimum/maximum/exclusive*/multipleOf, minLength/maxLength/pattern/format.
import { type Rng, FILLER_WORDS, phrase, pick, randInt, word } from "./random";

type Obj = Record<string, unknown>;
export type JsonSchema = Obj | boolean;

interface GenCtx {
  rng: Rng;
  keywords: readonly string[];
  root: unknown;
}

/** Beyond this depth choose the "smallest" branches (min items, non-recursive anyOf). */
const SOFT_DEPTH = 6;
/** Hard stop for pathological recursive schemas. */
const HARD_DEPTH = 40;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function resolveRef(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

/** Follows `$ref` chains (siblings of `$ref` are ignored, as in draft-7). */
function deref(schema: unknown, root: unknown): unknown {
  for (let i = 0; i < 16 && isObj(schema) && typeof schema.$ref === "string"; i++) {
    schema = resolveRef(root, schema.$ref);
  }
  return schema;
}

function mergeAllOf(schema: Obj, root: unknown): Obj {
  const merged: Obj = { ...schema };
  delete merged.allOf;
  const props: Obj = { ...(isObj(schema.properties) ? schema.properties : {}) };
  const required = new Set<string>(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const part of schema.allOf as unknown[]) {
    let p = deref(part, root);
    if (!isObj(p)) continue;
    if (Array.isArray(p.allOf)) p = mergeAllOf(p, root);
    const po = p as Obj;
    for (const [k, v] of Object.entries(po)) {
      if (k === "properties" && isObj(v)) Object.assign(props, v);
      else if (k === "required" && Array.isArray(v)) for (const r of v) required.add(String(r));
      else if (!(k in merged)) merged[k] = v;
    }
  }
  if (Object.keys(props).length) merged.properties = props;
  if (required.size) merged.required = [...required];
  return merged;
}

function inferType(s: Obj): string {
  if (isObj(s.properties) || s.required !== undefined || s.additionalProperties !== undefined) return "object";
  if (s.items !== undefined || s.prefixItems !== undefined || s.minItems !== undefined) return "array";
  if (
    s.minimum !== undefined ||
    s.maximum !== undefined ||
    s.exclusiveMinimum !== undefined ||
    s.exclusiveMaximum !== undefined ||
    s.multipleOf !== undefined
  )
    return "number";
  return "string";
}

/** True when a branch can end recursion: no $ref and not an object/array container. */
function isTerminal(s: unknown, root: unknown): boolean {
  if (!isObj(s)) return true;
  if (typeof s.$ref === "string") return false;
  const t = s.type ?? inferType(s);
  const types = Array.isArray(t) ? t : [t];
  return types.includes("null") || !types.some((x) => x === "object" || x === "array");
}

export function generateFromSchema(
  schema: unknown,
  rng: Rng,
  keywords: readonly string[],
  root: unknown = schema,
): unknown {
  return gen(schema, { rng, keywords, root }, 0);
}

function gen(schemaIn: unknown, ctx: GenCtx, depth: number): unknown {
  if (depth > HARD_DEPTH) return null;
  let schema = deref(schemaIn, ctx.root);
  if (schema === false) return null;
  if (!isObj(schema)) return phrase(ctx.rng, ctx.keywords, randInt(ctx.rng, 1, 4));
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema, ctx.root);
  const s = schema as Obj;
  const { rng } = ctx;

  if ("const" in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return pick(rng, s.enum);

  const branches = (Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined) as
    | unknown[]
    | undefined;
  if (branches && branches.length > 0) {
    let options = branches;
    if (depth >= SOFT_DEPTH) {
      const terminal = branches.filter((b) => isTerminal(deref(b, ctx.root), ctx.root));
      if (terminal.length) options = terminal;
    } else if (options.length > 1) {
      // Like a model, prefer a real value over null most of the time.
      const nonNull = options.filter((b) => {
        const d = deref(b, ctx.root);
        return !(isObj(d) && d.type === "null");
      });
      if (nonNull.length && rng() < 0.85) options = nonNull;
    }
    // Sibling keywords (e.g. description) are irrelevant for generation.
    return gen(pick(rng, options), ctx, depth + 1);
  }

  let type = s.type;
  if (Array.isArray(type) && type.length > 0) {
    const all = type as string[];
    const nonNull = all.filter((t) => t !== "null");
    if (depth >= SOFT_DEPTH && all.includes("null")) type = "null";
    else if (nonNull.length && (rng() < 0.85 || nonNull.length === all.length)) type = pick(rng, nonNull);
    else type = pick(rng, all);
  }
  if (typeof type !== "string") type = inferType(s);

  switch (type) {
    case "object":
      return genObject(s, ctx, depth);
    case "array":
      return genArray(s, ctx, depth);
    case "integer":
      return genNumber(s, rng, true);
    case "number":
      return genNumber(s, rng, false);
    case "boolean":
      return rng() < 0.5;
    case "null":
      return null;
    default:
      return genString(s, ctx);
  }
}

function genObject(s: Obj, ctx: GenCtx, depth: number): Obj {
  const out: Obj = {};
  const props = isObj(s.properties) ? s.properties : {};
  for (const key of Object.keys(props)) out[key] = gen(props[key], ctx, depth + 1);
  if (Array.isArray(s.required)) {
    for (const key of s.required as string[]) {
      if (!(key in out)) {
        const extra = isObj(s.additionalProperties) ? s.additionalProperties : {};
        out[key] = gen(extra, ctx, depth + 1);
      }
    }
  }
  const minProps = typeof s.minProperties === "number" ? s.minProperties : 0;
  if (s.additionalProperties !== false) {
    for (let i = 0; Object.keys(out).length < minProps; i++) {
      out[`${word(ctx.rng, FILLER_WORDS)}_${i}`] = gen(
        isObj(s.additionalProperties) ? s.additionalProperties : { type: "string" },
        ctx,
        depth + 1,
      );
    }
  }
  return out;
}

function genArray(s: Obj, ctx: GenCtx, depth: number): unknown[] {
  const prefix = (Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : []) as unknown[];
  const itemSchema = Array.isArray(s.items) ? s.additionalItems : s.items;
  const min = typeof s.minItems === "number" ? s.minItems : 0;
  const max = typeof s.maxItems === "number" ? s.maxItems : Math.max(min, prefix.length) + 3;
  let len: number;
  if (depth >= SOFT_DEPTH) len = Math.max(min, 0);
  else len = randInt(ctx.rng, Math.min(max, Math.max(min, 1)), Math.min(max, Math.max(min, 1) + 3));
  if (itemSchema === false) len = Math.min(len, prefix.length);
  const out: unknown[] = [];
  const seen = s.uniqueItems === true ? new Set<string>() : undefined;
  let attempts = 0;
  while (out.length < len && attempts < len * 8 + 8) {
    attempts++;
    const i = out.length;
    const v = gen(i < prefix.length ? prefix[i] : (itemSchema ?? {}), ctx, depth + 1);
    if (seen) {
      const k = JSON.stringify(v);
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(v);
  }
  return out;
}

function numBounds(s: Obj, integer: boolean): [number, number] {
  const step = integer ? 1 : 0.01;
  let lo = -Infinity;
  let hi = Infinity;
  if (typeof s.minimum === "number") lo = s.minimum;
  if (typeof s.exclusiveMinimum === "number") lo = Math.max(lo, s.exclusiveMinimum + step);
  else if (s.exclusiveMinimum === true && typeof s.minimum === "number") lo = s.minimum + step;
  if (typeof s.maximum === "number") hi = s.maximum;
  if (typeof s.exclusiveMaximum === "number") hi = Math.min(hi, s.exclusiveMaximum - step);
  else if (s.exclusiveMaximum === true && typeof s.maximum === "number") hi = s.maximum - step;
  if (lo === -Infinity && hi === Infinity) [lo, hi] = [0, 100];
  else if (lo === -Infinity) lo = hi - 100;
  else if (hi === Infinity) hi = lo + 100;
  if (integer) [lo, hi] = [Math.ceil(lo), Math.floor(hi)];
  return [lo, hi];
}

function genNumber(s: Obj, rng: Rng, integer: boolean): number {
  const [lo, hi] = numBounds(s, integer);
  if (hi < lo) return lo;
  if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
    const m = s.multipleOf;
    const kLo = Math.ceil(lo / m - 1e-9);
    const kHi = Math.floor(hi / m + 1e-9);
    if (kHi >= kLo) return Number((randInt(rng, kLo, kHi) * m).toPrecision(12));
  }
  if (integer) return randInt(rng, lo, hi);
  const v = Math.round((lo + rng() * (hi - lo)) * 100) / 100;
  return Math.min(hi, Math.max(lo, v));
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const hex = (rng: Rng, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += "0123456789abcdef"[Math.floor(rng() * 16)];
  return s;
};

function genFormat(format: string, rng: Rng): string | undefined {
  const ts = Date.UTC(2000, 0, 1) + Math.floor(rng() * 30 * 365.25 * 86_400) * 1000;
  const d = new Date(ts);
  switch (format) {
    case "date-time":
      return d.toISOString().replace(".000Z", "Z");
    case "date":
      return d.toISOString().slice(0, 10);
    case "time":
      return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
    case "duration":
      return `P${randInt(rng, 1, 30)}DT${randInt(rng, 1, 23)}H`;
    case "email":
      return `${pick(rng, FILLER_WORDS)}.${pick(rng, FILLER_WORDS)}@example.com`;
    case "hostname":
      return `${pick(rng, FILLER_WORDS)}.example.com`;
    case "uri":
    case "url":
    case "iri":
      return `https://example.com/${pick(rng, FILLER_WORDS)}/${randInt(rng, 1, 999)}`;
    case "uuid":
      return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${"89ab"[Math.floor(rng() * 4)]}${hex(rng, 3)}-${hex(rng, 12)}`;
    case "ipv4":
      return `${randInt(rng, 1, 254)}.${randInt(rng, 0, 255)}.${randInt(rng, 0, 255)}.${randInt(rng, 1, 254)}`;
    case "ipv6":
      return `2001:db8:${hex(rng, 4)}:${hex(rng, 4)}::${hex(rng, 4)}`;
    default:
      return undefined;
  }
}

function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

function genString(s: Obj, ctx: GenCtx): string {
  const { rng } = ctx;
  if (typeof s.pattern === "string") {
    const v = stringForPattern(s.pattern, rng);
    if (v !== undefined) return v;
  }
  if (typeof s.format === "string") {
    const v = genFormat(s.format, rng);
    if (v !== undefined) return v;
  }
  const min = typeof s.minLength === "number" ? s.minLength : 0;
  const max = typeof s.maxLength === "number" ? s.maxLength : Infinity;
  let v = phrase(rng, ctx.keywords, randInt(rng, 1, 5));
  while (codePointLength(v) < min) v += " " + word(rng, ctx.keywords);
  if (codePointLength(v) > max) {
    v = Array.from(v).slice(0, max).join("");
    const trimmed = v.trimEnd();
    if (codePointLength(trimmed) >= min) v = trimmed;
  }
  return v;
}

// ---------------------------------------------------------------------------------
// Tiny regex -> example string generator for `pattern` (common subset of ECMAScript).

type Node =
  | { t: "alt"; options: Node[][] }
  | { t: "chars"; set: (rng: Rng) => string }
  | { t: "lit"; s: string }
  | { t: "rep"; node: Node; min: number; max: number }
  | { t: "group"; alt: Node };

class Unsupported extends Error {}

const DIGITS = "0123456789";
const WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const PRINTABLE = `${WORD_CHARS} -.,:;!?@#%&*+=/()[]{}<>'"`;

function parsePattern(src: string): Node {
  let i = 0;
  const peek = () => src[i];
  function escapeClass(c: string): string | undefined {
    switch (c) {
      case "d":
        return DIGITS;
      case "w":
        return WORD_CHARS;
      case "s":
        return " ";
      case "D":
        return LOWER;
      case "W":
        return " -.";
      case "S":
        return LOWER;
      default:
        return undefined;
    }
  }
  function escapeLiteral(): string {
    const c = src[i++];
    if (c === undefined) throw new Unsupported();
    if (c === "n") return "\n";
    if (c === "t") return "\t";
    if (c === "r") return "\r";
    if (c === "u" && /^[0-9a-fA-F]{4}$/.test(src.slice(i, i + 4))) {
      i += 4;
      return String.fromCharCode(parseInt(src.slice(i - 4, i), 16));
    }
    if (c === "x" && /^[0-9a-fA-F]{2}$/.test(src.slice(i, i + 2))) {
      i += 2;
      return String.fromCharCode(parseInt(src.slice(i - 2, i), 16));
    }
    if (/[0-9pPkbBcu]/.test(c)) throw new Unsupported(); // backrefs, unicode props, \b...
    return c;
  }
  function parseClass(): Node {
    // after '['
    let negate = false;
    if (peek() === "^") {
      negate = true;
      i++;
    }
    let chars = "";
    let first = true;
    while (i < src.length && (src[i] !== "]" || first)) {
      first = false;
      let c = src[i++]!;
      if (c === "\\") {
        const cls = escapeClass(src[i]!);
        if (cls !== undefined) {
          i++;
          chars += cls;
          continue;
        }
        c = escapeLiteral();
      }
      if (src[i] === "-" && src[i + 1] !== undefined && src[i + 1] !== "]") {
        i++;
        let end = src[i++]!;
        if (end === "\\") end = escapeLiteral();
        const a = c.codePointAt(0)!;
        const b = end.codePointAt(0)!;
        if (b < a) throw new Unsupported();
        // Cap huge ranges (e.g. \u0000-\uffff) to keep this cheap.
        for (let cp = a; cp <= Math.min(b, a + 400); cp++) chars += String.fromCodePoint(cp);
        continue;
      }
      chars += c;
    }
    if (src[i] !== "]") throw new Unsupported();
    i++;
    if (negate) {
      const allowed = [...PRINTABLE].filter((ch) => !chars.includes(ch)).join("");
      if (!allowed) throw new Unsupported();
      chars = allowed;
    }
    if (!chars) throw new Unsupported();
    const pool = Array.from(chars);
    return { t: "chars", set: (rng) => pick(rng, pool) };
  }
  function parseAtom(): Node | null {
    const c = src[i]!;
    if (c === "(") {
      i++;
      if (src[i] === "?") {
        if (src[i + 1] === ":") i += 2;
        else if (src[i + 1] === "<" && src[i + 2] !== "=" && src[i + 2] !== "!") {
          const end = src.indexOf(">", i);
          if (end < 0) throw new Unsupported();
          i = end + 1;
        } else throw new Unsupported(); // lookarounds
      }
      const alt = parseAlt();
      if (src[i] !== ")") throw new Unsupported();
      i++;
      return { t: "group", alt };
    }
    if (c === "[") {
      i++;
      return parseClass();
    }
    if (c === ".") {
      i++;
      return { t: "chars", set: (rng) => pick(rng, LOWER) };
    }
    if (c === "^" || c === "$") {
      i++;
      return null;
    }
    if (c === "\\") {
      i++;
      const cls = escapeClass(src[i]!);
      if (cls !== undefined) {
        i++;
        return { t: "chars", set: (rng) => pick(rng, cls) };
      }
      return { t: "lit", s: escapeLiteral() };
    }
    i++;
    return { t: "lit", s: c };
  }
  function parseQuant(node: Node): Node {
    const c = src[i];
    let min: number;
    let max: number;
    if (c === "*") [min, max] = [0, 3];
    else if (c === "+") [min, max] = [1, 4];
    else if (c === "?") [min, max] = [0, 1];
    else if (c === "{") {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === "" ? min + 3 : Number(m[3]);
      i += m[0].length - 1;
    } else return node;
    i++;
    if (src[i] === "?" || src[i] === "+") i++;
    return { t: "rep", node, min, max: Math.min(max, min + 50) };
  }
  function parseSeq(): Node[] {
    const seq: Node[] = [];
    while (i < src.length && src[i] !== "|" && src[i] !== ")") {
      const atom = parseAtom();
      if (atom) seq.push(parseQuant(atom));
    }
    return seq;
  }
  function parseAlt(): Node {
    const options: Node[][] = [parseSeq()];
    while (src[i] === "|") {
      i++;
      options.push(parseSeq());
    }
    return { t: "alt", options };
  }
  const node = parseAlt();
  if (i !== src.length) throw new Unsupported();
  return node;
}

function emit(node: Node, rng: Rng): string {
  switch (node.t) {
    case "lit":
      return node.s;
    case "chars":
      return node.set(rng);
    case "group":
      return emit(node.alt, rng);
    case "rep": {
      let s = "";
      const n = randInt(rng, node.min, node.max);
      for (let k = 0; k < n; k++) s += emit(node.node, rng);
      return s;
    }
    case "alt": {
      let s = "";
      for (const n of pick(rng, node.options)) s += emit(n, rng);
      return s;
    }
  }
}

interface CompiledPattern {
  re: RegExp | null;
  ast: Node | null;
}
const patternCache = new Map<string, CompiledPattern>();

export function compilePattern(pattern: string): RegExp | null {
  return compiled(pattern).re;
}

function compiled(pattern: string): CompiledPattern {
  let c = patternCache.get(pattern);
  if (!c) {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern, "u");
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    let ast: Node | null = null;
    try {
      ast = parsePattern(pattern);
    } catch {
      ast = null;
    }
    c = { re, ast };
    if (patternCache.size > 500) patternCache.clear();
    patternCache.set(pattern, c);
  }
  return c;
}

/** A string matching `pattern`, or undefined when the pattern is outside the supported subset. */
export function stringForPattern(pattern: string, rng: Rng): string | undefined {
  const { re, ast } = compiled(pattern);
  if (!ast) return undefined;
  let candidate = "";
  for (let attempt = 0; attempt < 8; attempt++) {
    candidate = emit(ast, rng);
    if (!re || re.test(candidate)) return candidate;
  }
  return candidate;
}

// ---------------------------------------------------------------------------------
// Validation.

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Obj)[k], (b as Obj)[k]));
}

function typeMatches(v: unknown, t: string): boolean {
  switch (t) {
    case "string":
      return typeof v === "string";
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "boolean":
      return typeof v === "boolean";
    case "null":
      return v === null;
    case "array":
      return Array.isArray(v);
    case "object":
      return isObj(v);
    default:
      return true;
  }
}

const FORMAT_CHECKS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  time: /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  ipv4: /^(\d{1,3})(\.\d{1,3}){3}$/,
};

/**
 * Validates `value` against `schema`; returns human-readable errors (empty = valid).
 * Stops after a handful of errors.
 */
export function validateAgainstSchema(value: unknown, schema: unknown, root: unknown = schema): string[] {
  const errors: string[] = [];
  check(value, schema, root, "$", errors, 0);
  return errors;
}

function check(v: unknown, schemaIn: unknown, root: unknown, path: string, errors: string[], depth: number): void {
  if (errors.length >= 10 || depth > 64) return;
  const schema = deref(schemaIn, root);
  if (schema === true || schema === undefined) return;
  if (schema === false) {
    errors.push(`${path}: no value allowed`);
    return;
  }
  if (!isObj(schema)) return;
  const s = schema;
  if ("const" in s && !deepEqual(v, s.const)) errors.push(`${path}: expected const ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(v, e))) errors.push(`${path}: not one of the enum values`);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(v, t))) {
      errors.push(`${path}: expected ${types.join("|")}, got ${v === null ? "null" : Array.isArray(v) ? "array" : typeof v}`);
      return;
    }
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) check(v, sub, root, path, errors, depth + 1);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => validateAgainstSchema(v, sub, root).length === 0)) {
    errors.push(`${path}: matches no anyOf branch`);
  }
  if (Array.isArray(s.oneOf)) {
    const n = s.oneOf.filter((sub) => validateAgainstSchema(v, sub, root).length === 0).length;
    if (n !== 1) errors.push(`${path}: matches ${n} oneOf branches, expected exactly 1`);
  }
  if (s.not !== undefined && validateAgainstSchema(v, s.not, root).length === 0) errors.push(`${path}: matches 'not'`);

  if (isObj(v)) {
    const props = isObj(s.properties) ? s.properties : {};
    if (Array.isArray(s.required)) {
      for (const k of s.required as string[]) if (!(k in v)) errors.push(`${path}: missing required property '${k}'`);
    }
    for (const [k, val] of Object.entries(v)) {
      if (k in props) check(val, props[k], root, `${path}.${k}`, errors, depth + 1);
      else if (s.additionalProperties === false) errors.push(`${path}: unexpected property '${k}'`);
      else if (isObj(s.additionalProperties)) check(val, s.additionalProperties, root, `${path}.${k}`, errors, depth + 1);
    }
    const n = Object.keys(v).length;
    if (typeof s.minProperties === "number" && n < s.minProperties) errors.push(`${path}: too few properties`);
    if (typeof s.maxProperties === "number" && n > s.maxProperties) errors.push(`${path}: too many properties`);
  } else if (Array.isArray(v)) {
    const prefix = (Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : []) as unknown[];
    const rest = Array.isArray(s.items) ? s.additionalItems : s.items;
    v.forEach((item, idx) => {
      if (idx < prefix.length) check(item, prefix[idx], root, `${path}[${idx}]`, errors, depth + 1);
      else if (rest !== undefined) check(item, rest, root, `${path}[${idx}]`, errors, depth + 1);
    });
    if (typeof s.minItems === "number" && v.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === "number" && v.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) {
      errors.push(`${path}: items are not unique`);
    }
  } else if (typeof v === "string") {
    const len = codePointLength(v);
    if (typeof s.minLength === "number" && len < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === "number" && len > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === "string") {
      const re = compilePattern(s.pattern);
      if (re && !re.test(v)) errors.push(`${path}: does not match pattern ${s.pattern}`);
    }
    if (typeof s.format === "string" && FORMAT_CHECKS[s.format] && !FORMAT_CHECKS[s.format]!.test(v)) {
      errors.push(`${path}: not a valid ${s.format}`);
    }
  } else if (typeof v === "number") {
    if (typeof s.minimum === "number" && v < s.minimum) errors.push(`${path}: below minimum ${s.minimum}`);
    if (typeof s.maximum === "number" && v > s.maximum) errors.push(`${path}: above maximum ${s.maximum}`);
    const exMin = typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum : s.exclusiveMinimum === true ? s.minimum : undefined;
    const exMax = typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum : s.exclusiveMaximum === true ? s.maximum : undefined;
    if (typeof exMin === "number" && v <= exMin) errors.push(`${path}: not above ${exMin}`);
    if (typeof exMax === "number" && v >= exMax) errors.push(`${path}: not below ${exMax}`);
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
      const q = v / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q))) errors.push(`${path}: not a multiple of ${s.multipleOf}`);
    }
  }
}

/**
 * Returns `value` changed so that it is still valid JSON but violates `schema`
 * (drops a required property, or swaps in a wrongly typed value). Returns the value
 * unchanged only when the schema accepts everything.
 */
export function violateSchema(value: unknown, schema: unknown, rng: Rng, root: unknown = schema): unknown {
  const s = deref(schema, root);
  const wrongValues: unknown[] = [12345, "wrong-type", true, null, ["unexpected"], { unexpected: true }];
  if (isObj(value) && isObj(s)) {
    const required = (Array.isArray(s.required) ? (s.required as string[]) : []).filter((k) => k in value);
    if (required.length) {
      const copy = { ...value };
      delete copy[pick(rng, required)];
      if (validateAgainstSchema(copy, schema, root).length) return copy;
    }
    const props = isObj(s.properties) ? Object.keys(s.properties).filter((k) => k in value) : [];
    for (const key of props) {
      for (const wrong of wrongValues) {
        const copy = { ...value, [key]: wrong };
        if (validateAgainstSchema(copy, schema, root).length) return copy;
      }
    }
    if (s.additionalProperties === false) return { ...value, unexpected_property: "fake-llm" };
  }
  for (const wrong of wrongValues) if (validateAgainstSchema(wrong, schema, root).length) return wrong;
  return value;
}

// ---------------------------------------------------------------------------------
// OpenAI strict-mode schema checks.

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
