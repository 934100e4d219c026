import { BlueprintEditor } from "@/components/blueprints/blueprint-editor";
import { db } from "@/lib/db/server/prisma";
import { listConnections } from "@/lib/providers/server/connections";
import { loadDataset } from "./load-dataset";

export const dynamic = "force-dynamic";

export default async function DatasetDesignPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  const dataset = await loadDataset(datasetId);
  const connections = await listConnections(db());
  return (
    <BlueprintEditor
      // Remount when the saved revision changes under us (after a reload).
      key={dataset.draftRevision}
      datasetId={dataset.id}
      initial={dataset.draft}
      initialRevision={dataset.draftRevision}
      previewSeed={dataset.previewSeed}
      seedTables={dataset.seedTables.map((t) => ({ id: t.id, name: t.name, columns: t.columns, rowCount: t.rowCount }))}
      connections={connections.map((c) => ({ id: c.id, name: c.name, defaultModel: c.defaultModel }))}
    />
  );
}
