import { NoAccess } from "@/components/auth/no-access";
import { refusedPage } from "@/lib/auth/server/page";
import { RunsPanel } from "@/components/runs/runs-panel";
import { db } from "@/lib/db/server/prisma";
import { seedTableInfo, validateBlueprint } from "@/lib/blueprints/validate";
import { listConnections } from "@/lib/providers/server/connections";
import { presetById } from "@/lib/providers/presets";
import { randomRunSeed } from "@/lib/runs/schemas";
import { loadDataset } from "../load-dataset";

export const dynamic = "force-dynamic";

export default async function DatasetRunsPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  const refused = await refusedPage({ role: "editor", project: () => ({ datasetId }) }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const dataset = await loadDataset(datasetId);
  const issues = validateBlueprint(dataset.draft, { seedTables: seedTableInfo(dataset.seedTables) });
  const connections = await listConnections(db());
  return (
    <RunsPanel
      datasetId={dataset.id}
      blueprint={dataset.draft}
      initialSeed={randomRunSeed()}
      errorCount={issues.filter((i) => i.severity === "error").length}
      connections={connections.map((c) => ({ id: c.id, name: c.name, defaultModel: c.defaultModel, maxConcurrency: c.maxConcurrency, batch: presetById(c.preset).batch === true }))}
    />
  );
}
