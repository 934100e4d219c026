// Export download. A route handler so the file streams from PostgreSQL to the browser
// (server actions buffer their result); a GET so the browser's own download manager
// saves it to disk as it arrives, however large. The page polls ./progress for rows.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { decodeRequestParam, ExportRequest } from "@/lib/export/schemas";
import { downloadResponse, startExport } from "@/lib/export/server/export";
import { setProgress } from "@/lib/export/server/progress";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { DatasetParams, encodedParam, route } from "@/lib/http/route";
import { actorOf } from "@/lib/audit/server/audit";
import { currentCaller } from "@/lib/auth/server/access";
import { withRequestHeaders } from "@/lib/auth/server/request";

const ProgressId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const progressIdOf = (req: Request) => ProgressId.safeParse(new URL(req.url).searchParams.get("progress")).data ?? null;

export const GET = route(
  {
    access: { role: "editor", project: ({ params }) => ({ datasetId: params.datasetId }) },
    params: DatasetParams,
    query: z.object({
      request: encodedParam(
        ExportRequest,
        "The export settings in the address are not readable. Start the export again from the Export page.",
        decodeRequestParam,
      ),
    }),
    // The page polls the progress id for the bar; a failure must end the bar, not leave it waiting.
    onError: (error, req) => {
      const progressId = progressIdOf(req);
      if (progressId) setProgress(progressId, { state: "failed", rows: 0, total: 0, file: null, skipped: 0, error: error.message });
    },
  },
  async ({ req, params: { datasetId }, query }) => {
    const progressId = progressIdOf(req);
    // The caller the access check read (cached for this request), for the audit trail.
    const caller = await withRequestHeaders(req.headers, () => currentCaller({ datasetId }));
    const download = await startExport(db(), rawPool(), datasetId, query.request, {
      onProgress: progressId ? (p) => setProgress(progressId, p) : undefined,
      signal: req.signal,
      actor: actorOf(caller),
    });
    return downloadResponse(download);
  },
);
