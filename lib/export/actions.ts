"use server";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { DatasetExportInput } from "./schemas";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { checkOpenAiExport, previewCard, previewExport } from "./server/preview";

export async function previewExportAction(input: unknown) {
  return action(DatasetExportInput, input, ({ datasetId, request }) => previewExport(db(), rawPool(), datasetId, request), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

export async function checkOpenAiAction(input: unknown) {
  return action(DatasetExportInput, input, ({ datasetId, request }) => checkOpenAiExport(db(), rawPool(), datasetId, request), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

export async function previewCardAction(input: unknown) {
  return action(DatasetExportInput, input, ({ datasetId, request }) => previewCard(db(), rawPool(), datasetId, request), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
