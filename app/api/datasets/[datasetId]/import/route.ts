// Record import. A route handler rather than a server action because the file is
// streamed from the request body into the parser and COPY: server actions buffer input.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { DatasetParams, encodedParam, ok, route } from "@/lib/http/route";
import { uploadedTable } from "@/lib/http/upload";
import { ImportMapping } from "@/lib/import/mapping";
import { importRecords, MAX_IMPORT_BYTES } from "@/lib/import/server/import";

export const POST = route(
  {
    access: { role: "editor", project: ({ params }) => ({ datasetId: params.datasetId }) },
    params: DatasetParams,
    query: z.object({
      name: z.string().default(""),
      mapping: encodedParam(ImportMapping, "The column mapping is missing or not readable."),
    }),
    maxBytes: {
      bytes: MAX_IMPORT_BYTES,
      message: (length) => `The file is ${(length / 1e6).toFixed(0)} MB; an import can be at most 1 GB. Split it into smaller files and import each one.`,
    },
  },
  async ({ req, params: { datasetId }, query }) => {
    const { fileName, format } = uploadedTable(query.name);
    if (!req.body) throw new DomainError("invalid_input", "Nothing was imported: the file is empty (0 bytes).");
    const lengthHeader = req.headers.get("content-length");
    const length = Number(lengthHeader ?? "0");
    const expectedBytes = lengthHeader !== null && Number.isSafeInteger(length) ? length : undefined;
    const result = await importRecords(db(), rawPool(), { datasetId, fileName, format, mapping: query.mapping, body: req.body, expectedBytes });
    return ok(result);
  },
);
