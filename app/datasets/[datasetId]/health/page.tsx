import { HealthView } from "@/components/health/health-view";
import { db } from "@/lib/db/server/prisma";
import { datasetHealth } from "@/lib/quality/health/server/health";
import { loadDataset } from "../load-dataset";

export const dynamic = "force-dynamic";

export default async function DatasetHealthPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  await loadDataset(datasetId); // a malformed or unknown id is the 404 page
  return <HealthView datasetId={datasetId} health={await datasetHealth(db(), datasetId)} />;
}
