import "server-only";
// "Keep one per cluster": in every duplicate cluster of the dataset's latest detection, one
// record is kept and the others are rejected, in one review action that undo takes back
// (lib/review/server/decisions.ts). The kept record itself is left as it is.
import type { Db } from "@/lib/db/server/prisma";
import { literal } from "@/lib/db/server/sql-literal";
import { invalid, notFound } from "@/lib/errors/domain-error";
import { Prisma } from "@/lib/generated/prisma/client";
import { readLabelSchema } from "@/lib/review/labels";
import { bulkRejectWhere } from "@/lib/review/server/decisions";
import type { BulkResult } from "@/lib/review/types";
import type { KeepOnePolicy } from "../schemas";
import type { Actor } from "@/lib/audit/events";

export async function keepOnePerCluster(
  db: Db,
  input: { datasetId: string; reviewer: string; policy: KeepOnePolicy; label?: string },
  actor?: Actor,
): Promise<BulkResult> {
  const [ds, st] = await Promise.all([
    db.dataset.findUnique({ where: { id: input.datasetId }, select: { labelSchema: true } }),
    db.dedupeState.findUnique({ where: { datasetId: input.datasetId }, select: { fields: true } }),
  ]);
  if (!ds) throw notFound("The dataset");
  if (!st) throw invalid("Run duplicate detection on this dataset first: there are no duplicate clusters yet.");
  let order: Prisma.Sql;
  if (input.policy === "first") order = Prisma.sql`r.index`;
  else if (input.policy === "longest") {
    // The compared fields' text, as detection saw it.
    const len = st.fields.map((f) => `coalesce(length(r.values->>${literal(f)}), 0)`).join(" + ");
    order = Prisma.sql`${Prisma.raw(len)} desc, r.index`;
  } else {
    const rating = readLabelSchema(ds.labelSchema).labels.find((l) => l.name === input.label && l.kind === "rating");
    if (!rating) throw invalid(input.label ? `"${input.label}" is not a rating label of this dataset: pick a rating label to keep the best-rated record.` : "Pick the rating label that says which record is best.");
    // Accepted records first, then the highest rating, then the first record.
    order = Prisma.sql`(r."reviewState" = 'accepted') desc, (r.labels->>${rating.name})::numeric desc nulls last, r.index`;
  }
  return bulkRejectWhere(
    db,
    { datasetId: input.datasetId, reviewer: input.reviewer, detail: { keepOne: input.policy, ...(input.label ? { label: input.label } : {}) }, actor },
    Prisma.sql`r.id in (
      select id from (
        select r.id, row_number() over (partition by s."clusterId" order by ${order}) as rank
        from "RecordSignature" s join "Record" r on r.id = s."recordId"
        where s."datasetId" = ${input.datasetId}::uuid and s."clusterId" is not null
      ) ranked where rank > 1)`,
  );
}
