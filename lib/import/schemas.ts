import { z } from "zod";

export const DeleteImportInput = z.object({ datasetId: z.uuid(), importId: z.uuid() });
export const ListImportsInput = z.object({ datasetId: z.uuid() });

/** What an upload returns. */
export type ImportResult = { importId: string; rows: number; fields: string[]; fileName: string };
export type ImportSummary = { id: string; fileName: string; rows: number; importedAt: string };
