// Inputs of the review feature, shared by the forms, the server actions and the grid's
// read endpoint. Pure: imported by the browser and the server alike.
import { z } from "zod";
import { RecordFilter } from "@/lib/records/filter";
import { LabelSchema } from "./labels";
import { Threshold } from "@/lib/runs/schemas";

/** Until sign-in exists, the name a person gives once per browser. */
export const ReviewerName = z
  .string()
  .trim()
  .min(1, "Give your name, so decisions say who made them.")
  .max(60, "Keep the name under 60 characters.");

export const SORT_KEYS = ["position", "cost", "tokens", "latency", "reviewedAt", "field", "judge", "uncertain"] as const;
export const RecordSort = z
  .object({
    by: z.enum(SORT_KEYS),
    /** For by = "field": the value to sort on (numbers sort as numbers). */
    field: z.string().min(1).max(200).optional(),
    /** For by = "judge": the judge field (`field`) and its criterion whose score sorts. */
    criterion: z.string().min(1).max(200).optional(),
    dir: z.enum(["asc", "desc"]),
  })
  .refine((s) => (s.by !== "field" && s.by !== "judge") || !!s.field, { message: "Choose the field to sort by.", path: ["field"] })
  .refine((s) => s.by !== "judge" || !!s.criterion, { message: "Choose the judge's criterion to sort by.", path: ["criterion"] });
export type RecordSort = z.infer<typeof RecordSort>;
export const DEFAULT_SORT: RecordSort = { by: "position", dir: "asc" };

export const PAGE_SIZE = 100;

export const PageQuery = z.object({
  filter: RecordFilter,
  sort: RecordSort,
  offset: z.number().int().min(0).max(50_000_000),
  limit: z.number().int().min(1).max(500),
  /**
   * The row just before this page, which the grid already shows: the page is the rows
   * after it in the sort's order, read from there instead of counting `offset` rows
   * (lib/review/server/page-order.ts). If it is gone, the offset counts.
   */
  after: z.uuid().optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

// Revisions are int4 in PostgreSQL: a larger number is refused here, not as a database error.
const RecordRef = { recordId: z.uuid(), revision: z.number().int().min(0).max(2 ** 31 - 1, "This revision does not exist."), reviewer: ReviewerName };

export const DECISIONS = ["accept", "reject", "reset"] as const;
export type Decision = (typeof DECISIONS)[number];

export const DecideInput = z.object({ ...RecordRef, decision: z.enum(DECISIONS) });
export type DecideInput = z.infer<typeof DecideInput>;

/** Label name -> value; a missing name means "not set". Checked against the dataset's schema by the service. */
export const LabelValues = z.record(z.string(), z.union([z.string().max(2000), z.array(z.string()).max(50), z.number()]));
export type LabelValues = z.infer<typeof LabelValues>;

export const SetLabelsInput = z.object({ ...RecordRef, labels: LabelValues });
export type SetLabelsInput = z.infer<typeof SetLabelsInput>;

export const EditFieldInput = z.object({
  ...RecordRef,
  field: z.string().min(1).max(200),
  /** The new value: text for text fields, any JSON for the others. */
  value: z.json(),
});
export type EditFieldInput = z.infer<typeof EditFieldInput>;

export const CommentInput = z.object({
  recordId: z.uuid(),
  reviewer: ReviewerName,
  body: z.string().trim().min(1, "Write something first.").max(5000),
});

/** Which records a bulk action touches: the rows a person selected, or everything the filter matches. */
export const BulkTarget = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(10_000) }),
  z.object({ filter: RecordFilter }),
]);
export type BulkTarget = z.infer<typeof BulkTarget>;

export const BulkDecideInput = z.object({
  datasetId: z.uuid(),
  target: BulkTarget,
  reviewer: ReviewerName,
  decision: z.enum(DECISIONS),
});
export type BulkDecideInput = z.infer<typeof BulkDecideInput>;

export const BulkLabelInput = z.object({
  datasetId: z.uuid(),
  target: BulkTarget,
  reviewer: ReviewerName,
  label: z.string().min(1),
  /** single: the option; multi: the option to add; rating: 1-5; null clears the label. */
  value: z.union([z.string().max(2000), z.number(), z.null()]),
});
export type BulkLabelInput = z.infer<typeof BulkLabelInput>;

export const UndoInput = z.object({ datasetId: z.uuid(), reviewer: ReviewerName, actionId: z.uuid().optional() });

export const SaveLabelSchemaInput = z.object({ datasetId: z.uuid(), schema: LabelSchema });

/** The grid's read endpoint (app/datasets/[datasetId]/records/data): one of these per request. */
export const ReviewRead = z.discriminatedUnion("kind", [
  PageQuery.extend({ kind: z.literal("page") }),
  z.object({ kind: z.literal("count"), filter: RecordFilter }),
  z.object({ kind: z.literal("stats") }),
  z.object({ kind: z.literal("row"), recordId: z.uuid() }),
  z.object({ kind: z.literal("record"), recordId: z.uuid() }),
  z.object({ kind: z.literal("value"), recordId: z.uuid(), field: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal("actions") }),
  z.object({ kind: z.literal("cluster"), clusterId: z.uuid(), recordId: z.uuid().optional() }),
  z.object({ kind: z.literal("keep-one-preview") }),
  /** One judge criterion's agreement with people at a threshold: the "decide where the judge says" confirmation. */
  z.object({ kind: z.literal("judge-agreement"), judge: z.string().min(1).max(200), criterion: z.string().min(1).max(200), threshold: Threshold.optional() }),
]);
export type ReviewRead = z.infer<typeof ReviewRead>;

/** Puts back the values a record had before a regeneration or an earlier restore (RecordVersion). */
export const RestoreVersionInput = z.object({ ...RecordRef, versionId: z.uuid() });
export type RestoreVersionInput = z.infer<typeof RestoreVersionInput>;
