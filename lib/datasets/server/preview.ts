import "server-only";
import { renderPreviewOffThread } from "@/lib/blueprints/server/preview-pool";
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { loadSeedRows, seedTableRowCounts } from "@/lib/seed-tables/server/seed-tables";

/**
 * Renders `count` records of an unsaved blueprint: samplers, expressions and every LLM
 * field's messages, no model call. Only seed-table rows come from the database; the
 * rendering runs in a worker thread with a time budget (preview-pool.ts), so a template
 * that loops for seconds never holds up the studio's other requests.
 */
export async function previewBlueprint(db: Db, datasetId: string, blueprint: Blueprint, seed: number, count: number, opts: { key?: string } = {}) {
  if (!(await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } }))) throw notFound("The dataset");
  const indices = Array.from({ length: count }, (_, i) => i);
  const seedRows = await loadSeedRows(db, blueprint, seed, indices, await seedTableRowCounts(db, datasetId));
  return renderPreviewOffThread({ blueprint, seed, count, rows: indices.map((i) => seedRows(i)), key: opts.key });
}
