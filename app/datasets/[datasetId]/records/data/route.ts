// The review grid's reads, as GET so pages load in parallel while writes (server actions,
// which Next runs one at a time) are in flight. `?q=` is JSON validated by ReviewRead.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { DatasetParams, encodedParam, ok, route } from "@/lib/http/route";
import { criterionAgreement } from "@/lib/quality/server/agreement";
import { ReviewRead } from "@/lib/review/schemas";
import { listActions } from "@/lib/review/server/decisions";
import { currentCaller, forbidden } from "@/lib/auth/server/access";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { hasAssignments } from "@/lib/review/server/team";
import { limitsOf, mayReview } from "@/lib/review/server/team-caller";
import { clusterView, countRecords, keepOnePreview, recordDetail, recordPage, recordRow, recordValue, reviewStats } from "@/lib/review/server/records";

export const GET = route(
  { access: { role: "annotator", project: ({ params }) => ({ datasetId: params.datasetId }) }, params: DatasetParams, query: z.object({ q: encodedParam(ReviewRead, "The grid's request in the address is not readable.") }) },
  async ({ req, params: { datasetId }, query: { q } }) => {
    await holdToAssignments(req, datasetId, q);
    const data =
      q.kind === "page"
        ? await recordPage(db(), datasetId, q)
        : q.kind === "count"
          ? await countRecords(db(), datasetId, q.filter)
          : q.kind === "stats"
            ? await reviewStats(db(), datasetId)
            : q.kind === "row"
              ? await recordRow(db(), q.recordId)
              : q.kind === "record"
                ? await recordDetail(db(), q.recordId)
                : q.kind === "value"
                  ? await recordValue(db(), q.recordId, q.field)
                  : q.kind === "cluster"
                    ? await clusterView(db(), datasetId, q.clusterId, q.recordId)
                    : q.kind === "keep-one-preview"
                      ? await keepOnePreview(db(), datasetId)
                      : q.kind === "judge-agreement"
                        ? await criterionAgreement(db(), datasetId, q.judge, q.criterion, q.threshold)
                        : await listActions(db(), datasetId);
    return ok(data, { headers: { "cache-control": "no-store" } });
  },
);

// Once a dataset has assignments, an annotator reads only the records assigned to them: one
// record at a time (row, record, value) if it is theirs; the whole-dataset reads (pages,
// counts, clusters, history) not at all, since their queue (app/datasets/[id]/queue) lists
// their records. The progress figures (stats) are counts and stay open.
async function holdToAssignments(req: Request, datasetId: string, q: ReviewRead) {
  const caller = await withRequestHeaders(req.headers, () => currentCaller({ datasetId }));
  if (!limitsOf(caller).annotator || q.kind === "stats") return;
  if (q.kind === "row" || q.kind === "record" || q.kind === "value") {
    await mayReview(db(), q.recordId, caller);
    return;
  }
  if (await hasAssignments(db(), datasetId)) throw forbidden("This dataset's records are assigned: your queue lists the ones you review.");
}
