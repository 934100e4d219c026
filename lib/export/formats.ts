// The six export formats and how a request's mapping becomes the shape of one row.
//
// planExport() turns an ExportRequest into (1) the cells to ask PostgreSQL for, one per
// distinct source, and (2) the shape of a row: output columns for the table formats and a
// line template for the JSON-lines formats. The encoders then only splice cells into the
// template, which keeps the per-row work in Node to a few string concatenations.
// Pure: no I/O.
import type { CellBatch, CellKind } from "@/lib/db/copy/cells";
import { cellContent, cellJson, cellText } from "./cells";
import type { ExportFormat, ExportRequest, PromptPart, Role, Source } from "./schemas";

export type FormatInfo = {
  label: string;
  /** One line for the format picker. */
  blurb: string;
  ext: string;
  mime: string;
  /** Roles the mapping step offers for this format. */
  roles: Role[];
  /** JSONL, CSV and Parquet write chosen fields as columns; the others have a fixed shape. */
  table: boolean;
  /** Shown as text in the preview (Parquet is binary: shown as a table). */
  text: boolean;
};

export const FORMAT_INFO: Record<ExportFormat, FormatInfo> = {
  jsonl: { label: "JSONL", blurb: "One JSON object per line with the fields you choose.", ext: "jsonl", mime: "application/x-ndjson", roles: ["label"], table: true, text: true },
  csv: { label: "CSV", blurb: "Comma-separated, quoted as RFC 4180; opens in spreadsheets.", ext: "csv", mime: "text/csv", roles: ["label"], table: true, text: true },
  parquet: { label: "Parquet", blurb: "Columnar and compressed (zstd); for pandas, Polars, DuckDB, Hugging Face.", ext: "parquet", mime: "application/vnd.apache.parquet", roles: ["label"], table: true, text: false },
  openai: { label: "OpenAI chat", blurb: "Chat fine-tuning JSONL: {\"messages\": [system, user, assistant]}, checked against OpenAI's rules.", ext: "jsonl", mime: "application/x-ndjson", roles: ["system", "user", "assistant"], table: false, text: true },
  alpaca: { label: "Alpaca", blurb: "Instruction tuning JSONL: {\"instruction\", \"input\", \"output\"}.", ext: "jsonl", mime: "application/x-ndjson", roles: ["system", "instruction", "input", "output"], table: false, text: true },
  sharegpt: { label: "ShareGPT", blurb: "Conversations JSONL: {\"conversations\": [{\"from\": \"human\"|\"gpt\", \"value\"}]}.", ext: "jsonl", mime: "application/x-ndjson", roles: ["system", "user", "assistant"], table: false, text: true },
};

export const ROLE_LABELS: Record<Role, string> = {
  system: "System",
  user: "User",
  assistant: "Assistant",
  instruction: "Instruction",
  input: "Input",
  output: "Output",
  label: "Label column",
};

/** Facts about a record that are not its values. */
export type MetaKey = "id" | "source" | "runId" | "blueprintVersion" | "models" | "sampled" | "reviewState";

/**
 * A cell: a value, a label, a record fact, or a part of what an LLM field sent (its
 * system message, its final user message, or the few-shot turns between them as a JSON
 * array of {role, content}), read from the record's provenance.
 */
export type CellSource =
  | { kind: "field"; name: string }
  | { kind: "label"; name: string }
  | { kind: "meta"; key: MetaKey }
  | { kind: "prompt"; field: string; part: PromptPart | "turns" };

export const PROVENANCE_COLUMNS: { name: string; key: MetaKey; description: string }[] = [
  { name: "_record_id", key: "id", description: "the record's id in the studio" },
  { name: "_source", key: "source", description: '"generated" or "imported"' },
  { name: "_run_id", key: "runId", description: "the run that generated it (null when imported)" },
  { name: "_blueprint_version", key: "blueprintVersion", description: "the blueprint version of that run" },
  { name: "_models", key: "models", description: "model per LLM field, e.g. {\"answer\": \"gpt-4o-mini\"}" },
  { name: "_sampled", key: "sampled", description: "the sampled values the prompts were rendered with" },
];

/** A value in a row: a cell from the database, or fixed text. */
export type ValueRef = { cell: number } | { text: string };

/**
 * A piece of a JSON line: literal JSON text; a cell as a JSON value / as string content;
 * a cell as string content between `before` and `after`, all left out when the cell is
 * NULL (a system prompt that was not sent); or few-shot turns, each message followed by a
 * comma (they always come before the user message).
 */
