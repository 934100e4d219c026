// HTTP API v1: a project's datasets.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { createDataset, listDatasets } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { getProject } from "@/lib/projects/server/projects";

export const GET = apiRoute(ENDPOINTS.listDatasets, async ({ params }) => {
  await getProject(db(), params.projectId); // an unknown project is a 404, not an empty list
  return ok(await listDatasets(db(), params.projectId));
});
export const POST = apiRoute(ENDPOINTS.createDataset, async ({ params, body }) => ok({ id: (await createDataset(db(), { ...body, projectId: params.projectId })).id }, { status: 201 }));
