// A value that conforms to a JSON Schema: the fake model's structured answer. Covers the
// subset OpenAI structured outputs accept (and a bit more): type (incl. unions),
// properties/required/additionalProperties, items/prefixItems, minItems/maxItems/
// uniqueItems, enum/const, anyOf/oneOf/allOf, $ref into $defs/definitions,
// minimum/maximum/exclusive*/multipleOf, minLength/maxLength/pattern/format.
import { type Rng, FILLER_WORDS, phrase, pick, randInt, word } from "../random";
import { deref, isObj, type Obj } from "./refs";
import { stringForPattern } from "./pattern";

interface GenCtx {
  rng: Rng;
  keywords: readonly string[];
  root: unknown;
}

/** Beyond this depth choose the "smallest" branches (min items, non-recursive anyOf). */
const SOFT_DEPTH = 6;
/** Hard stop for pathological recursive schemas. */
const HARD_DEPTH = 40;

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
