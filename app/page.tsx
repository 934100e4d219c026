import { ProjectList } from "@/components/projects/project-list";
import { db } from "@/lib/db/server/prisma";
import { listProjects } from "@/lib/projects/server/projects";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const projects = await listProjects(db());
  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="mb-1 text-2xl font-semibold tracking-tight">Projects</h1>
      <p className="mb-6 text-sm text-stone-500">Design synthetic datasets, preview their prompts, then generate, review and export.</p>
      <ProjectList projects={projects.map((p) => ({ ...p, updatedAt: p.updatedAt.toISOString() }))} />
    </div>
  );
}
