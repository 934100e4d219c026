import { notFound } from "next/navigation";
import { BlueprintEditor } from "@/components/blueprints/blueprint-editor";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";
import { listConnections } from "@/lib/providers/server/connections";

export const dynamic = "force-dynamic";

export default async function DatasetDesignPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  const dataset = await getDataset(db(), datasetId).catch((e) => {
    if (e instanceof DomainError && e.code === "not_found") notFound();
    throw e;
  });
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
