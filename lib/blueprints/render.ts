// Liquid rendering of user-written templates (prompts, system prompts, expressions).
//
// Templates come from users and are rendered on the server, so the engine is locked
// down: no file access (include/render/layout are removed and the loader is an empty
// in-memory map), own-properties only (no `constructor`/prototype walking), unknown
// filters are errors (a typo shouldn't silently vanish from a prompt), and parse
// length, render time and allocations are capped.
import { Drop, Liquid, type Template } from "liquidjs";

export const TEMPLATE_LIMITS = {
  /** Characters of template source per parse. */
  parseLength: 1_000_000,
  /** Milliseconds per render. */
  renderMs: 1_000,
  /** LiquidJS allocation units (roughly characters/array items created) per render. */
  memory: 10_000_000,
} as const;

/** Tags that would read other templates from a file system; none exists here. */
const FILE_TAGS = ["include", "render", "layout"] as const;

/** A template problem with a 1-based position in the template source when known. */
export class TemplateError extends Error {
  readonly line?: number;
  readonly column?: number;
  readonly phase: "parse" | "render";
  constructor(message: string, phase: "parse" | "render", line?: number, column?: number) {
    super(message);
    this.name = "TemplateError";
    this.phase = phase;
    this.line = line;
    this.column = column;
  }
}

/**
 * How a value prints in `{{ x }}`. Liquid's default glues array items together ("ab")
 * and prints objects as "[object Object]"; users expect "a, b" and JSON.
 */
