import Link from "next/link";
import { notFound } from "next/navigation";
import { DatasetList } from "@/components/datasets/dataset-list";
import { STARTERS } from "@/lib/blueprints/starters";
import { listDatasets } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  if (!/^[0-9a-f-]{36}$/i.test(projectId)) notFound();
  const project = await db().project.findUnique({ where: { id: projectId } });
  if (!project) notFound();
  const datasets = await listDatasets(db(), projectId);
  return (
    <div className="mx-auto max-w-5xl">
      <nav className="mb-2 text-sm text-stone-500">
        <Link href="/" className="hover:underline">Projects</Link> / <span className="text-stone-700">{project.name}</span>
      </nav>
      <h1 className="mb-6 text-2xl font-semibold tracking-tight">{project.name}</h1>
      <DatasetList
        projectId={projectId}
        datasets={datasets.map((d) => ({ ...d, updatedAt: d.updatedAt.toISOString() }))}
        starters={STARTERS.map((s) => ({ id: s.id, title: s.title, description: s.description, method: s.method }))}
      />
    </div>
  );
}
