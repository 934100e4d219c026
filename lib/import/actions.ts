"use server";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { DeleteImportInput, ListImportsInput } from "./schemas";
import { deleteImport, listImports } from "./server/import";

export async function listImportsAction(input: unknown) {
  return action(ListImportsInput, input, ({ datasetId }) => listImports(db(), datasetId), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

export async function deleteImportAction(input: unknown) {
  return action(DeleteImportInput, input, async ({ datasetId, importId }) => {
    const n = await deleteImport(db(), datasetId, importId);
    revalidatePath(`/datasets/${datasetId}/export`);
    return { deleted: n };
  }, { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
