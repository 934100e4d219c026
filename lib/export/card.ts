// The dataset card: README.md beside the exported files, in the shape Hugging Face
// expects (YAML front matter, then Markdown), written from facts the database holds about
// exactly the exported records. Pure.
import type { Blueprint, Field } from "@/lib/blueprints/schema";
import { describeCheck } from "@/lib/quality/validators/describe";
import { FORMAT_INFO, PROVENANCE_COLUMNS, ROLE_LABELS } from "./formats";
import type { ExportRequest, Role, SplitName, Source } from "./schemas";

export type CardRun = {
  number: number;
  id: string;
  createdAt: string;
  finishedAt: string | null;
  status: string;
  blueprintVersion: number;
  records: number;
};

export type CardData = {
  dataset: { name: string; description: string; project: string };
  exportedAt: string;
  request: Pick<ExportRequest, "format" | "fields" | "mapping" | "provenance" | "split" | "openai" | "keepFormulas">;
  /** The filter in words, e.g. "accepted, succeeded". */
  filterText: string;
  total: number;
  /** Rows in each written file; null without splits. */
  splits: { name: SplitName; file: string; rows: number }[] | null;
  file: string | null;
  byReviewState: Record<string, number>;
  bySource: Record<string, number>;
  byStatus: Record<string, number>;
  /** Label name -> value -> records (multi-choice labels count once per chosen option). */
  labels: Record<string, Record<string, number>>;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  firstCreatedAt: string | null;
  lastCreatedAt: string | null;
  lastReviewedAt: string | null;
  runs: CardRun[];
  /** Blueprint versions the exported records were generated with. */
  versions: { version: number; createdAt: string; blueprint: Blueprint }[];
  /** OpenAI examples left out because they broke the rules. */
  skipped: number;
  /** Records the filter matched but without the prompt a required role is mapped to (imported ones): left out. */
  withoutPrompt?: number;
};

const fmt = (n: number) => n.toLocaleString("en-US");
const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");
const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function sizeCategory(n: number): string {
  if (n < 1_000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  if (n < 1_000_000) return "100K<n<1M";
  return "1M<n<10M";
}

function sourceText(s: Source | null | undefined): string {
  if (!s) return "—";
  if (s.kind === "field") return `field \`${s.name}\``;
  if (s.kind === "label") return `label \`${s.name}\``;
  if (s.kind === "prompt") return `the ${s.part} prompt sent for \`${s.field}\` (as recorded when it was generated)`;
  return s.text ? `fixed text (${fmt(s.text.length)} characters)` : "empty text";
}

function fieldLine(f: Field): string {
  switch (f.kind) {
    case "category":
      return `category: ${f.options.map((o) => o.value).slice(0, 12).join(", ")}${f.options.length > 12 ? ", …" : ""}${f.dependsOn ? ` (depends on \`${f.dependsOn}\`)` : ""}`;
    case "subset":
      return `subset of ${f.k} from ${f.options.length} options`;
    case "number":
      return `number in [${f.min}, ${f.max}]${f.integer ? ", integer" : ""}`;
    case "seed":
      return `seed table column \`${f.column}\` (${f.order})`;
    case "expression":
      return "template";
    case "judge":
      return `judge \`${f.model}\` over ${f.over.map((n) => `\`${n}\``).join(", ") || "no fields"}: ${f.criteria.map((c) => `${c.name} (${c.levels.map((l) => String(l.value)).join("/")})`).join(", ")}`;
    case "conversation":
      return `conversation \`${f.model}\` between a simulated user and an assistant, ${f.turns.min === f.turns.max ? f.turns.min : `${f.turns.min}–${f.turns.max}`} turn(s)`;
    case "evolve":
      return `Evol-Instruct \`${f.model}\` over \`${f.source}\`, ${f.generations} generation(s)`;
    case "pool":
      return `pool examples: ${f.human} human + ${f.generated} generated instruction(s) per prompt from a pool grown to ${f.targetSize} (Self-Instruct)`;
    case "validator":
      return `validator (${f.mode === "reject" ? "rejects" : "flags"} records): ${describeCheck(f.check)}`;
    case "grammar":
      return "rule-based: expanded from a grammar (no model)";
    case "transform":
      return `rule-based: \`${f.operation}\` (${f.amount}) over \`${f.source}\` (no model)`;
    case "mask":
      return `rule-based: ${f.mode === "tokens" ? `${f.rate} of tokens` : "entities"} masked in \`${f.source}\` (no model)`;
    case "llm": {
      const p = Object.entries(f.params)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ");
      return `LLM \`${f.model}\`${p ? ` (${p})` : ""}, ${f.output.type === "json" ? "JSON output" : "text output"}${f.fewShot.k > 0 ? `, ${f.fewShot.k} few-shot example(s) per record` : ""}`;
    }
  }
}

