import { z } from "zod";
import { Blueprint } from "@/lib/blueprints/schema";

export const DatasetName = z.string().trim().min(1, "Give the dataset a name.").max(120, "Keep the name under 120 characters.");

export const CreateDatasetInput = z.object({
  projectId: z.uuid(),
  name: DatasetName,
  /** Starter id from lib/blueprints/starters; absent for an empty blueprint. */
  starter: z.string().optional(),
});
export const RenameDatasetInput = z.object({ id: z.uuid(), name: DatasetName });
export const DeleteDatasetInput = z.object({ id: z.uuid() });
export const SaveGuidelinesInput = z.object({ id: z.uuid(), guidelines: z.string().max(100_000, "Keep the guidelines under 100,000 characters.") });

export const SaveDraftInput = z.object({
  id: z.uuid(),
  blueprint: Blueprint,
  /** The revision the editor started from; a mismatch means someone else saved meanwhile. */
  baseRevision: z.number().int().min(0).max(2 ** 31 - 1, "This revision does not exist."),
});

export const PreviewInput = z.object({
  id: z.uuid(),
  blueprint: Blueprint,
  seed: z.number().int().min(0).max(2 ** 31 - 1),
  count: z.number().int().min(1).max(50).default(5),
});
export type PreviewInput = z.infer<typeof PreviewInput>;
