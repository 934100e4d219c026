// Inputs of team review (assignments, per-person decisions, adjudication), shared by the
// forms and the server actions. Pure.
import { z } from "zod";
import { RecordFilter } from "@/lib/records/filter";
import { MAX_OVERLAP } from "./assignment";
import { DECISIONS, LabelValues } from "./schemas";

export const AssignInput = z.object({
  datasetId: z.uuid(),
  target: z.union([
    z.object({ filter: RecordFilter }),
    z.object({ percent: z.number().int("Give the share as a whole percent.").min(1, "Give a share of 1 to 100%.").max(100, "Give a share of 1 to 100%.") }),
  ]),
  userIds: z.array(z.string().min(1)).min(1, "Choose at least one annotator.").max(200),
  overlap: z.number().int("The overlap is a whole number of reviewers.").min(1, "Each record needs at least one reviewer.").max(MAX_OVERLAP, `At most ${MAX_OVERLAP} reviewers per record.`).default(1),
});
export type AssignInput = z.infer<typeof AssignInput>;

export const DatasetRef = z.object({ datasetId: z.uuid() });

export const QueueInput = z.object({ datasetId: z.uuid(), offset: z.number().int().min(0).max(50_000_000).default(0), limit: z.number().int().min(1).max(500).default(100) });

export const TeamDecideInput = z.object({ recordId: z.uuid(), decision: z.enum(DECISIONS), labels: LabelValues.optional() });

export const AdjudicateInput = z.object({
  recordId: z.uuid(),
  decision: z.enum(["accept", "reject"]),
  reason: z.string().trim().min(1, "Say why, so the team can read how it was settled.").max(2000, "Keep the reason under 2,000 characters."),
  /** The settled label values (the questions people disagreed on); the others stay as agreed. */
  labels: LabelValues.optional(),
});