export function renderDatasetCard(d: CardData): string {
  const r = d.request;
  const info = FORMAT_INFO[r.format];
  const L: string[] = [];
  L.push("---");
  L.push(`pretty_name: ${JSON.stringify(d.dataset.name)}`);
  L.push("size_categories:");
  L.push(`- ${sizeCategory(d.total)}`);
  L.push("tags:");
  L.push("- synthetic");
  L.push("- datawright");
  L.push("---");
  L.push("");
  L.push(`# ${d.dataset.name}`);
  L.push("");
  if (d.dataset.description.trim()) {
    L.push(d.dataset.description.trim());
    L.push("");
  }
  L.push(`Exported from Datawright (project "${d.dataset.project}") on ${d.exportedAt.slice(0, 16).replace("T", " ")} UTC: ${fmt(d.total)} records (${d.filterText}) as ${info.label}.`);
  L.push("Values are the reviewed ones: where a reviewer edited a value, the edit is exported, not the original.");
  L.push("");

  L.push("## Files");
  L.push("");
  if (d.splits) {
    const s = r.split!;
    L.push("| Split | File | Records | Share |");
    L.push("|---|---|---:|---:|");
    for (const x of d.splits) L.push(`| ${x.name} | \`${x.file}\` | ${fmt(x.rows)} | ${s[x.name]}% |`);
    L.push("");
    L.push(
      s.stratifyBy
        ? `Split with seed ${s.seed}, stratified by ${sourceText(s.stratifyBy)}: the records of each of its values are ranked by md5("${s.seed}:<record id>") and cut at exact counts, so every value keeps the same proportions in every split.`
        : `Split with seed ${s.seed}: a record goes to the split its key md5("${s.seed}:<record id>") falls in, so the same seed gives the same split and records added later never move existing ones.`,
    );
  } else if (d.file) {
    L.push(`| File | Records |`);
    L.push("|---|---:|");
    L.push(`| \`${d.file}\` | ${fmt(d.total - d.skipped)} |`);
  }
  if ((d.withoutPrompt ?? 0) > 0) {
    L.push("");
    const one = d.withoutPrompt === 1;
    L.push(`${fmt(d.withoutPrompt!)} ${one ? "record matched but was left out: it has" : "records matched but were left out: they have"} no recorded prompt for the mapping (imported records, or generated without that LLM field).`);
  }
  if (d.skipped > 0) {
    L.push("");
    L.push(`${fmt(d.skipped)} examples were left out because they break OpenAI's chat fine-tuning rules.`);
  }
  L.push("");

  L.push("## Format");
  L.push("");
  if (info.table) {
    const cols = [...r.fields.map((f) => `\`${f}\``), ...(r.mapping.label ? [`\`label\` (${sourceText(r.mapping.label)})`] : [])];
    L.push(`${info.label}, one record per ${r.format === "parquet" ? "row" : "line"}, columns: ${cols.join(", ") || "—"}.${r.format === "parquet" ? " All columns are UTF-8 strings; values that are not text (numbers, lists, JSON outputs) are written as JSON text, missing values and JSON null as null." : ""}`);
    if (r.format === "csv") {
      L.push("");
      L.push(
        r.keepFormulas
          ? "Cells are written as they are, including those that begin with `=`, `+`, `-`, `@`, a tab or a carriage return: a spreadsheet may run them as formulas."
          : "Cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return (other than plain numbers) start with an added single quote (`'`), so spreadsheets show them as text instead of running them as formulas. Remove the leading `'` from such cells to get the values as generated.",
      );
    }
  } else {
    L.push(`${info.label}. Mapping:`);
    L.push("");
    const conversation = (r.format === "openai" || r.format === "sharegpt") && r.mapping.conversation;
    for (const role of info.roles as Role[]) {
      const s = r.mapping[role];
      if (!s || (conversation && role !== "system")) continue;
      const note = role === "system" && s.kind === "prompt" ? "; left out where none was sent" : "";
      L.push(`- ${ROLE_LABELS[role]}: ${sourceText(s)}${note}`);
      if (role === "user" && s.kind === "prompt" && r.mapping.fewShot) L.push(`- Few-shot turns sent for \`${s.field}\`, as earlier user and assistant messages`);
    }
    if (conversation) L.push(`- Messages: every turn of the conversation \`${conversation}\` (a simulated user and an assistant), one multi-turn example per record`);
    if (r.format === "openai") {
      L.push("");
      L.push(`Checked against OpenAI's chat fine-tuning rules (roles, non-empty content, an assistant message, at most ${fmt(r.openai.maxTokens)} tokens per example).`);
    }
  }
  if (r.provenance && r.format !== "openai") {
    L.push("");
    L.push("Provenance columns:");
    L.push("");
    for (const p of PROVENANCE_COLUMNS) L.push(`- \`${p.name}\`: ${p.description}`);
  }
  L.push("");

  L.push("## Records");
  L.push("");
  L.push("| | Records |");
  L.push("|---|---:|");
  for (const [k, v] of Object.entries(d.byReviewState)) L.push(`| ${k} | ${fmt(v)} |`);
  for (const [k, v] of Object.entries(d.bySource)) L.push(`| ${k} | ${fmt(v)} |`);
  L.push("");
  const labelNames = Object.keys(d.labels);
  if (labelNames.length) {
    L.push("### Labels");
    L.push("");
    for (const name of labelNames) {
      L.push(`**${name}**`);
      L.push("");
      L.push("| Value | Records |");
      L.push("|---|---:|");
      const entries = Object.entries(d.labels[name]).sort((a, b) => b[1] - a[1]);
      for (const [v, n] of entries) L.push(`| ${esc(v)} | ${fmt(n)} |`);
      L.push("");
    }
  }

  L.push("## Generation");
  L.push("");
  L.push(`- Tokens: ${fmt(d.tokensIn)} prompt + ${fmt(d.tokensOut)} completion`);
  L.push(`- Cost: $${d.costUsd.toFixed(d.costUsd < 1 ? 4 : 2)}`);
  L.push(`- Records created: ${day(d.firstCreatedAt)} to ${day(d.lastCreatedAt)}; last review ${day(d.lastReviewedAt)}`);
  L.push("");
  if (d.runs.length) {
    L.push("| Run | Started | Finished | Status | Blueprint | Records exported |");
    L.push("|---|---|---|---|---:|---:|");
    for (const run of d.runs) {
      L.push(`| #${run.number} (\`${run.id.slice(0, 8)}\`) | ${day(run.createdAt)} | ${day(run.finishedAt)} | ${run.status} | v${run.blueprintVersion} | ${fmt(run.records)} |`);
    }
    L.push("");
  }
  for (const v of d.versions) {
    L.push(`### Blueprint v${v.version} (${day(v.createdAt)})`);
    L.push("");
    for (const f of v.blueprint.fields ?? []) L.push(`- \`${f.name}\`: ${fieldLine(f)}`);
    const llm = (v.blueprint.fields ?? []).filter((f): f is Extract<Field, { kind: "llm" }> => f.kind === "llm");
    for (const f of llm) {
      L.push("");
      L.push(`Prompt of \`${f.name}\`${f.system.trim() ? " (system, then user)" : ""}:`);
      L.push("");
      L.push("```liquid");
      if (f.system.trim()) {
        L.push(f.system.trim());
        L.push("---");
      }
      L.push(f.prompt.trim());
      L.push("```");
    }
    L.push("");
  }
  if ((d.bySource.imported ?? 0) > 0) {
    L.push(`${fmt(d.bySource.imported)} records were imported from files rather than generated; they have no run, model or cost.`);
    L.push("");
  }
  return L.join("\n");
}

