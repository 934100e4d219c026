import "server-only";
// A record's earlier outputs (RecordVersion): listed in the detail panel's history, and put
// back with one click. A restore is itself versioned (kind "restore", by the reviewer), so
// the values it replaced are one more click away: restoring is never a loss.
import type { Db } from "@/lib/db/server/prisma";
import { invalid, notFound } from "@/lib/errors/domain-error";
import { readBlueprint } from "@/lib/blueprints/stored";
import { Prisma } from "@/lib/generated/prisma/client";
import { reviewedFields } from "@/lib/blueprints/dependents";
import { checkTallyDelta, REGEN_TALLY_RETURNING, tallyUpsert } from "@/lib/quality/health/server/tally-sql";
import type { RestoreVersionInput } from "../schemas";
import { staleWrite } from "./decisions";
import { recordRow } from "./records";
import type { Actor } from "@/lib/audit/events";
import { auditInsertSql } from "@/lib/audit/server/audit";

export type RecordVersionView = {
  id: string;
  kind: "regenerate" | "restore";
  runId: string | null;
  by: string | null;
  createdAt: string;
  /** Field -> the value it had before this change. Empty: the regeneration changed nothing. */
  values: Record<string, unknown>;
  sources: Record<string, { model?: string | null; promptHash?: string | null }>;
  reviewState: string;
  error: string | null;
};

/** Newest first. */
export async function listVersions(db: Db, recordId: string): Promise<RecordVersionView[]> {
  const rows = await db.recordVersion.findMany({ where: { recordId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100 });
  return rows.map((v) => ({
    id: v.id,
    kind: v.kind === "restore" ? "restore" : "regenerate",
    runId: v.runId,
    by: v.by,
    createdAt: v.createdAt.toISOString(),
    values: v.values as Record<string, unknown>,
    sources: v.sources as RecordVersionView["sources"],
    reviewState: v.reviewState,
    error: v.error,
  }));
}

/**
 * Puts the version's values back (with their edits, provenance and checks) if the record
 * is still at the revision its author saw. The values it replaces become a new version;
 * review resets, as after a regeneration, only when a reviewed field's value changes.
 */
export async function restoreVersion(db: Db, input: RestoreVersionInput, actor?: Actor) {
  const version = await db.recordVersion.findFirst({ where: { id: input.versionId, recordId: input.recordId }, include: { record: { select: { datasetId: true } } } });
  if (!version) throw notFound("That version of the record");
  if (Object.keys(version.values as object).length === 0) throw invalid("This regeneration changed nothing, so there is nothing to restore.");
  const dataset = await db.dataset.findUniqueOrThrow({ where: { id: version.record.datasetId }, select: { draft: true } });
  const reviewed = reviewedFields(readBlueprint(dataset.draft, "this dataset's draft"));
  const [res] = await db.$queryRaw<{ changed: boolean; updated: boolean; reset: boolean; revision: number | null }[]>`
    with v as (select * from "RecordVersion" where id = ${input.versionId}::uuid),
    cur as (
      select r.id, r."reviewState", r.checks, r.revision,
        (select coalesce(jsonb_object_agg(k, r.values->k), '{}') from jsonb_object_keys(v.values) k where r.values->k is distinct from v.values->k) as old,
        (select coalesce(jsonb_object_agg(k, r.edits->k), '{}') from jsonb_object_keys(v.values) k where r.edits ? k) as "oldEdits",
        (select coalesce(jsonb_object_agg(k, r.provenance->'llm'->k), '{}') from jsonb_object_keys(v.values) k where r.provenance->'llm' ? k) as "oldLlm",
        (select coalesce(jsonb_object_agg(k, jsonb_build_object('model', r.provenance->'llm'->k->>'model', 'promptHash', left(md5((r.provenance->'llm'->k->'messages')::text), 12))), '{}')
           from jsonb_object_keys(v.values) k where r.provenance->'llm' ? k) as sources
      from "Record" r, v where r.id = ${input.recordId}::uuid and r.revision = ${input.revision}
    ), ver as (
      insert into "RecordVersion" (id, "recordId", "runId", kind, values, edits, sources, llm, checks, "reviewState", by, "createdAt")
      select gen_random_uuid(), cur.id, null, 'restore', cur.old, cur."oldEdits", cur.sources, cur."oldLlm", cur.checks, cur."reviewState", ${input.reviewer}, now()
      from cur where cur.old <> '{}'
      returning id
    ), upd as (
      update "Record" r set
        values = r.values || v.values,
        edits = (r.edits - array(select jsonb_object_keys(v.values))) || v.edits,
        provenance = jsonb_set(r.provenance, '{llm}', coalesce(r.provenance->'llm', '{}') || v.llm),
        checks = v.checks,
        rejected = coalesce((select bool_or(e.value->>'pass' = 'false' and e.value->>'mode' = 'reject') from jsonb_each(case when jsonb_typeof(v.checks) = 'object' then v.checks end) e), false),
        "reviewState" = case when cur.old ?| ${reviewed}::text[] then 'unreviewed' else r."reviewState" end,
        "reviewedBy" = case when cur.old ?| ${reviewed}::text[] then null else r."reviewedBy" end,
        "reviewedAt" = case when cur.old ?| ${reviewed}::text[] then null else r."reviewedAt" end,
        revision = r.revision + 1, "updatedAt" = now()
      from v, cur where r.id = cur.id and cur.old <> '{}' and exists (select 1 from ver)
      returning r.id, r.index, r.revision, new."reviewState" is distinct from old."reviewState" as reset, ${Prisma.raw(REGEN_TALLY_RETURNING)}, old.checks as "oldChecks", new.checks as "newChecks"
    ), tally as (${Prisma.raw(tallyUpsert("upd"))}
    ), "checkTally" as (${Prisma.raw(checkTallyDelta("upd"))}
    ), audit as (${auditInsertSql(
      actor ?? { userId: null, name: input.reviewer },
      { action: "review.restore", datasetId: version.record.datasetId, detail: { recordId: input.recordId, versionId: input.versionId } },
      { source: Prisma.sql`upd`, target: Prisma.sql`'record #' || (upd.index + 1)` },
    )}
    )
    select exists (select 1 from cur) as changed, exists (select 1 from upd) as updated,
      coalesce((select reset from upd), false) as reset, (select revision from upd) as revision`;
  if (!res.changed) throw await staleWrite(db, input.recordId);
  if (!res.updated) throw invalid("The record already has these values.");
  return { revision: res.revision!, reviewReset: res.reset, row: await recordRow(db, input.recordId) };
}
