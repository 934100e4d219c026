// What an export asks for. The export page builds one ExportRequest; the preview, the
// OpenAI check, the dataset card and the download all take the same object, so what the
// page shows is what the file holds.
import { z } from "zod";
import { ACCEPTED_ONLY, RecordFilter } from "@/lib/records/filter";

export const EXPORT_FORMATS = ["jsonl", "csv", "parquet", "openai", "alpaca", "sharegpt"] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * Where a mapped part comes from: a record field, a review label, fixed text (a shared
 * system prompt), or a prompt an LLM field sent: its system or user message as the
 * record's provenance holds it (`provenance.llm[field].messages`), never re-rendered.
 */
const FieldSource = z.object({ kind: z.literal("field"), name: z.string().min(1).max(200) });
export const PROMPT_PARTS = ["system", "user"] as const;
export type PromptPart = (typeof PROMPT_PARTS)[number];
const PromptSource = z.object({ kind: z.literal("prompt"), field: z.string().min(1).max(200), part: z.enum(PROMPT_PARTS) });
const LabelSource = z.object({ kind: z.literal("label"), name: z.string().min(1).max(200) });
/** Fixed text travels in the download link (GET, so the browser streams the file to disk): keep it short. */
export const MAX_FIXED_TEXT = 4_000;
export const Source = z.discriminatedUnion("kind", [
  FieldSource,
  LabelSource,
  PromptSource,
  z.object({
    kind: z.literal("text"),
    text: z.string().max(MAX_FIXED_TEXT, `Fixed text can be at most ${MAX_FIXED_TEXT.toLocaleString("en-US")} characters; put a longer system prompt in a field.`),
  }),
]);
export type Source = z.infer<typeof Source>;

export const ROLES = ["system", "user", "assistant", "instruction", "input", "output", "label"] as const;
export type Role = (typeof ROLES)[number];

export const Mapping = z.object({
  system: Source.nullish(),
  user: Source.nullish(),
  assistant: Source.nullish(),
  instruction: Source.nullish(),
  input: Source.nullish(),
  output: Source.nullish(),
  label: Source.nullish(),
  /**
   * Chat formats, with the user message from a prompt: the few-shot turns that field sent
   * (between its system message and its prompt) as earlier user/assistant turns.
   */
  fewShot: z.boolean().optional(),
  /**
   * Chat formats: the messages of each example are a conversation field's (its user and
   * assistant turns, lib/blueprints/conversation.ts) after the system message; the user
   * and assistant roles are then not used.
   */
  conversation: z.string().min(1).max(200).nullish(),
});
export type Mapping = z.infer<typeof Mapping>;

export const SPLITS = ["train", "validation", "test"] as const;
export type SplitName = (typeof SPLITS)[number];

const Percent = z.number().min(0, "Percentages cannot be negative.").max(100, "A percentage is at most 100.");

export const SplitSpec = z
  .object({
    train: Percent,
    validation: Percent,
    test: Percent,
    seed: z.number().int("The seed is a whole number.").min(0).max(2 ** 31 - 1),
    /** Split within each value of this label (or field), so every value keeps the same proportions. */
    stratifyBy: z.discriminatedUnion("kind", [FieldSource, LabelSource]).nullable().default(null),
  })
  .refine((s) => Math.abs(s.train + s.validation + s.test - 100) < 1e-9, { message: "The split percentages must add up to 100.", path: ["train"] })
  .refine((s) => s.train > 0, { message: "The train split needs more than 0%.", path: ["train"] });
export type SplitSpec = z.infer<typeof SplitSpec>;

/** OpenAI's per-example limit for gpt-4o-mini fine-tuning; other models differ, so it is a setting. */
export const DEFAULT_MAX_TOKENS = 65_536;

export const OpenAiOptions = z.object({
  maxTokens: z.number().int().min(1).max(10_000_000).default(DEFAULT_MAX_TOKENS),
  /** Leave out examples that break OpenAI's rules instead of exporting them. */
  skipInvalid: z.boolean().default(false),
});

