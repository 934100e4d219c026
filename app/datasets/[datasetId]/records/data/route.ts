// The review grid's reads, as GET so pages load in parallel while writes (server actions,
// which Next runs one at a time) are in flight. `?q=` is JSON validated by ReviewRead.
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { DatasetParams, encodedParam, ok, route } from "@/lib/http/route";
import { criterionAgreement } from "@/lib/quality/server/agreement";
import { ReviewRead } from "@/lib/review/schemas";
import { listActions } from "@/lib/review/server/decisions";
import { clusterView, countRecords, keepOnePreview, recordDetail, recordPage, recordRow, recordValue, reviewStats } from "@/lib/review/server/records";

export const GET = route(
  { access: { role: "annotator", project: ({ params }) => ({ datasetId: params.datasetId }) }, params: DatasetParams, query: z.object({ q: encodedParam(ReviewRead, "The grid's request in the address is not readable.") }) },
  async ({ params: { datasetId }, query: { q } }) => {
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
