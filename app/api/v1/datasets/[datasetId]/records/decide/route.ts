// HTTP API v1: accept, reject or reset records by ids or by filter (one undoable review action).
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { actorOfToken } from "@/lib/audit/server/audit";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { bulkDecide } from "@/lib/review/server/decisions";

export const POST = apiRoute(ENDPOINTS.decideRecords, async ({ params, body }, token) => ok(await bulkDecide(db(), { ...body, datasetId: params.datasetId }, actorOfToken(token))));
