// Shapes the review endpoints return, shared by the services and the grid. Pure.

export type ReviewStateName = "unreviewed" | "accepted" | "rejected";

/** One grid row: values clipped to CLIP_AT characters (names of clipped fields in `clipped`). */
export type RecordRow = {
  id: string;
  index: number;
  runId: string | null;
  source: string;
  status: "pending" | "succeeded" | "failed";
  reviewState: ReviewStateName;
  labels: Record<string, unknown>;
  values: Record<string, unknown>;
  clipped: string[];
  /** Fields a reviewer has edited. */
  edited: string[];
  error: string | null;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  reviewedBy: string | null;
  reviewedAt: string | null;
  revision: number;
  /** Validators this record failed (Record.checks); `rejected` when a "reject" one did. */
  failing: { name: string; mode: "flag" | "reject"; message: string }[];
  rejected: boolean;
  /** Judge scores, whole even when the judge's value is clipped: field -> criterion -> score. */
  scores: Record<string, Record<string, number | string>>;
  /** Its duplicate cluster (lib/quality/README.md), if any. */
  cluster: { id: string; size: number; exact: boolean } | null;
  /** 13-word runs shared with the dataset's reference set, if any. */
  contamination: number | null;
};

/** What a single-record write changed, to patch the grid's cached row. */
export type RowPatch = Pick<RecordRow, "id" | "reviewState" | "labels" | "reviewedBy" | "reviewedAt" | "revision"> & {
  values?: Record<string, unknown>;
  edited?: string[];
};

/** A duplicate cluster side by side (lib/review/server/records.ts clusterView). */
export type ClusterView = {
  size: number;
  exact: boolean;
  fields: string[];
  members: { id: string; index: number; reviewState: ReviewStateName; values: Record<string, unknown> }[];
};

/** The quality columns and filters a dataset's grid offers (lib/review/server/records.ts). */
export type QualitySetup = { validators: string[]; duplicates: boolean; contamination: boolean; judges: JudgeColumn[] };

/** One criterion of a judge field of the draft, with its levels in the rubric's order. */
export type JudgeColumn = { field: string; criterion: string; levels: (number | string)[] };

/** `judged`: records a judge scored; `judgeOnly`: of those, the ones no person has reviewed. */
export type ReviewStats = { total: number; accepted: number; rejected: number; judged: number; judgeOnly: number };

export type EditEntry = { from: unknown; to: unknown; by: string; at: string };

export type LlmProvenance = {
  model: string;
  params: Record<string, unknown>;
  /** `length`: the full length of a content cut for the record detail (lib/records/long-values.ts). */
  messages: { role: string; content: string; length?: number }[];
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  attempts: number;
  reasks?: number;
  cached?: boolean;
  error?: string;
};

export type RecordDetail = {
  id: string;
  datasetId: string;
  index: number;
  runId: string | null;
  source: string;
  status: string;
  error: string | null;
  /** Values longer than PREVIEW_CHARS are cut (lib/records/long-values.ts); `long` gives their full lengths. */
  values: Record<string, unknown>;
  long: Record<string, number>;
  provenance: { blueprintVersion?: number; sampled?: Record<string, unknown>; llm?: Record<string, LlmProvenance> };
  edits: Record<string, EditEntry[]>;
  labels: Record<string, unknown>;
  reviewState: ReviewStateName;
  reviewedBy: string | null;
  reviewedAt: string | null;
  revision: number;
  attempts: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  latencyMs: number;
  createdAt: string;
  blueprintVersion: number | null;
  comments: { id: string; author: string; body: string; createdAt: string }[];
};

export type BulkResult = { actionId: string | null; count: number };
export type UndoResult = {
  actionId: string;
  kind: string;
  restored: number;
  /** Records changed by someone since the action: left as they are. */
  skipped: number;
  /** For a single-record action, the record as it is now. */
  row?: RowPatch;
};
