// HTTP API v1: launch a run (the Generate tab's launch: validated blueprint, cost estimate, durable job).
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { actorOfToken } from "@/lib/audit/server/audit";
import { db } from "@/lib/db/server/prisma";
import { env } from "@/lib/env";
import { ok } from "@/lib/http/route";
import { estimateRun } from "@/lib/runs/server/estimate";
import { enqueueRun } from "@/lib/runs/server/queue";
import { launchRun } from "@/lib/runs/server/runs";

export const POST = apiRoute(ENDPOINTS.launchRun, async ({ params, body }, token) => {
  const input = { ...body, datasetId: params.datasetId };
  const run = await launchRun(
    db(),
    input,
    (runId) => enqueueRun(env().DATABASE_URL!, runId),
    async (blueprint, seed) => {
      const est = await estimateRun(db(), input.datasetId, blueprint, input.records, seed);
      return est.expected?.costUsd ?? est.costUsd;
    },
    actorOfToken(token),
  );
  return ok({ id: run.id, seed: run.seed, estimatedCostUsd: run.estimatedCostUsd }, { status: 201 });
});
