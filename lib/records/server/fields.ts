import "server-only";
// The dataset's fields, as every page that lists them offers them (the review grid's
// columns, the export's field choices, and later quality and judges): the draft
// blueprint's fields in its order, then any other key the latest records' values have
// (imports and older blueprint versions add some), sorted.
//
// A draft field no recent record has is left out once there are records: it was added
// after the last run (or never generated), so its column would be empty on every row
// and an export of it a column of nulls. Before any record exists the draft's fields are
// all there is to show. (Export used to list every draft field regardless; review left
// them out. One rule: what the data has, in the blueprint's order.)
import type { Blueprint } from "@/lib/blueprints/schema";
import { readBlueprint } from "@/lib/blueprints/stored";
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";

/** How many of the newest records show which keys records really have. */
export const RECENT_RECORDS = 200;

/**
 * The dataset's field names. `draft`: the draft already read by the caller (it reads the
 * dataset row for other columns anyway), so it is not read twice.
 */
export async function datasetFields(db: Db, datasetId: string, draft?: Blueprint): Promise<string[]> {
  const [blueprint, keys] = await Promise.all([
    draft ?? readDraft(db, datasetId),
    db.$queryRaw<{ k: string }[]>`
      select distinct k from (select values from "Record" where "datasetId" = ${datasetId}::uuid
        order by "createdAt" desc limit ${RECENT_RECORDS}) r, jsonb_object_keys(r.values) k`,
  ]);
  // Validators check other fields; they hold no value of their own, so no column.
  const draftNames = blueprint.fields.flatMap((f) => (f.kind === "validator" || !f.name ? [] : [f.name]));
  const seen = new Set(keys.map((k) => k.k));
  return [...new Set([...draftNames.filter((n) => seen.has(n) || seen.size === 0), ...[...seen].filter((k) => !draftNames.includes(k)).sort()])];
}

async function readDraft(db: Db, datasetId: string): Promise<Blueprint> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { draft: true } });
  if (!dataset) throw notFound("The dataset");
  return readBlueprint(dataset.draft, "this dataset's draft");
}
