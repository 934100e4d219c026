// HTTP API v1: a run's status and progress (what the run page shows).
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { runProgress } from "@/lib/runs/server/progress";

export const GET = apiRoute(ENDPOINTS.getRun, async ({ params }) => {
  const { recent: _recent, ...progress } = await runProgress(db(), params.runId);
  return ok(progress, { headers: { "cache-control": "no-store" } });
});
