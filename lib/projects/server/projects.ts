import "server-only";
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { dropValueIndexes } from "@/lib/records/server/value-indexes";

export async function listProjects(db: Db) {
  const projects = await db.project.findMany({
    orderBy: { updatedAt: "desc" },
    include: { _count: { select: { datasets: true } } },
  });
  return projects.map((p) => ({ id: p.id, name: p.name, description: p.description, updatedAt: p.updatedAt, datasetCount: p._count.datasets }));
}

export async function getProject(db: Db, id: string) {
  const project = await db.project.findUnique({ where: { id } });
  if (!project) throw notFound("The project");
  return project;
}

export async function createProject(db: Db, input: { name: string; description?: string }) {
  return db.project.create({ data: { name: input.name, description: input.description ?? "" } });
}

export async function renameProject(db: Db, id: string, name: string) {
  const { count } = await db.project.updateMany({ where: { id }, data: { name } });
  if (count === 0) throw notFound("The project");
}

/** Deletes the project and, by cascade, its datasets, versions, seed tables, runs and records. */
export async function deleteProject(db: Db, id: string) {
  const datasets = await db.dataset.findMany({ where: { projectId: id }, select: { id: true } });
  const { count } = await db.project.deleteMany({ where: { id } });
  if (count === 0) throw notFound("The project");
  await dropValueIndexes(db, datasets.map((d) => d.id));
}
