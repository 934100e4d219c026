// HTTP API v1: import real records; the file is the request body, streamed into COPY.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { db } from "@/lib/db/server/prisma";
import { DomainError, invalid } from "@/lib/errors/domain-error";
import { ok } from "@/lib/http/route";
import { uploadedTable } from "@/lib/http/upload";
import { importRecords, MAX_IMPORT_BYTES } from "@/lib/import/server/import";

export const POST = apiRoute(ENDPOINTS.importRecords, async ({ req, params: { datasetId }, query }) => {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_IMPORT_BYTES) throw new DomainError("too_large", `The file is ${(declared / 1e6).toFixed(0)} MB; an import can be at most 1 GB.`);
  if (!query.mapping) throw invalid("Say which column goes to which field: ?mapping={\"column\":\"field\"}.");
  const { fileName, format } = uploadedTable(query.name);
  if (!req.body) throw invalid("Nothing was imported: the file is empty (0 bytes).");
  const expectedBytes = declared > 0 ? declared : undefined;
  return ok(await importRecords(db(), rawPool(), { datasetId, fileName, format, mapping: query.mapping, body: req.body, expectedBytes }), { status: 201 });
});
