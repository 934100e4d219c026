import Link from "next/link";
import type { ReactNode } from "react";
import { DatasetTabs } from "@/components/datasets/dataset-tabs";
import { DatasetTitle } from "@/components/datasets/dataset-title";
import { loadDataset } from "./load-dataset";

export const dynamic = "force-dynamic";

export default async function DatasetLayout({ params, children }: { params: Promise<{ datasetId: string }>; children: ReactNode }) {
  const { datasetId } = await params;
  const dataset = await loadDataset(datasetId);
  return (
    <div>
      <nav className="mb-2 text-sm text-stone-500">
        <Link href="/" className="hover:underline">Projects</Link> /{" "}
        <Link href={`/projects/${dataset.project.id}`} className="hover:underline">{dataset.project.name}</Link> /{" "}
        <span className="text-stone-700">{dataset.name}</span>
      </nav>
      <DatasetTitle id={dataset.id} name={dataset.name} description={dataset.description} />
      <DatasetTabs datasetId={dataset.id} />
      {children}
    </div>
  );
}
