// HTTP API v1: a dataset's blueprint (the draft the Design tab edits).
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { getDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";

export const GET = apiRoute(ENDPOINTS.getBlueprint, async ({ params }) => {
  const d = await getDataset(db(), params.datasetId);
  return ok({ blueprint: d.draft, revision: d.draftRevision });
});
export const PUT = apiRoute(ENDPOINTS.putBlueprint, async ({ params, body }) => ok(await saveDraft(db(), params.datasetId, body.blueprint, body.revision)));
