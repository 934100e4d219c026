// Sensible first choices for the export page, from field names: a dataset with
// `question` and `answer` fields exports as user/assistant without touching a select.
// Pure.
import { FORMAT_INFO } from "./formats";
import { PROMPT_PARTS, type ExportFormat, type Mapping, type Role, type Source } from "./schemas";
import type { RecordFilter } from "@/lib/records/filter";

const GUESSES: Record<Exclude<Role, "label">, string[]> = {
  system: ["system", "system_prompt", "persona"],
  user: ["user", "question", "prompt", "instruction", "query", "input", "request", "message", "text"],
  assistant: ["assistant", "answer", "response", "output", "completion", "reply", "story", "summary"],
  instruction: ["instruction", "question", "prompt", "task", "query", "user"],
  input: ["input", "context", "passage", "document", "text"],
  output: ["output", "answer", "response", "completion", "assistant", "reply", "story", "summary"],
};

/**
 * With a conversation field and generated records, chat formats default to its turns.
 * With LLM fields and generated records, a chat or instruction export defaults to what
 * the model saw and said: the system prompt and the user prompt one LLM field sent (as
 * recorded), and that field's answer. The field: the last one with text output (the
 * story, the answer), else the last. Otherwise, guesses from field names.
 */
export function guessMapping(format: ExportFormat, fields: string[], labels: string[], llmFields: { name: string; output: "text" | "json" }[] = [], conversations: string[] = []): Mapping {
  // A conversation is the multi-turn example a chat format is for: its system prompt as sent, then every turn.
  const conversation = conversations[conversations.length - 1];
  if (conversation && (format === "openai" || format === "sharegpt")) {
    return { system: { kind: "prompt", field: conversation, part: "system" }, conversation };
  }
  const llm = [...llmFields].reverse().find((f) => f.output === "text") ?? llmFields[llmFields.length - 1];
  if (llm && format !== "jsonl" && format !== "csv" && format !== "parquet") {
    const system = { kind: "prompt" as const, field: llm.name, part: "system" as const };
    const user = { kind: "prompt" as const, field: llm.name, part: "user" as const };
    const answer = { kind: "field" as const, name: llm.name };
    return format === "alpaca" ? { system, instruction: user, output: answer } : { system, user, assistant: answer };
  }
  const m: Mapping = {};
  const used = new Set<string>();
  const lower = fields.map((f) => f.toLowerCase());
  for (const role of FORMAT_INFO[format].roles) {
    if (role === "label") {
      if (labels.length === 1) m.label = { kind: "label", name: labels[0] };
      continue;
    }
    if (role === "system" && !fields.some((f) => GUESSES.system.includes(f.toLowerCase()))) continue;
    for (const g of GUESSES[role]) {
      const i = lower.indexOf(g);
      if (i !== -1 && !used.has(fields[i])) {
        m[role] = { kind: "field", name: fields[i] };
        used.add(fields[i]);
        break;
      }
    }
  }
  // No name matched: the last two text fields are a fair guess for prompt and answer.
  if ((format === "openai" || format === "sharegpt") && fields.length >= 2) {
    m.user ??= { kind: "field", name: fields[fields.length - 2] };
    m.assistant ??= { kind: "field", name: fields[fields.length - 1] };
  }
  if (format === "alpaca" && fields.length >= 2) {
    m.instruction ??= { kind: "field", name: fields[fields.length - 2] };
    m.output ??= { kind: "field", name: fields[fields.length - 1] };
  }
  return m;
}

/** <select> value of a source: "field:x", "label:x", "prompt:user:x", "prompt:system:x", "text", or "" for none. */
export function sourceKey(s: Source | null | undefined): string {
  if (!s) return "";
  if (s.kind === "prompt") return `prompt:${s.part}:${s.field}`;
  return s.kind === "text" ? "text" : `${s.kind}:${s.name}`;
}

export function sourceFromKey(key: string, text = ""): Source | null {
  if (!key) return null;
  if (key === "text") return { kind: "text", text };
  for (const part of PROMPT_PARTS) {
    if (key.startsWith(`prompt:${part}:`)) return { kind: "prompt", part, field: key.slice(`prompt:${part}:`.length) };
  }
  const i = key.indexOf(":");
  const kind = key.slice(0, i);
  const name = key.slice(i + 1);
  return kind === "label" ? { kind: "label", name } : { kind: "field", name };
}

/** Link to the export page with a filter, e.g. from the review grid ("Export these records"). */
export function exportHref(datasetId: string, filter?: RecordFilter): string {
  const base = `/datasets/${datasetId}/export`;
  return filter && Object.keys(filter).length ? `${base}?filter=${encodeURIComponent(JSON.stringify(filter))}` : base;
}

/**
 * What the export page would send for a request that leaves choices out (the HTTP API and
 * the command line): table formats write every field, chat and instruction formats take
 * the page's first guess at a mapping. A request that makes its own choices keeps them.
 */
export function withDefaults<R extends { format: ExportFormat; fields: string[]; mapping: Mapping }>(
  request: R,
  setup: { fields: string[]; labels: string[]; llmFields: { name: string; output: "text" | "json" }[]; counts: { total: number; imported: number } },
): R {
  const table = request.format === "jsonl" || request.format === "csv" || request.format === "parquet";
  const promptFields = setup.counts.total > setup.counts.imported ? setup.llmFields : [];
  return {
    ...request,
    fields: table && request.fields.length === 0 ? setup.fields : request.fields,
    mapping: !table && Object.keys(request.mapping).length === 0 ? guessMapping(request.format, setup.fields, setup.labels, promptFields) : request.mapping,
  };
}