export type LinePart =
  | string
  | { cell: number; mode: "json" }
  | { cell: number; mode: "content" }
  | { cell: number; mode: "optional"; before: string; after: string }
  | { cell: number; mode: "turns"; style: TurnStyle; last?: boolean };

export type ChatRole = "system" | "user" | "assistant";
export type TurnStyle = "openai" | "sharegpt";

/**
 * One part of a chat example: a message (left out when `optional` and its cell is NULL),
 * or the few-shot turns in a cell.
 */
export type ChatPart = { role: ChatRole; value: ValueRef; optional: boolean } | { turns: number; last?: boolean };

/** Roles a record cannot do without: mapped to a prompt it does not have, the record is left out. */
const REQUIRED_ROLES: Partial<Record<ExportFormat, Role[]>> = {
  openai: ["user", "assistant"],
  sharegpt: ["user", "assistant"],
  alpaca: ["instruction", "output"],
};

export interface ExportPlan {
  format: ExportFormat;
  cells: CellSource[];
  /** Per cell: how it is queried, by what its format needs (see cells.ts). */
  kinds: CellKind[];
  /** Table formats: the output columns in order. */
  columns: { name: string; value: ValueRef }[];
  /** OpenAI / ShareGPT: the messages of one example. */
  chat: ChatPart[];
  /**
   * Prompts a record must have in its provenance to be exported (a required role mapped to
   * a prompt): records without them (imported ones) are left out, and counted apart.
   */
  requiredPrompts: { field: string; part: PromptPart }[];
  /** Conversation fields whose messages are the example: records without one (a non-empty list) are left out, like those without a prompt. */
  requiredConversations: string[];
  /** JSON-lines formats: one line, without the newline. */
  template: LinePart[];
  /** The cell holding the record id, when asked for (validation reports, provenance). */
  idCell: number | null;
}

export function planExport(request: Pick<ExportRequest, "format" | "fields" | "mapping" | "provenance">, opts: { withId?: boolean } = {}): ExportPlan {
  const cells: CellSource[] = [];
  const cellOf = (s: CellSource): number => {
    const i = cells.findIndex((c) => sameSource(c, s));
    if (i !== -1) return i;
    cells.push(s);
    return cells.length - 1;
  };
  const ref = (s: Source): ValueRef => (s.kind === "text" ? { text: s.text } : { cell: cellOf(s) });
  const requiredPrompts: { field: string; part: PromptPart }[] = [];
  for (const role of REQUIRED_ROLES[request.format] ?? []) {
    const s = request.mapping[role];
    if (s?.kind === "prompt" && !requiredPrompts.some((p) => p.field === s.field && p.part === s.part)) requiredPrompts.push({ field: s.field, part: s.part });
  }

  const info = FORMAT_INFO[request.format];
  const m = request.mapping;
  const columns: { name: string; value: ValueRef }[] = [];
  const taken = new Set<string>();
  const addColumn = (name: string, value: ValueRef) => {
    let n = name;
    for (let k = 2; taken.has(n); k++) n = `${name}_${k}`;
    taken.add(n);
    columns.push({ name: n, value });
  };

  if (info.table) {
    for (const f of request.fields) addColumn(f, { cell: cellOf({ kind: "field", name: f }) });
    if (m.label) addColumn("label", ref(m.label));
  }
  const provenance = request.provenance && request.format !== "openai";
  const provColumns: { name: string; value: ValueRef }[] = [];
  if (provenance) {
    for (const p of PROVENANCE_COLUMNS) {
      const col = { name: p.name, value: { cell: cellOf({ kind: "meta", key: p.key }) } };
      if (info.table) addColumn(col.name, col.value);
      else provColumns.push(col);
    }
  }
  const idCell = opts.withId || provenance ? cellOf({ kind: "meta", key: "id" }) : null;

  const chat: ChatPart[] = [];
  const requiredConversations: string[] = [];
  if ((request.format === "openai" || request.format === "sharegpt") && m.conversation) {
    // The system message, then every turn of the conversation (the last is an assistant's).
    if (m.system) chat.push({ role: "system", value: ref(m.system), optional: m.system.kind === "prompt" });
    chat.push({ turns: cellOf({ kind: "field", name: m.conversation }), last: true });
    requiredConversations.push(m.conversation);
  } else if (request.format === "openai" || request.format === "sharegpt") {
    for (const role of ["system", "user", "assistant"] as const) {
      const s = m[role];
      if (role === "user" && m.fewShot && s?.kind === "prompt") chat.push({ turns: cellOf({ kind: "prompt", field: s.field, part: "turns" }) });
      // A system prompt is sent only when it renders non-blank: where none was sent, none is exported.
      if (s) chat.push({ role, value: ref(s), optional: role === "system" && s.kind === "prompt" });
    }
  }

  const t = new TemplateBuilder();
  switch (request.format) {
    case "jsonl":
    case "csv":
    case "parquet":
      t.object(columns.map((c) => [c.name, c.value, "json"]));
      break;
    case "openai":
      t.lit('{"messages":[');
      t.messages(chat, "openai");
      t.lit("]}");
      break;
    case "sharegpt": {
      t.lit('{"conversations":[');
      t.messages(chat, "sharegpt");
      t.lit("]");
      for (const p of provColumns) t.key(p.name, p.value, "json");
      t.lit("}");
      break;
    }
    case "alpaca": {
      const entries: [string, ValueRef, "content"][] = [];
      if (m.system) entries.push(["system", ref(m.system), "content"]);
      entries.push(["instruction", m.instruction ? ref(m.instruction) : { text: "" }, "content"]);
      entries.push(["input", m.input ? ref(m.input) : { text: "" }, "content"]);
      entries.push(["output", m.output ? ref(m.output) : { text: "" }, "content"]);
      t.object([...entries, ...provColumns.map((p) => [p.name, p.value, "json"] as [string, ValueRef, "json"])]);
      break;
    }
  }
  // Only JSON-lines formats write the template; in them a value written as a JSON value
  // needs its type. Record facts (meta) carry theirs in a prefix whatever the format.
  const jsonValues = new Set<number>();
  if (request.format !== "csv" && request.format !== "parquet") {
    for (const p of t.parts) if (typeof p !== "string" && p.mode === "json") jsonValues.add(p.cell);
  }
  const kinds = cells.map((c, i): CellKind => (c.kind === "meta" ? "prefixed" : jsonValues.has(i) ? "flagged" : "text"));
  return { format: request.format, cells, kinds, columns, chat, requiredPrompts, requiredConversations, template: t.parts, idCell };
}

