// HTTP API v1: cancel a run.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { actorOfToken } from "@/lib/audit/server/audit";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { cancelRun } from "@/lib/runs/server/runs";

export const POST = apiRoute(ENDPOINTS.cancelRun, async ({ params }, token) => ok(await cancelRun(db(), params.runId, actorOfToken(token))));
