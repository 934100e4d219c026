// What the export page gets back from the server (preview, OpenAI check, setup).
import type { ChatReport } from "./openai";
import type { SplitName } from "./schemas";

export type ExportPreview = {
  /** Records the export writes: the filter's, with the prompts the mapping takes. */
  total: number;
  /**
   * Records the filter matches that are left out because a required role is mapped to a
   * prompt they do not have (imported records, or generated without that LLM field).
   */
  withoutPrompt: number;
  /** Records per split, when splitting. */
  splitCounts: Record<SplitName, number> | null;
  /** What the browser will save. */
  fileName: string;
  /** The first lines exactly as the file starts (CSV: the header and three rows). */
  text: string | null;
  /** Parquet is binary: its first rows as a table. */
  table: { columns: string[]; rows: (string | null)[][] } | null;
};

export type ChatCheck = ChatReport;

export type ExportSetup = {
  datasetName: string;
  /** Field names: the blueprint's, then others found in records, in order. */
  fields: string[];
  /** Review labels: the label schema's, then others found on records. */
  labels: string[];
  /** LLM fields, whose prompts as sent can be mapped: the blueprint's in order, then those only older versions have. */
  llmFields: { name: string; output: "text" | "json" }[];
  /** Conversation fields (their turns can be an example's messages), the blueprint's then older versions'. */
  conversationFields: string[];
  runs: { id: string; number: number; createdAt: string; records: number }[];
  counts: { total: number; accepted: number; rejected: number; unreviewed: number; imported: number };
};