/** The filter in a few words for the card and the page. */
export function describeFilter(f: ExportRequest["filter"], runNumbers: Record<string, number> = {}): string {
  const parts: string[] = [];
  parts.push(f.reviewState?.length ? f.reviewState.join(" or ") : "any review state");
  if (f.status?.length) parts.push(f.status.join(" or "));
  if (f.source) parts.push(f.source);
  if (f.runIds?.length) parts.push(`run ${f.runIds.map((id) => (runNumbers[id] ? `#${runNumbers[id]}` : id.slice(0, 8))).join(", ")}`);
  for (const [k, v] of Object.entries(f.labels ?? {})) parts.push(`${k} = ${v.join(" or ")}`);
  for (const c of f.values ?? []) parts.push(`${c.field} ${c.op === "eq" ? "=" : "contains"} "${c.value}"`);
  if (f.search) parts.push(`matching "${f.search}"`);
  if (f.checks?.anyFailed) parts.push("failing a validator");
  if (f.checks?.failing?.length) parts.push(`failing ${f.checks.failing.join(" or ")}`);
  if (f.rejected === true) parts.push("rejected by validators");
  if (f.rejected === false) parts.push("not rejected by validators");
  if (f.target === "good") parts.push("the good records of a target run");
  if (f.target === "over") parts.push("over a run's target");
  return parts.join(", ");
}