function sameSource(a: CellSource, b: CellSource): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "meta") return a.key === (b as { key: MetaKey }).key;
  if (a.kind === "prompt") return a.field === (b as typeof a).field && a.part === (b as typeof a).part;
  return a.name === (b as { name: string }).name;
}

const TURN_KEYS: Record<TurnStyle, { role: string; content: string; names: Record<ChatRole, string> }> = {
  openai: { role: "role", content: "content", names: { system: "system", user: "user", assistant: "assistant" } },
  sharegpt: { role: "from", content: "value", names: { system: "system", user: "human", assistant: "gpt" } },
};

/** `{"role":"user","content":` (or ShareGPT's from/value) for one message. */
function messageHead(style: TurnStyle, role: ChatRole): string {
  const k = TURN_KEYS[style];
  return `{${JSON.stringify(k.role)}:${JSON.stringify(k.names[role])},${JSON.stringify(k.content)}:`;
}

/**
 * Few-shot turns as sent (a cell's JSON array of {role, content}), each written as a
 * message of the format followed by a comma. The text may be the cell's latin1 view of its
 * UTF-8 (the line encoder's fast path): PostgreSQL's JSON escapes only quotes, backslashes
 * and control characters, so every character parsed is below U+0100 and JSON.stringify
 * writes it back unescaped, byte for byte. Anything that is not such a list gives nothing.
 */
export function turnsJson(json: string, style: TurnStyle): string {
  let turns: unknown;
  try {
    turns = JSON.parse(json);
  } catch {
    return "";
  }
  if (!Array.isArray(turns)) return "";
  let s = "";
  for (const t of turns) {
    const { role, content } = (t ?? {}) as { role?: unknown; content?: unknown };
    if ((role !== "user" && role !== "assistant") || typeof content !== "string") continue;
    s += messageHead(style, role) + JSON.stringify(content) + "},";
  }
  return s;
}

/** The few-shot turns in a cell as messages (for the OpenAI check). */
export function parseTurns(json: string | null): { role: ChatRole; content: string }[] {
  if (json === null) return [];
  try {
    const turns = JSON.parse(json) as unknown;
    if (!Array.isArray(turns)) return [];
    return turns.filter((t): t is { role: "user" | "assistant"; content: string } => (t?.role === "user" || t?.role === "assistant") && typeof t?.content === "string").map((t) => ({ role: t.role, content: t.content }));
  } catch {
    return [];
  }
}

