// HTTP API v1: page through records with the grid's filters and sorts.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { DEFAULT_SORT } from "@/lib/review/schemas";
import { countRecords, recordPage } from "@/lib/review/server/records";

export const GET = apiRoute(ENDPOINTS.listRecords, async ({ params: { datasetId }, query }) => {
  await getDataset(db(), datasetId); // an unknown dataset is a 404, not an empty page
  const filter = query.filter ?? {};
  const sort = query.sort ?? DEFAULT_SORT;
  const [total, records] = await Promise.all([countRecords(db(), datasetId, filter), recordPage(db(), datasetId, { filter, sort, offset: query.offset, limit: query.limit })]);
  return ok({ total, offset: query.offset, records }, { headers: { "cache-control": "no-store" } });
});
