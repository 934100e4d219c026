// HTTP API v1: page through records with the grid's filters and sorts.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { currentCaller, forbidden } from "@/lib/auth/server/access";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { allows } from "@/lib/auth/roles";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { DEFAULT_SORT } from "@/lib/review/schemas";
import { countRecords, recordPage } from "@/lib/review/server/records";
import { hasAssignments } from "@/lib/review/server/team";
import { limitsOf } from "@/lib/review/server/team-caller";

export const GET = apiRoute(ENDPOINTS.listRecords, async ({ req, params: { datasetId }, query }) => {
  await getDataset(db(), datasetId); // an unknown dataset is a 404, not an empty page
  // As in the grid (app/datasets/[id]/records/data): once a dataset has assignments, an
  // annotator reads their queue, not every record.
  const caller = await withRequestHeaders(req.headers, () => currentCaller({ datasetId }));
  if (limitsOf(caller).annotator && (await hasAssignments(db(), datasetId))) throw forbidden("This dataset's records are assigned: your queue lists the ones you review.");
  const filter = query.filter ?? {};
  const sort = query.sort ?? DEFAULT_SORT;
  const [total, records] = await Promise.all([countRecords(db(), datasetId, filter), recordPage(db(), datasetId, { filter, sort, offset: query.offset, limit: query.limit })]);
  // Costs are the editor's and owner's (issue 17: annotators see no costs).
  const shown = allows(caller.role, "editor") ? records : records.map(({ costUsd: _cost, ...r }) => r);
  return ok({ total, offset: query.offset, records: shown }, { headers: { "cache-control": "no-store" } });
});
