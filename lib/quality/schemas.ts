import { z } from "zod";
import { ReviewerName } from "@/lib/review/schemas";
import { TargetSettings } from "@/lib/runs/schemas";

export const DEFAULT_THRESHOLD = 0.8;

/** What the user picks for duplicate detection. */
export const DedupeSettingsInput = z.object({
  datasetId: z.uuid(),
  fields: z.array(z.string().min(1)).min(1, "Pick at least one field to compare.").max(20),
  threshold: z
    .number()
    .refine((t) => t > 0 && t <= 1, "The similarity threshold must be more than 0 and at most 1 (0.8 means 80% of the 5-character pieces in common).")
    .default(DEFAULT_THRESHOLD),
});
export type DedupeSettingsInput = z.input<typeof DedupeSettingsInput>;

export const KeepOnePolicy = z.enum(["first", "longest", "best-label"]);
export type KeepOnePolicy = z.infer<typeof KeepOnePolicy>;

export const DatasetIdInput = z.object({ datasetId: z.uuid() });

/** "Keep one per cluster" from the grid: which record each cluster keeps. */
export const KeepOneInput = z.object({
  datasetId: z.uuid(),
  reviewer: ReviewerName,
  policy: KeepOnePolicy,
  /** The rating label that ranks records, for "best-label". */
  label: z.string().min(1).max(200).optional(),
});

/** The Health tab's Judges section: the user's thresholds (else the launch form's defaults). */
export const JudgeTrustInput = z.object({
  datasetId: z.uuid(),
  thresholds: TargetSettings.shape.thresholds.optional(),
});
