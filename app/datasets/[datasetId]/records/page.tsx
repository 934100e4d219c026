import { ReviewPage } from "@/components/review/review-page";
import { db } from "@/lib/db/server/prisma";
import { DEFAULT_SORT, PAGE_SIZE } from "@/lib/review/schemas";
import { countRecords, recordPage, reviewSetup, reviewStats } from "@/lib/review/server/records";

export const dynamic = "force-dynamic";

export default async function DatasetRecordsPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  // The first page is rendered on the server, so rows are on screen with the first paint.
  const [setup, rows, total, stats] = await Promise.all([
    reviewSetup(db(), datasetId),
    recordPage(db(), datasetId, { filter: {}, sort: DEFAULT_SORT, offset: 0, limit: PAGE_SIZE }),
    countRecords(db(), datasetId, {}),
    reviewStats(db(), datasetId),
  ]);
  return <ReviewPage datasetId={datasetId} fields={setup.fields} runs={setup.runs} labelSchema={setup.labelSchema} initial={{ rows, total, stats }} />;
}
