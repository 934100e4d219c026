import "server-only";
import { renderGuidelines } from "@/lib/guidelines/render";
import crypto from "node:crypto";
import type { Blueprint } from "@/lib/blueprints/schema";
import { readBlueprint, storedFieldNames } from "@/lib/blueprints/stored";
import { STARTERS } from "@/lib/blueprints/starters";
import { canonicalJson } from "@/lib/json/canonical";
import type { Db } from "@/lib/db/server/prisma";
import { blueprintTooLarge } from "@/lib/blueprints/limits";
import { conflict, DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { dropValueIndexes } from "@/lib/records/server/value-indexes";

export async function listDatasets(db: Db, projectId: string) {
  const rows = await db.dataset.findMany({
    where: { projectId },
    orderBy: { updatedAt: "desc" },
    select: {
      id: true,
      name: true,
      description: true,
      draft: true,
      updatedAt: true,
      _count: { select: { records: true, runs: true } },
      // Deleting the dataset stops these: its confirmation says so.
      runs: { where: { status: { in: ["queued", "running", "paused"] } }, select: { id: true } },
    },
  });
  return rows.map((d) => ({
    id: d.id,
    name: d.name,
    description: d.description,
    fieldCount: storedFieldNames(d.draft).length,
    recordCount: d._count.records,
    runCount: d._count.runs,
    activeRuns: d.runs.length,
    updatedAt: d.updatedAt,
  }));
}

export async function createDataset(db: Db, input: { projectId: string; name: string; starter?: string }) {
  const project = await db.project.findUnique({ where: { id: input.projectId }, select: { id: true } });
  if (!project) throw notFound("The project");
  let draft: Blueprint = { fields: [] };
  let description = "";
  const starter = input.starter ? STARTERS.find((s) => s.id === input.starter) : undefined;
  if (input.starter && !starter) throw invalid(`There is no starter called "${input.starter}".`);
  // A recipe's own table (real rows to augment) is created with the dataset, in the same
  // statement: its id is chosen here so the blueprint's seed fields can point at it.
  const seedTableId = crypto.randomUUID();
  if (starter) {
    draft = starter.build({ seedTableId });
    description = starter.description;
  }
  const table = starter?.table;
  const dataset = await db.dataset.create({
    data: {
      projectId: input.projectId,
      name: input.name,
      description,
      draft: draft as unknown as Prisma.InputJsonValue,
      ...(table && {
        seedTables: {
          create: {
            id: seedTableId,
            name: table.name,
            format: "jsonl",
            columns: table.columns,
            rowCount: table.rows.length,
            byteSize: table.rows.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)) + 1, 0),
            rows: { create: table.rows.map((data, index) => ({ index, data })) },
          },
        },
      }),
    },
  });
  await db.project.update({ where: { id: input.projectId }, data: { updatedAt: new Date() } });
  return dataset;
}

export async function getDataset(db: Db, id: string) {
  const dataset = await db.dataset.findUnique({
    where: { id },
    include: {
      project: { select: { id: true, name: true } },
      seedTables: { where: { complete: true }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, format: true, columns: true, rowCount: true, byteSize: true, createdAt: true } },
    },
  });
  if (!dataset) throw notFound("The dataset");
  return { ...dataset, draft: readBlueprint(dataset.draft, "this dataset's draft") };
}

export async function renameDataset(db: Db, id: string, name: string) {
  const { count } = await db.dataset.updateMany({ where: { id }, data: { name } });
  if (count === 0) throw notFound("The dataset");
}

/** Saves a dataset's review guidelines (Markdown, shown beside the record in review). */
export async function saveGuidelines(db: Db, id: string, guidelines: string) {
  const { count } = await db.dataset.updateMany({ where: { id }, data: { guidelines } });
  if (count === 0) throw notFound("The dataset");
}

/** The guidelines as written and as HTML safe to show (raw HTML escaped, lib/guidelines). */
export async function datasetGuidelines(db: Db, id: string) {
  const row = await db.dataset.findUnique({ where: { id }, select: { guidelines: true } });
  if (!row) throw notFound("The dataset");
  return { markdown: row.guidelines, html: renderGuidelines(row.guidelines) };
}

export async function deleteDataset(db: Db, id: string) {
  const { count } = await db.dataset.deleteMany({ where: { id } });
  if (count === 0) throw notFound("The dataset");
  await dropValueIndexes(db, [id]);
}

/**
 * Saves the draft whatever its validation state (a half-written blueprint must never be
 * lost), guarded by the revision so two tabs cannot silently overwrite each other.
 */
export async function saveDraft(db: Db, id: string, blueprint: Blueprint, baseRevision: number) {
  const tooLarge = blueprintTooLarge(blueprint);
  if (tooLarge) throw new DomainError("too_large", tooLarge);
  const { count } = await db.dataset.updateMany({
    where: { id, draftRevision: baseRevision },
    data: { draft: blueprint as unknown as Prisma.InputJsonValue, draftRevision: { increment: 1 } },
  });
  if (count === 0) {
    const exists = await db.dataset.findUnique({ where: { id }, select: { draftRevision: true } });
    if (!exists) throw notFound("The dataset");
    throw conflict(
      "This blueprint was changed in another tab or by someone else since you opened it. Reload to see the latest version; your unsaved edits are still in this page.",
    );
  }
  return { revision: baseRevision + 1 };
}

/** Hashed as canonical JSON (sorted keys): equal blueprints hash equally whatever the key order. */
export function blueprintHash(blueprint: Blueprint): string {
  return crypto.createHash("sha256").update(canonicalJson(blueprint)).digest("hex");
}

/**
 * Freezes the blueprint as an immutable version for a run. An unchanged blueprint reuses
 * its latest version, so repeated launches do not multiply versions.
 */
export async function freezeVersion(db: Db, datasetId: string, blueprint: Blueprint) {
  const hash = blueprintHash(blueprint);
  return db.$transaction(async (tx) => {
    // Serialise concurrent launches of one dataset so version numbers stay unique and dense.
    await tx.$queryRaw`select id from "Dataset" where id = ${datasetId}::uuid for update`;
    const latest = await tx.blueprintVersion.findFirst({ where: { datasetId }, orderBy: { version: "desc" } });
    if (latest?.hash === hash) return latest;
    return tx.blueprintVersion.create({
      data: { datasetId, version: (latest?.version ?? 0) + 1, blueprint: blueprint as unknown as Prisma.InputJsonValue, hash },
    });
  });
}
