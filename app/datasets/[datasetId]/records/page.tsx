import { redirect } from "next/navigation";
import { ReviewPage } from "@/components/review/review-page";
import { currentCaller } from "@/lib/auth/server/access";
import { pageAllows } from "@/lib/auth/server/page";
import { hasAssignments } from "@/lib/review/server/team";
import { limitsOf } from "@/lib/review/server/team-caller";
import { db } from "@/lib/db/server/prisma";
import { filterFromParam } from "@/lib/records/filter";
import { DEFAULT_SORT, PAGE_SIZE } from "@/lib/review/schemas";
import { countRecords, recordPage, reviewSetup, reviewStats } from "@/lib/review/server/records";

export const dynamic = "force-dynamic";

export default async function DatasetRecordsPage({ params, searchParams }: { params: Promise<{ datasetId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { datasetId } = await params;
  // Once the dataset has assignments, an annotator reviews through their queue only (the
  // grid's reads refuse them too: app/datasets/[id]/records/data/route.ts).
  if (limitsOf(await currentCaller({ datasetId })).annotator && (await hasAssignments(db(), datasetId))) redirect(`/datasets/${datasetId}/queue`);
  // `?filter=` opens the grid filtered (a health chart's bar links here with what it shows).
  const filter = filterFromParam((await searchParams).filter) ?? {};
  // The first page is rendered on the server, so rows are on screen with the first paint.
  const [setup, rows, total, stats, canEdit] = await Promise.all([
    reviewSetup(db(), datasetId),
    recordPage(db(), datasetId, { filter, sort: DEFAULT_SORT, offset: 0, limit: PAGE_SIZE }),
    countRecords(db(), datasetId, filter),
    reviewStats(db(), datasetId),
    // Editor-only controls (restore, regenerate, bulk decisions, label schema) are hidden
    // from annotators, whom those actions refuse anyway.
    pageAllows({ role: "editor", project: () => ({ datasetId }) }, undefined),
  ]);
  return <ReviewPage datasetId={datasetId} fields={setup.fields} runs={setup.runs} labelSchema={setup.labelSchema} quality={setup.quality} initial={{ rows, total, stats }} initialFilter={filter} canEdit={canEdit} key={JSON.stringify(filter)} />;
}