/** The messages of one chat example as the file holds them (for the OpenAI check). */
export function chatMessages(plan: ExportPlan, batch: CellBatch, row: number): { role: ChatRole; content: string }[] {
  const out: { role: ChatRole; content: string }[] = [];
  for (const c of plan.chat) {
    if ("turns" in c) out.push(...parseTurns(batch.text(row, c.turns)));
    else if (c.optional && "cell" in c.value && batch.start(row, c.value.cell) < 0) continue;
    else out.push({ role: c.role, content: valueText(c.value, batch, row) });
  }
  return out;
}

class TemplateBuilder {
  parts: LinePart[] = [];
  private first = true;

  lit(s: string) {
    const last = this.parts[this.parts.length - 1];
    if (typeof last === "string") this.parts[this.parts.length - 1] = last + s;
    else this.parts.push(s);
  }

  value(v: ValueRef, mode: "json" | "content") {
    if ("text" in v) this.lit(JSON.stringify(v.text));
    else this.parts.push(mode === "json" ? { cell: v.cell, mode } : { cell: v.cell, mode });
  }

  /** Adds `,"name":value` to the object being written (after its first key). */
  key(name: string, v: ValueRef, mode: "json" | "content") {
    this.lit(`${this.first ? "" : ","}${JSON.stringify(name)}:`);
    this.first = false;
    this.value(v, mode);
  }

  /**
   * Chat messages, each but the last followed by a comma. The last is the assistant's,
   * which every chat export has, so an optional message or the few-shot turns (never last)
   * can drop out without leaving a stray comma. A conversation's turns come last and are
   * never empty (records without them are left out: ExportPlan.requiredConversations).
   */
  messages(chat: ChatPart[], style: TurnStyle) {
    chat.forEach((c, i) => {
      const sep = i < chat.length - 1 ? "," : "";
      if ("turns" in c) {
        this.parts.push(c.last ? { cell: c.turns, mode: "turns", style, last: true } : { cell: c.turns, mode: "turns", style });
        return;
      }
      const head = messageHead(style, c.role);
      if (c.optional && "cell" in c.value) {
        this.parts.push({ cell: c.value.cell, mode: "optional", before: head, after: "}" + sep });
        return;
      }
      this.lit(head);
      this.value(c.value, "content");
      this.lit("}" + sep);
    });
    // The messages are the value of the object's first key; keys added after need a comma.
    this.first = false;
  }

  object(entries: [string, ValueRef, "json" | "content"][]) {
    this.lit("{");
    this.first = true;
    for (const [name, v, mode] of entries) this.key(name, v, mode);
    this.first = false;
    this.lit("}");
  }
}

/** Renders one row of a batch with the plan's template. */
export function renderLine(template: LinePart[], batch: CellBatch, row: number): string {
  let s = "";
  for (let i = 0; i < template.length; i++) {
    const p = template[i];
    if (typeof p === "string") s += p;
    else if (p.mode === "json") s += cellJson(batch, row, p.cell);
    else if (p.mode === "content") s += cellContent(batch, row, p.cell);
    else s += extraPart(p, batch.text(row, p.cell));
  }
  return s;
}

/** An optional message or few-shot turns, given the cell's text (see turnsJson for latin1 text). */
export function extraPart(p: Extract<LinePart, { mode: "optional" | "turns" }>, text: string | null): string {
  if (text === null) return "";
  if (p.mode === "optional") return p.before + JSON.stringify(text) + p.after;
  // A conversation ends the list: its last message takes no comma.
  return p.last ? turnsJson(text, p.style).slice(0, -1) : turnsJson(text, p.style);
}

/** A value of a row as text (CSV cells, chat contents for validation). */
export function valueText(v: ValueRef, batch: CellBatch, row: number): string {
  return "text" in v ? v.text : cellText(batch, row, v.cell);
}


/** "Customer reviews" -> "customer-reviews", plus the format, e.g. "customer-reviews-openai-chat". */
export function fileBase(datasetName: string, format: ExportFormat): string {
  const slug =
    datasetName
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "dataset";
  const suffix = { jsonl: "", csv: "", parquet: "", openai: "-openai-chat", alpaca: "-alpaca", sharegpt: "-sharegpt" }[format];
  return slug + suffix;
}

/** What the browser saves: one file, or a zip when there are splits or a card. */
export function downloadFileName(datasetName: string, r: Pick<ExportRequest, "format" | "split" | "card">): string {
  const base = fileBase(datasetName, r.format);
  return r.split || r.card ? `${base}.zip` : `${base}.${FORMAT_INFO[r.format].ext}`;
}