/** The export's settings before the checks across them (ExportRequest): the HTTP API fills defaults into this shape. */
export const ExportRequestShape = z
  .object({
    format: ExportFormat,
    filter: RecordFilter.default(ACCEPTED_ONLY),
    /** Table formats (JSONL, CSV, Parquet): the fields to write, in order. */
    fields: z.array(z.string().min(1).max(200)).max(200).default([]),
    mapping: Mapping.default({}),
    /**
     * Also write records a "reject" validator failed. Off by default: rejecting is how a
     * blueprint says "not training data". A filter that names `rejected` wins over this.
     */
    includeRejected: z.boolean().default(false),
    /** Add _record_id, _source, _run_id, _blueprint_version, _models, _sampled. */
    provenance: z.boolean().default(false),
    split: SplitSpec.nullable().default(null),
    /** Add README.md (the dataset card); the download becomes a zip. */
    card: z.boolean().default(false),
    openai: OpenAiOptions.default({ maxTokens: DEFAULT_MAX_TOKENS, skipInvalid: false }),
    /**
     * CSV: start with a UTF-8 byte-order mark. Excel on Windows reads a CSV without one in
     * the local code page (accents and CJK turn to mojibake); pandas, DuckDB and Sheets
     * read either. Off by default because plain scripts see the mark in the first header.
     */
    excel: z.boolean().default(false),
    /**
     * CSV: write cells that begin with = + - @, a tab or a carriage return as they are.
     * Off by default: such cells get a leading single quote, so a spreadsheet opening the
     * file shows them as text instead of running them as formulas (OWASP, CSV injection).
     */
    keepFormulas: z.boolean().default(false),
  })

export const ExportRequest = ExportRequestShape
  .superRefine((r, ctx) => {
    const need = (role: Role, why: string) => {
      if (!r.mapping[role]) ctx.addIssue({ code: "custom", path: ["mapping", role], message: why });
    };
    if (r.mapping.conversation && r.format !== "openai" && r.format !== "sharegpt") {
      ctx.addIssue({ code: "custom", path: ["mapping", "conversation"], message: "A conversation exports as chat messages: choose OpenAI chat or ShareGPT." });
    }
    if (r.format === "openai" || r.format === "sharegpt") {
      // A conversation field carries both sides itself.
      if (!r.mapping.conversation) {
        need("user", "Choose the field that becomes the user message.");
        need("assistant", "Choose the field that becomes the assistant message.");
      }
    } else if (r.format === "alpaca") {
      need("instruction", "Choose the field that becomes the instruction.");
      need("output", "Choose the field that becomes the output.");
    } else if (r.fields.length === 0 && !r.mapping.label) {
      ctx.addIssue({ code: "custom", path: ["fields"], message: "Choose at least one field to export." });
    }
    if (r.mapping.label?.kind === "prompt") ctx.addIssue({ code: "custom", path: ["mapping", "label"], message: "A label column takes a field or a review label, not a prompt." });
    if (r.mapping.fewShot && (r.format === "alpaca" || r.mapping.user?.kind !== "prompt")) {
      ctx.addIssue({ code: "custom", path: ["mapping", "fewShot"], message: "Few-shot turns come with a prompt: take the user message from an LLM field's prompt (OpenAI chat or ShareGPT)." });
    }
    if (r.format === "openai" && r.provenance) {
      ctx.addIssue({ code: "custom", path: ["provenance"], message: "OpenAI's chat format has no place for provenance columns; use JSONL, CSV or Parquet for them." });
    }
    if (new Set(r.fields).size !== r.fields.length) ctx.addIssue({ code: "custom", path: ["fields"], message: "A field is listed twice." });
  });
export type ExportRequest = z.infer<typeof ExportRequest>;
export type ExportRequestInput = z.input<typeof ExportRequest>;

export const DatasetExportInput = z.object({ datasetId: z.uuid(), request: ExportRequest });
export type DatasetExportInput = z.infer<typeof DatasetExportInput>;

/** The request travels in the download link's query string: base64url of its JSON. */
export function encodeRequestParam(request: ExportRequestInput): string {
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeRequestParam(param: string): unknown {
  const b64 = param.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
}
