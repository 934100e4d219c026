import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DatasetTabs } from "@/components/datasets/dataset-tabs";
import { DatasetTitle } from "@/components/datasets/dataset-title";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";

export default async function DatasetLayout({ params, children }: { params: Promise<{ datasetId: string }>; children: ReactNode }) {
  const { datasetId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(datasetId)) notFound();
  const dataset = await db().dataset.findUnique({ where: { id: datasetId }, include: { project: { select: { id: true, name: true } } } });
  if (!dataset) notFound();
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