export function formatValue(value: unknown): string {
  if (value instanceof Drop) value = value.valueOf();
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    const flat = value.every((v) => v === null || v instanceof Drop || typeof v !== "object");
    return flat ? value.map(formatValue).join(", ") : JSON.stringify(value);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function createEngine(): Liquid {
  const engine = new Liquid({
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables: false,
    // An empty template map replaces the file-system loader (also in the browser build).
    templates: {},
    outputEscape: formatValue,
    parseLimit: TEMPLATE_LIMITS.parseLength,
    renderLimit: TEMPLATE_LIMITS.renderMs,
    memoryLimit: TEMPLATE_LIMITS.memory,
  });
  for (const tag of FILE_TAGS) delete engine.tags[tag];
  return engine;
}

let engine: Liquid | undefined;
function liquid(): Liquid {
  engine ??= createEngine();
  return engine;
}

/** Parsed templates are immutable, so a run renders each prompt once-parsed per record. */
const parseCache = new Map<string, Template[]>();
const PARSE_CACHE_SIZE = 500;

function toTemplateError(err: unknown, phase: "parse" | "render"): TemplateError {
  if (err instanceof TemplateError) return err;
  const e = err as { message?: unknown; token?: { getPosition?: () => number[] } };
  const raw = typeof e?.message === "string" ? e.message : String(err);
  // LiquidJS appends ", line:X, col:Y" to messages; the position is reported separately.
  let message = raw.replace(/(, file:[^,]*)?, line:\d+, col:\d+/g, "");
  message = friendlier(message);
  let line: number | undefined;
  let column: number | undefined;
  try {
    const pos = e?.token?.getPosition?.();
    if (pos && pos.length === 2) [line, column] = pos;
  } catch {
    // No token position available; report without one.
  }
  return new TemplateError(message, phase, line, column);
}

function friendlier(message: string): string {
  const tag = /^tag "(\w+)" not found$/.exec(message);
  if (tag) {
    if ((FILE_TAGS as readonly string[]).includes(tag[1])) {
      return `The {% ${tag[1]} %} tag is not available: templates can't load other files.`;
    }
    if (tag[1].startsWith("end")) return `Unexpected {% ${tag[1]} %}: there is no open {% ${tag[1].slice(3)} %} to close.`;
    return `Unknown tag {% ${tag[1]} %}.`;
  }
  const unclosedOutput = /^output "([\s\S]*)" not closed$/.exec(message);
  if (unclosedOutput) return `"${clip(unclosedOutput[1])}" is never closed: add "}}" (or close an open quote).`;
  const unclosedTagToken = /^tag "([\s\S]*)" not closed$/.exec(message);
  if (unclosedTagToken) return `"${clip(unclosedTagToken[1])}" is never closed: add "%}".`;
  const unclosedBlock = /^tag \{%-?\s*(\w+)[\s\S]*%\} not closed$/.exec(message);
  if (unclosedBlock) return `{% ${unclosedBlock[1]} %} is never closed: add {% end${unclosedBlock[1]} %} after its content.`;
  if (message === 'invalid value expression: ""') return "Empty expression: put a variable or value inside, e.g. {{ topic }}.";
  const illegal = /^illegal tag: ([\s\S]*)$/.exec(message);
  if (illegal) return `Can't understand ${clip(illegal[1])}; check the tag's syntax.`;
  const filter = /^undefined filter: (.+)$/.exec(message);
  if (filter) return `Unknown filter "${filter[1]}".`;
  if (message === "template render limit exceeded") {
    return `Rendering took longer than ${TEMPLATE_LIMITS.renderMs} ms; simplify loops in this template.`;
  }
  if (message === "memory alloc limit exceeded") return "The template builds too much text (memory limit); simplify loops or filters.";
  if (message.startsWith("parse length limit exceeded")) return `The template is longer than ${TEMPLATE_LIMITS.parseLength} characters.`;
  // JavaScript's own limits, hit by templates that build huge strings or nest deeply; the
  // raw engine text ("Invalid string length") tells a user nothing.
  if (/Invalid string length/i.test(message)) return "The template builds more text than can be held; simplify loops or filters.";
  if (/Maximum call stack size exceeded|Stack overflow/i.test(message)) return "The template nests too deeply to render; flatten nested tags or loops.";
  return message;
}

/** Keeps quoted template snippets in messages short. */
function clip(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

/** Parses (cached); throws TemplateError with line/column on syntax errors. */
export function parseTemplate(source: string): Template[] {
  const cached = parseCache.get(source);
  if (cached) return cached;
  let parsed: Template[];
  try {
    parsed = liquid().parse(source);
  } catch (err) {
    throw toTemplateError(err, "parse");
  }
  if (parseCache.size >= PARSE_CACHE_SIZE) parseCache.delete(parseCache.keys().next().value as string);
  parseCache.set(source, parsed);
  return parsed;
}

/** The syntax error of a template, or null when it parses. */
export function templateSyntaxError(source: string): TemplateError | null {
  try {
    parseTemplate(source);
    return null;
  } catch (err) {
    return err instanceof TemplateError ? err : toTemplateError(err, "parse");
  }
}

/**
 * Renders synchronously. Arrays print as "a, b" and objects as JSON (see formatValue);
 * `{{ list | join: " / " }}` still works for another separator. Unknown variables print
 * as empty (validation reports them before a run). Throws TemplateError.
 */
export function renderTemplate(source: string, scope: Record<string, unknown>): string {
  const parsed = parseTemplate(source);
  try {
    return String(liquid().renderSync(parsed, scope));
  } catch (err) {
    throw toTemplateError(err, "render");
  }
}

/** One use of a variable the template expects from outside (not assigned inside it). */
export interface TemplateVariable {
  /** Root name, e.g. `review` for `{{ review.title }}`. */
  name: string;
  /** Literal property path after the root; stops at the first computed segment. */
  properties: (string | number)[];
  /** Full text as written, e.g. `review.title`. */
  text: string;
  line: number;
  column: number;
}

/**
 * Variables the template reads from the scope, with positions. Names bound inside the
 * template (assign, capture, for-loop variables, forloop) are excluded by LiquidJS's
 * static analysis. Throws TemplateError on syntax errors.
 */
export function templateVariables(source: string): TemplateVariable[] {
  const parsed = parseTemplate(source);
  const analysis = liquid().analyzeSync(parsed, { partials: false });
  const out: TemplateVariable[] = [];
  for (const [name, uses] of Object.entries(analysis.globals)) {
    for (const v of uses) {
      const properties: (string | number)[] = [];
      for (const seg of v.segments.slice(1)) {
        if (typeof seg !== "string" && typeof seg !== "number") break;
        properties.push(seg);
      }
      out.push({ name, properties, text: v.toString(), line: v.location.row, column: v.location.col });
    }
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
