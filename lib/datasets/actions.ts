"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { createDataset, datasetGuidelines, deleteDataset, renameDataset, saveDraft, saveGuidelines } from "./server/datasets";
import { previewBlueprint } from "./server/preview";
import { deleteSeedTable, seedTableRows, seedTableValue } from "@/lib/seed-tables/server/seed-tables";
import { CreateDatasetInput, DeleteDatasetInput, PreviewInput, RenameDatasetInput, SaveDraftInput, SaveGuidelinesInput } from "./schemas";

export async function createDatasetAction(input: unknown) {
  return action(CreateDatasetInput, input, async (data) => {
    const d = await createDataset(db(), data);
    revalidatePath(`/projects/${data.projectId}`);
    return { id: d.id };
  }, { role: "editor", project: (d) => ({ projectId: d.projectId }) });
}

export async function renameDatasetAction(input: unknown) {
  return action(RenameDatasetInput, input, async ({ id, name }) => {
    await renameDataset(db(), id, name);
    revalidatePath(`/datasets/${id}`);
  }, { role: "editor", project: (d) => ({ datasetId: d.id }) });
}

// Guidelines: editors write them; every reviewer (annotator) reads them beside the record.
export async function saveGuidelinesAction(input: unknown) {
  return action(SaveGuidelinesInput, input, async ({ id, guidelines }) => {
    await saveGuidelines(db(), id, guidelines);
    return datasetGuidelines(db(), id);
  }, { role: "editor", project: (d) => ({ datasetId: d.id }) });
}

export async function guidelinesAction(input: unknown) {
  return action(DeleteDatasetInput, input, ({ id }) => datasetGuidelines(db(), id), { role: "annotator", project: (d) => ({ datasetId: d.id }) });
}

export async function deleteDatasetAction(input: unknown) {
  return action(DeleteDatasetInput, input, async ({ id }) => {
    await deleteDataset(db(), id);
  }, { role: "editor", project: (d) => ({ datasetId: d.id }) });
}

export async function saveDraftAction(input: unknown) {
  return action(SaveDraftInput, input, ({ id, blueprint, baseRevision }) => saveDraft(db(), id, blueprint, baseRevision), { role: "editor", project: (d) => ({ datasetId: d.id }) });
}

export async function previewAction(input: unknown) {
  return action(PreviewInput, input, ({ id, blueprint, seed, count }) => previewBlueprint(db(), id, blueprint, seed, count, { key: `editor:${id}` }), { role: "editor", project: (d) => ({ datasetId: d.id }) });
}

const SeedTableRowsInput = z.object({ id: z.uuid(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(20) });
export async function seedTableRowsAction(input: unknown) {
  return action(SeedTableRowsInput, input, ({ id, offset, limit }) => seedTableRows(db(), id, offset, limit), { role: "editor", project: (d) => ({ seedTableId: d.id }) });
}

const SeedTableValueInput = z.object({ id: z.uuid(), index: z.number().int().min(0).max(2 ** 31 - 1), column: z.string().min(1).max(1000) });
export async function seedTableValueAction(input: unknown) {
  return action(SeedTableValueInput, input, ({ id, index, column }) => seedTableValue(db(), id, index, column), { role: "editor", project: (d) => ({ seedTableId: d.id }) });
}

const DeleteSeedTableInput = z.object({ id: z.uuid() });
export async function deleteSeedTableAction(input: unknown) {
  return action(DeleteSeedTableInput, input, ({ id }) => deleteSeedTable(db(), id), { role: "editor", project: (d) => ({ seedTableId: d.id }) });
}
