// HTTP API v1: page through records with the grid's filters and sorts. A script follows
// `next` (lib/review/page-cursor.ts); only a request without a cursor counts the matches,
// since counting a filter reads every matching record (~0.3-1.4 s for 7,500 of 100,000)
// and a walk through all pages would pay it on each one.
import { ENDPOINTS } from "@/lib/api/endpoints";
import { apiRoute } from "@/lib/api/server/route";
import { currentCaller, forbidden } from "@/lib/auth/server/access";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { allows } from "@/lib/auth/roles";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { ok } from "@/lib/http/route";
import { decodePageCursor, encodePageCursor, keysetSort, sortTag } from "@/lib/review/page-cursor";
import { DEFAULT_SORT } from "@/lib/review/schemas";
import { countRecords, keyedRecordPage } from "@/lib/review/server/records";
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
  const cursor = query.cursor ? decodePageCursor(query.cursor, sort) : null;
  const after = cursor && "after" in cursor ? cursor.after : undefined;
  const offset = cursor ? ("offset" in cursor ? cursor.offset : 0) : query.offset;
  const [total, page] = await Promise.all([
    cursor ? null : countRecords(db(), datasetId, filter),
    keyedRecordPage(db(), datasetId, { filter, sort, offset, limit: query.limit }, after),
  ]);
  const more = page.rows.length === query.limit;
  const next = !more ? null : keysetSort(sort) ? encodePageCursor({ sort: sortTag(sort), after: page.last! }) : encodePageCursor({ sort: sortTag(sort), offset: offset + query.limit });
  // Costs are the editor's and owner's (issue 17: annotators see no costs).
  const records = allows(caller.role, "editor") ? page.rows : page.rows.map(({ costUsd: _cost, ...r }) => r);
  return ok({ total, offset: cursor ? null : offset, records, next }, { headers: { "cache-control": "no-store" } });
});
