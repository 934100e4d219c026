// HTTP API v1: export. The file streams from PostgreSQL as the answer, like the Export page's download.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { actorOfToken } from "@/lib/audit/server/audit";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { db } from "@/lib/db/server/prisma";
import { invalid } from "@/lib/errors/domain-error";
import { firstIssue } from "@/lib/errors/stored";
import { withDefaults } from "@/lib/export/defaults";
import { ExportRequest } from "@/lib/export/schemas";
import { downloadResponse, startExport } from "@/lib/export/server/export";
import { exportSetup } from "@/lib/export/server/setup";

export const POST = apiRoute(ENDPOINTS.exportRecords, async ({ req, params, body }, token) => {
  const parsed = ExportRequest.safeParse(withDefaults(body, await exportSetup(db(), params.datasetId)));
  if (!parsed.success) throw invalid(firstIssue(parsed.error));
  const download = await startExport(db(), rawPool(), params.datasetId, parsed.data, { signal: req.signal, actor: actorOfToken(token) });
  return downloadResponse(download);
});
