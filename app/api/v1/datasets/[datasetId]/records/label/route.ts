// HTTP API v1: set a label on records by ids or by filter (one undoable review action).
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { actorOfToken } from "@/lib/audit/server/audit";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { bulkLabel } from "@/lib/review/server/decisions";

export const POST = apiRoute(ENDPOINTS.labelRecords, async ({ params, body }, token) => ok(await bulkLabel(db(), { ...body, datasetId: params.datasetId }, actorOfToken(token))));
