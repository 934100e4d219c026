import "server-only";
// What the Health tab's Duplicates section shows: the pass's state (for the progress bar),
// the fields a user may compare, and the charts. Cheap at any size: the charts come from
// DuplicateCluster grouped by size (a few rows), the denominator from the signatures' count.
import { readBlueprint } from "@/lib/blueprints/stored";
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { datasetFields } from "@/lib/records/server/fields";
import { duplicateRate, sizeBuckets, type ClusterSizeRow, type DuplicateRate, type SizeBucket } from "../duplicate-chart";
import { dedupeStatus, type DedupeStatus } from "./dedupe";

/** Sampler kinds hold a drawn value (a category, a number), not text worth comparing. */
const SAMPLER_KINDS = new Set(["category", "subset", "number", "seed"]);

export type DuplicatesOverview = {
  status: DedupeStatus;
  /** Fields that hold text (blueprint text fields and imported columns), in the grid's order. */
  textFields: string[];
  /** Ticked before the user picks: the last pass's fields, else the LLM text fields, else all. */
  defaultFields: string[];
  /** Null before any completed pass (the empty state). */
  rate: DuplicateRate | null;
  sizes: SizeBucket[];
  /** Records flagged by the latest contamination check (0 also when none was run). */
  contaminated: number;
};

export async function duplicatesOverview(db: Db, datasetId: string): Promise<DuplicatesOverview> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { draft: true } });
  if (!dataset) throw notFound("The dataset");
  const draft = readBlueprint(dataset.draft, "this dataset's draft");
  const [status, fields, rows, [{ checked }], contaminated] = await Promise.all([
    dedupeStatus(db, datasetId),
    datasetFields(db, datasetId, draft),
    db.$queryRaw<ClusterSizeRow[]>`
      select size, exact, count(*)::int as clusters from "DuplicateCluster"
      where "datasetId" = ${datasetId}::uuid group by size, exact order by size`,
    db.$queryRaw<{ checked: number }[]>`select count(*)::int as checked from "RecordSignature" where "datasetId" = ${datasetId}::uuid`,
    db.contaminationMatch.count({ where: { datasetId } }),
  ]);
  const samplers = new Set(draft.fields.flatMap((f) => (SAMPLER_KINDS.has(f.kind) ? [f.name] : [])));
  const textFields = fields.filter((f) => !samplers.has(f));
  const llmText = draft.fields.flatMap((f) => (f.kind === "llm" && f.output.type === "text" && textFields.includes(f.name) ? [f.name] : []));
  const previous = status.fields.filter((f) => textFields.includes(f));
  // A pass that never completed has no result to chart, even if an older one left clusters.
  const done = checked > 0 && (status.status === "completed" || rows.length > 0);
  return {
    status,
    textFields,
    defaultFields: previous.length ? previous : llmText.length ? llmText : textFields,
    rate: done ? duplicateRate(rows, checked) : null,
    sizes: done ? sizeBuckets(rows) : [],
    contaminated,
  };
}
