import Link from "next/link";
import { notFound } from "next/navigation";
import { BlueprintEditor } from "@/components/blueprints/blueprint-editor";
import { DatasetTitle } from "@/components/datasets/dataset-title";
import { getDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { DomainError } from "@/lib/errors/domain-error";

export const dynamic = "force-dynamic";

export default async function DatasetPage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(datasetId)) notFound();
  const dataset = await getDataset(db(), datasetId).catch((e) => {
    if (e instanceof DomainError && e.code === "not_found") notFound();
    throw e;
  });
  return (
    <div>
      <nav className="mb-2 text-sm text-stone-500">
        <Link href="/" className="hover:underline">Projects</Link> /{" "}
        <Link href={`/projects/${dataset.project.id}`} className="hover:underline">{dataset.project.name}</Link> /{" "}
        <span className="text-stone-700">{dataset.name}</span>
      </nav>
      <DatasetTitle id={dataset.id} name={dataset.name} description={dataset.description} />
      <BlueprintEditor
        // Remount when the saved revision changes under us (after a reload).
        key={dataset.draftRevision}
        datasetId={dataset.id}
        initial={dataset.draft}
        initialRevision={dataset.draftRevision}
        previewSeed={dataset.previewSeed}
        seedTables={dataset.seedTables.map((t) => ({ id: t.id, name: t.name, columns: t.columns, rowCount: t.rowCount }))}
      />
    </div>
  );
}
