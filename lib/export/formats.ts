// The six export formats and how a request's mapping becomes the shape of one row.
//
// planExport() turns an ExportRequest into (1) the cells to ask PostgreSQL for, one per
// distinct source, and (2) the shape of a row: output columns for the table formats and a
// line template for the JSON-lines formats. The encoders then only splice cells into the
// template, which keeps the per-row work in Node to a few string concatenations.
// Pure: no I/O.
import { cellContent, cellJson, cellText, type CellBatch, type CellKind } from "./cells";
import type { ExportFormat, ExportRequest, Role, Source } from "./schemas";

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

export type CellSource = { kind: "field"; name: string } | { kind: "label"; name: string } | { kind: "meta"; key: MetaKey };

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

/** A piece of a JSON line: literal JSON text, or a cell as a JSON value / as string content. */
export type LinePart = string | { cell: number; mode: "json" | "content" };

export type ChatRole = "system" | "user" | "assistant";

export interface ExportPlan {
  format: ExportFormat;
  cells: CellSource[];
  /** Per cell: how it is queried, by what its format needs (see cells.ts). */
  kinds: CellKind[];
  /** Table formats: the output columns in order. */
  columns: { name: string; value: ValueRef }[];
  /** OpenAI / ShareGPT: the messages of one example. */
  chat: { role: ChatRole; value: ValueRef }[];
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

  const chat: { role: ChatRole; value: ValueRef }[] = [];
  if (request.format === "openai" || request.format === "sharegpt") {
    for (const role of ["system", "user", "assistant"] as const) {
      const s = m[role];
      if (s) chat.push({ role, value: ref(s) });
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
      chat.forEach((c, i) => {
        if (i > 0) t.lit(",");
        t.object([["role", { text: c.role }, "content"], ["content", c.value, "content"]]);
      });
      t.lit("]}");
      break;
    case "sharegpt": {
      const from = { system: "system", user: "human", assistant: "gpt" } as const;
      t.lit('{"conversations":[');
      chat.forEach((c, i) => {
        if (i > 0) t.lit(",");
        t.object([["from", { text: from[c.role] }, "content"], ["value", c.value, "content"]]);
      });
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
  return { format: request.format, cells, kinds, columns, chat, template: t.parts, idCell };
}

function sameSource(a: CellSource, b: CellSource): boolean {
  if (a.kind !== b.kind) return false;
  return a.kind === "meta" ? a.key === (b as { key: MetaKey }).key : a.name === (b as { name: string }).name;
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
    else this.parts.push({ cell: v.cell, mode });
  }

  /** Adds `,"name":value` to the object being written (after its first key). */
  key(name: string, v: ValueRef, mode: "json" | "content") {
    this.lit(`${this.first ? "" : ","}${JSON.stringify(name)}:`);
    this.first = false;
    this.value(v, mode);
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
    else s += p.mode === "json" ? cellJson(batch, row, p.cell) : cellContent(batch, row, p.cell);
  }
  return s;
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
