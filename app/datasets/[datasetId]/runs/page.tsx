import { RunsPanel } from "@/components/runs/runs-panel";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { hasErrors, validateBlueprint } from "@/lib/blueprints/validate";
import { listConnections } from "@/lib/providers/server/connections";

export const dynamic = "force-dynamic";

export default async function DatasetRunsPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  const dataset = await getDataset(db(), datasetId);
  const tables = Object.fromEntries(dataset.seedTables.map((t) => [t.id, { name: t.name, columns: t.columns, rowCount: t.rowCount }]));
  const issues = validateBlueprint(dataset.draft, { seedTables: tables });
  const connections = await listConnections(db());
  return (
    <RunsPanel
      datasetId={dataset.id}
      blueprint={dataset.draft}
      seed={dataset.previewSeed}
      errorCount={hasErrors(issues) ? issues.filter((i) => i.severity === "error").length : 0}
      connections={connections.map((c) => ({ id: c.id, name: c.name, defaultModel: c.defaultModel, maxConcurrency: c.maxConcurrency }))}
    />
  );
}
