// The one description of "which records": used by the review grid, bulk actions and
// export, so "export what I filtered" means exactly what the grid showed.
import { z } from "zod";

export const REVIEW_STATES = ["unreviewed", "accepted", "rejected"] as const;
export const RECORD_STATUSES = ["pending", "succeeded", "failed"] as const;

export const ValueCondition = z.object({
  /** Field name in the record's values (sampled or generated). */
  field: z.string().min(1),
  op: z.enum(["eq", "contains"]),
  value: z.string(),
});

export const RecordFilter = z.object({
  reviewState: z.array(z.enum(REVIEW_STATES)).optional(),
  status: z.array(z.enum(RECORD_STATUSES)).optional(),
  runIds: z.array(z.uuid()).optional(),
  source: z.enum(["generated", "imported"]).optional(),
  /** Label name -> any of these values (single choice equals it, multi choice contains it). */
  labels: z.record(z.string(), z.array(z.string()).min(1)).optional(),
  values: z.array(ValueCondition).optional(),
  /** Case-insensitive text anywhere in the record's values. */
  search: z.string().trim().max(500).optional(),
  /** Validator results (Record.checks): records failing any of these validators, or any validator at all. */
  checks: z
    .object({
      failing: z.array(z.string().min(1).max(200)).max(200).optional(),
      anyFailed: z.boolean().optional(),
    })
    .optional(),
  /** true: only records a "reject" validator failed; false: none of them. Exports default to false. */
  rejected: z.boolean().optional(),
  /**
   * "N good records" runs (lib/runs/target.ts): "good", the run's N good records; "over",
   * good records that landed after the N were in hand; "not-over", everything but those.
   * Exports default to "not-over".
   */
  target: z.enum(["good", "over", "not-over"]).optional(),
  /** Duplicate detection (lib/quality/README.md): true, records in a duplicate cluster; false, in none. */
  duplicate: z.boolean().optional(),
  /** The members of one duplicate cluster. */
  clusterId: z.uuid().optional(),
  /** Records in a duplicate cluster of `min` to `max` members (the health page's cluster-size bars). */
  clusterSize: z.object({ min: z.int().min(2), max: z.int().min(2).optional() }).optional(),
  /** Judge scores (lib/blueprints/judge.ts): the criterion's score is one of these levels, for every entry. */
  judge: z
    .array(z.object({ field: z.string().min(1).max(200), criterion: z.string().min(1).max(200), scores: z.array(z.union([z.number(), z.string().max(200)])).min(1).max(50) }))
    .max(20)
    .optional(),
  /** true: records sharing a 13-word run with the dataset's reference set; false: none. */
  contaminated: z.boolean().optional(),
});
export type RecordFilter = z.infer<typeof RecordFilter>;

/** Export's default: what a reviewer accepted. */
export const ACCEPTED_ONLY: RecordFilter = { reviewState: ["accepted"] };

/**
 * `?filter=<RecordFilter JSON>` as links carry it (the grid's "Export these records", the
 * health page's charts); anything unreadable is no filter rather than an error page.
 */
export function filterFromParam(raw: string | string[] | undefined): RecordFilter | null {
  if (typeof raw !== "string") return null;
  try {
    const parsed = RecordFilter.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The records page showing `filter` (e.g. a health chart's bar). */
export function recordsHref(datasetId: string, filter?: RecordFilter): string {
  const base = `/datasets/${datasetId}/records`;
  return filter && Object.keys(filter).length ? `${base}?filter=${encodeURIComponent(JSON.stringify(filter))}` : base;
}
