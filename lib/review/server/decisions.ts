import "server-only";
// Review writes. Every one is a single SQL statement that changes the records, logs a
// ReviewAction and snapshots what the records were before (ReviewSnapshot), so any action,
// on one record or on 100,000, can be undone.
//
// Concurrency: a single-record write carries the revision its author saw and only applies
// if the record still has it (then bumps it). Otherwise nothing is written and the author
// gets a conflict saying who changed it. Bulk writes need no revision: they take the
// current state of every matching record. Undo restores only records that still show what
// the action made of them (same decision by the same person at the same instant, same
// labels, same text), and reports the others as skipped. A content check, not a revision
// check, so undoing a, then b, on one record works: undoing b brings back what a made.
//
// Each statement also applies its change to the health tallies (TALLY_RETURNING and
// tallyUpsert, lib/quality/health/server/tally-sql.ts): "Record" has no UPDATE
// trigger.
import type { Db } from "@/lib/db/server/prisma";
import { createUuidV7 } from "@/lib/db/uuid-v7";
import { conflict, invalid, notFound } from "@/lib/errors/domain-error";
import { Prisma } from "@/lib/generated/prisma/client";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import { TALLY_RETURNING, tallyUpsert } from "@/lib/quality/health/server/tally-sql";
import { ensureLabelStatistics } from "@/lib/records/server/value-indexes";
import { labelProblem, readLabelSchema, valueProblem, type LabelSchema } from "../labels";
import type { BulkDecideInput, BulkLabelInput, BulkTarget, CommentInput, DecideInput, Decision, EditFieldInput, SetLabelsInput } from "../schemas";
import type { BulkResult, RecordRow, RowPatch, UndoResult } from "../types";
import type { z } from "zod";
import { recordRow } from "./records";
import { LOCAL_OWNER, type Actor, type AuditAction } from "@/lib/audit/events";
import { audit, auditInsertSql } from "@/lib/audit/server/audit";

const STATE: Record<Decision, "accepted" | "rejected" | "unreviewed"> = { accept: "accepted", reject: "rejected", reset: "unreviewed" };
// Action ids increase with time, even within a millisecond, where "createdAt" ties: the
// latest action (undo, history) is the greatest (createdAt, id).
const actionId = createUuidV7();
const PAST: Record<string, string> = { accept: "accepted", reject: "rejected", reset: "reset", label: "labelled", edit: "edited", undo: "undid a change to" };

/** Review columns for a decision: reset forgets who decided, since nobody has. */
function decisionSet(decision: Decision, reviewer: string) {
  return decision === "reset"
    ? Prisma.sql`"reviewState" = 'unreviewed', "reviewedBy" = null, "reviewedAt" = null`
    : Prisma.sql`"reviewState" = ${STATE[decision]}::"ReviewState", "reviewedBy" = ${reviewer}, "reviewedAt" = now()`;
}

type WriteRow = RowPatch & { datasetId: string; actionId: string; reviewedAt: Date | string | null };

/** Who a review write is by, for the audit trail: without a signed-in actor, the name the reviewer gave. */
const actorFor = (reviewer: string, actor?: Actor): Actor => actor ?? { userId: null, name: reviewer };

/** How a write is audited when not as itself: another action (an adjudication), or not at all (false). */
export type AuditAs = false | { action: AuditAction; detail: Record<string, unknown> };

const AUDIT_OF: Record<string, AuditAction> = { accept: "review.decide", reject: "review.decide", reset: "review.decide", label: "review.labels", edit: "review.edit" };

/**
 * Applies `set` to one record if its revision is still `revision`, logging the action and
 * the record's previous state (labels, values and edits only when `keep` says they change),
 * taken from the update's `returning old.*` as in writeMany.
 */
async function writeOne(
  db: Db,
  ref: { recordId: string; revision: number; reviewer: string },
  kind: string,
  detail: Record<string, unknown>,
  set: Prisma.Sql,
  keep: { labels?: boolean; values?: boolean } = {},
  actor?: Actor,
  as?: AuditAs,
): Promise<RowPatch> {
  // The audit event is one more CTE of the same statement (no extra round trip on the
  // per-keystroke path); it reads `upd`, so a stale write (no row) logs nothing.
  const auditDetail = kind === "edit" ? { field: detail.field, recordId: ref.recordId } : kind === "label" ? { labels: detail.labels, recordId: ref.recordId } : { decision: kind, recordId: ref.recordId };
  const event = as === undefined ? { action: AUDIT_OF[kind] ?? "review.decide", detail: auditDetail } : as && { action: as.action, detail: { ...auditDetail, ...as.detail } };
  const auditSql = auditInsertSql(actorFor(ref.reviewer, actor), event || { action: "review.decide" }, {
    // `false`: a write the system makes on someone's behalf, audited by its caller.
    source: event ? Prisma.sql`upd` : Prisma.sql`upd where false`,
    datasetId: Prisma.sql`upd."datasetId"`,
    target: Prisma.sql`'record #' || (upd.index + 1)`,
  });
  const rows = await db.$queryRaw<WriteRow[]>`
    with upd as (
      update "Record" r set ${set}, revision = r.revision + 1, "updatedAt" = now()
      where r.id = ${ref.recordId}::uuid and r.revision = ${ref.revision}
      returning r.id, r."datasetId", r."reviewState"::text as "reviewState", r.labels, r."reviewedBy", r."reviewedAt", r.revision,
        old."reviewState" as "prevState", old."reviewedBy" as "prevBy", old."reviewedAt" as "prevAt",
        old.labels as "prevLabels", old.values as "prevValues", old.edits as "prevEdits", r.index, ${Prisma.raw(TALLY_RETURNING)}
    ), tally as (${Prisma.raw(tallyUpsert("upd"))}
    ), audit as (${auditSql}
    ), act as (
      insert into "ReviewAction" (id, "datasetId", reviewer, kind, detail, count, "createdAt")
      select ${actionId()}::uuid, "datasetId", ${ref.reviewer}, ${kind}, ${JSON.stringify({ ...detail, recordId: ref.recordId })}::jsonb, 1, now()
      from upd returning id
    ), snap as (
      insert into "ReviewSnapshot" (id, "actionId", "reviewState", "reviewedBy", "reviewedAt", labels, values, edits, "recordIds")
      select gen_random_uuid(), act.id, upd."prevState", upd."prevBy", upd."prevAt",
        case when ${!!keep.labels} then upd."prevLabels" end,
        case when ${!!keep.values} then upd."prevValues" end,
        case when ${!!keep.values} then upd."prevEdits" end,
        array[upd.id]
      from upd, act
    )
    select upd.id, upd."datasetId", upd."reviewState", upd.labels, upd."reviewedBy", upd."reviewedAt", upd.revision, act.id as "actionId"
    from upd, act`;
  const row = rows[0];
  if (!row) throw await staleWrite(db, ref.recordId);
  return {
    id: row.id,
    reviewState: row.reviewState,
    labels: row.labels,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt ? new Date(row.reviewedAt).toISOString() : null,
    revision: row.revision,
  };
}

/** The error for a write whose revision was stale: who changed the record, if we know. */
export async function staleWrite(db: Db, recordId: string) {
  const current = await db.record.findUnique({ where: { id: recordId }, select: { datasetId: true, reviewState: true, reviewedBy: true } });
  if (!current) return notFound("The record");
  const [last] = await db.$queryRaw<{ reviewer: string; kind: string; undone: boolean }[]>`
    select reviewer, kind, "undoneAt" is not null as undone from "ReviewAction"
    where "datasetId" = ${current.datasetId}::uuid and detail->>'recordId' = ${recordId}
    order by coalesce("undoneAt", "createdAt") desc, id desc limit 1`;
  const who = last
    ? `${last.reviewer} ${last.undone ? "undid a change to" : PAST[last.kind] ?? "changed"} this record`
    : current.reviewedBy
      ? `${current.reviewedBy} ${current.reviewState === "unreviewed" ? "changed" : current.reviewState} this record`
      : "Someone changed this record";
  return conflict(`${who} after you loaded it, so your change was not saved. You now see the current version; make your change again if you still want it.`);
}

export function decide(db: Db, input: DecideInput, actor?: Actor, as?: AuditAs): Promise<RowPatch> {
  return writeOne(db, input, input.decision, {}, decisionSet(input.decision, input.reviewer), {}, actor, as);
}

async function labelSchemaOf(db: Db, where: { datasetId: string } | { recordId: string }): Promise<LabelSchema> {
  const ds =
    "datasetId" in where
      ? await db.dataset.findUnique({ where: { id: where.datasetId }, select: { labelSchema: true } })
      : (await db.record.findUnique({ where: { id: where.recordId }, select: { dataset: { select: { labelSchema: true } } } }))?.dataset;
  if (!ds) throw notFound("datasetId" in where ? "The dataset" : "The record");
  return readLabelSchema(ds.labelSchema);
}

/** Replaces the record's labels with `labels` (the client sends the whole set it wants). */
export async function setLabels(db: Db, input: SetLabelsInput, actor?: Actor, as?: AuditAs): Promise<RowPatch> {
  const problem = labelProblem(await labelSchemaOf(db, { recordId: input.recordId }), input.labels);
  if (problem) throw invalid(problem);
  return writeOne(db, input, "label", { labels: input.labels }, Prisma.sql`labels = ${JSON.stringify(input.labels)}::jsonb`, { labels: true }, actor, as);
}

/**
 * Sets one field's value. `values` keeps the current value (export reads it); `edits`
 * gains { from, to, by, at }, so the first `from` is always the original.
 */
export async function editField(db: Db, input: EditFieldInput, actor?: Actor): Promise<RecordRow> {
  const to = JSON.stringify(input.value);
  const existing = await db.$queryRaw<{ has: boolean; same: boolean }[]>`
    select values ? ${input.field} as has, values->${input.field} = ${to}::jsonb as same from "Record" where id = ${input.recordId}::uuid`;
  if (!existing[0]) throw notFound("The record");
  if (!existing[0].has) throw invalid(`This record has no field called "${input.field}".`);
  if (existing[0].same) return recordRow(db, input.recordId);
  await writeOne(
    db,
    input,
    "edit",
    { field: input.field, to: input.value },
    // nonTextFields stays a superset of the fields holding non-strings: an edit may add one,
    // and nothing removes one, so undoing an edit needs no change to it.
    Prisma.sql`values = jsonb_set(r.values, array[${input.field}], ${to}::jsonb),
      "nonTextFields" = case when jsonb_typeof(${to}::jsonb) = 'string' or ${input.field} = any(r."nonTextFields") is not false
        then r."nonTextFields" else array_append(r."nonTextFields", ${input.field}::text) end,
      edits = jsonb_set(r.edits, array[${input.field}], coalesce(r.edits->${input.field}, '[]'::jsonb) || jsonb_build_array(
        jsonb_build_object('from', r.values->${input.field}, 'to', ${to}::jsonb, 'by', ${input.reviewer}::text,
          'at', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))))`,
    { values: true },
    actor,
  );
  return recordRow(db, input.recordId);
}

export async function addComment(db: Db, input: z.infer<typeof CommentInput>) {
  const exists = await db.record.findUnique({ where: { id: input.recordId }, select: { id: true } });
  if (!exists) throw notFound("The record");
  const c = await db.recordComment.create({ data: { recordId: input.recordId, author: input.reviewer, body: input.body } });
  return { id: c.id, author: c.author, body: c.body, createdAt: c.createdAt.toISOString() };
}

/** A bulk target: ids, a filter, or (for other features' bulk actions) a condition on `r` computed in SQL. */
export type AnyTarget = BulkTarget | { where: Prisma.Sql };

export function targetSql(datasetId: string, target: AnyTarget): Prisma.Sql {
  if ("where" in target) return Prisma.sql`${recordFilterSql(datasetId, {})} and ${target.where}`;
  return "ids" in target
    ? Prisma.sql`${recordFilterSql(datasetId, {})} and r.id = any(${target.ids}::uuid[])`
    : recordFilterSql(datasetId, target.filter);
}

/**
 * One statement for any number of records: `upd` changes the matching records that would
 * change and returns their previous states (PostgreSQL 18's `returning old.x`), and the
 * snapshot groups those. A record another statement changes meanwhile is checked against
 * the filter again in its new version (READ COMMITTED), so the snapshot holds the state
 * this action replaced. Reading the records first into a CTE and joining it back cost
 * ~230 ms of a 100,000-record accept (~2.0 s with a checkpoint just before; auto_explain).
 * `labelsChange`: the action sets labels (bulk label), so the snapshot keeps them.
 */
async function writeMany(
  db: Db,
  a: { datasetId: string; target: AnyTarget; reviewer: string; kind: string; detail: Record<string, unknown>; actor?: Actor },
  labelsChange: boolean,
  set: Prisma.Sql,
  changes: Prisma.Sql,
): Promise<BulkResult> {
  const t = a.target;
  const targetDetail = "filter" in t ? { filter: t.filter } : "ids" in t ? { ids: t.ids.length } : {};
  const detail = JSON.stringify({ ...a.detail, ...targetDetail });
  // One event for the whole bulk action, with its count and filter, only if it changed something.
  const auditSql = auditInsertSql(
    actorFor(a.reviewer, a.actor),
    {
      action: a.kind === "label" ? "review.bulk-label" : "review.bulk-decide",
      datasetId: a.datasetId,
      detail: { ...(a.kind === "label" ? a.detail : { decision: a.kind, ...a.detail }), ...targetDetail },
    },
    { source: Prisma.sql`act`, detail: Prisma.sql`jsonb_build_object('count', act.count)` },
  );
  // A literal, not a parameter: the same expression must appear in the select and the group by.
  const keepLabels = Prisma.raw(labelsChange ? "true" : "false");
  const [res] = await db.$queryRaw<{ actionId: string | null; count: number }[]>`
    with upd as (
      update "Record" r set ${set}, revision = r.revision + 1, "updatedAt" = now()
      where ${targetSql(a.datasetId, a.target)} and ${changes}
      returning r.id, old."reviewState", old."reviewedBy", old."reviewedAt", old.labels, ${Prisma.raw(TALLY_RETURNING)}
    ), tally as (${Prisma.raw(tallyUpsert("upd"))}
    ), act as (
      insert into "ReviewAction" (id, "datasetId", reviewer, kind, detail, count, "createdAt")
      select ${actionId()}::uuid, ${a.datasetId}::uuid, ${a.reviewer}, ${a.kind}, ${detail}::jsonb, count(*), now()
      from upd having count(*) > 0
      returning id, count
    ), snap as (
      insert into "ReviewSnapshot" (id, "actionId", "reviewState", "reviewedBy", "reviewedAt", labels, "recordIds")
      select gen_random_uuid(), act.id, upd."reviewState", upd."reviewedBy", upd."reviewedAt",
        case when ${keepLabels} then upd.labels end, array_agg(upd.id)
      from upd, act
      group by act.id, upd."reviewState", upd."reviewedBy", upd."reviewedAt", case when ${keepLabels} then upd.labels end
    ), audit as (${auditSql}
    )
    select (select id from act) as "actionId", coalesce((select count from act), 0)::int as count`;
  return res;
}

export function bulkDecide(db: Db, input: BulkDecideInput, actor?: Actor): Promise<BulkResult> {
  const state = STATE[input.decision];
  return writeMany(
    db,
    { ...input, kind: input.decision, detail: {}, actor },
    false,
    decisionSet(input.decision, input.reviewer),
    Prisma.sql`r."reviewState" <> ${state}::"ReviewState"`,
  );
}

/**
 * Rejects every record `where` selects, as one "reject" action (undone like any other);
 * `detail` says why in the history, e.g. { keepOne: "longest" } for duplicate clusters.
 */
export function bulkRejectWhere(db: Db, a: { datasetId: string; reviewer: string; detail: Record<string, unknown>; actor?: Actor }, where: Prisma.Sql): Promise<BulkResult> {
  return writeMany(db, { ...a, target: { where }, kind: "reject" }, false, decisionSet("reject", a.reviewer), Prisma.sql`r."reviewState" <> 'rejected'`);
}

/** The labels after a bulk label action, computed from `base` (the record's labels, or a snapshot's). */
function bulkLabelsSql(op: { label: string; value: string | number | null; multi: boolean }, base: Prisma.Sql): Prisma.Sql {
  if (op.value === null) return Prisma.sql`${base} - ${op.label}::text`;
  const v = JSON.stringify(op.value);
  return op.multi
    ? Prisma.sql`case when coalesce(${base}->${op.label}, '[]'::jsonb) @> ${`[${v}]`}::jsonb then ${base}
        else jsonb_set(${base}, array[${op.label}], coalesce(${base}->${op.label}, '[]'::jsonb) || ${`[${v}]`}::jsonb) end`
    : Prisma.sql`jsonb_set(${base}, array[${op.label}], ${v}::jsonb)`;
}

/** Sets one label on many records: single and rating set it, multi adds the option, null clears it. */
export async function bulkLabel(db: Db, input: BulkLabelInput, actor?: Actor): Promise<BulkResult> {
  const schema = await labelSchemaOf(db, { datasetId: input.datasetId });
  const def = schema.labels.find((l) => l.name === input.label);
  if (!def) throw invalid(`There is no label called "${input.label}" in this dataset's label schema.`);
  if (input.value !== null) {
    const problem = valueProblem(def, def.kind === "multi" ? [input.value] : input.value);
    if (problem) throw invalid(problem);
  }
  const op = { label: def.name, value: input.value, multi: def.kind === "multi" };
  const next = bulkLabelsSql(op, Prisma.sql`r.labels`);
  return writeMany(
    db,
    { ...input, kind: "label", detail: op, actor },
    true,
    Prisma.sql`labels = ${next}`,
    Prisma.sql`(${next}) is distinct from r.labels`,
  );
}

/** How long an undo may take: one statement restoring up to every record of a dataset. */
const UNDO_TIMEOUT_MS = 120_000;

type ActionRow = { id: string; kind: string; count: number; reviewer: string; createdAt: Date; undoneBy: string | null; detail: Record<string, unknown> };

/** "The record still shows what this action made of it", per kind; `s` is the record's snapshot row. */
function unchangedSince(a: ActionRow): Prisma.Sql {
  const d = a.detail;
  switch (a.kind) {
    case "accept":
    case "reject":
      return Prisma.sql`r."reviewState" = ${STATE[a.kind]}::"ReviewState" and r."reviewedBy" = ${a.reviewer} and r."reviewedAt" = ${a.createdAt}`;
    case "reset":
      return Prisma.sql`r."reviewState" = 'unreviewed' and r."reviewedBy" is null`;
    case "label":
      return "recordId" in d
        ? Prisma.sql`r.labels = ${JSON.stringify(d.labels)}::jsonb`
        : Prisma.sql`r.labels = ${bulkLabelsSql(d as { label: string; value: string | number | null; multi: boolean }, Prisma.sql`s.labels`)}`;
    case "edit":
      return Prisma.sql`r.values->${d.field as string} = ${JSON.stringify(d.to)}::jsonb`;
    default:
      return Prisma.sql`false`;
  }
}

/**
 * Undoes an action: each record gets back its snapshot, but only if it still shows what the
 * action made of it; a record changed since is skipped and counted. An action is undone
 * once; undoing bumps revisions, so stale views of those records conflict.
 */
export async function undoAction(db: Db, input: { datasetId: string; reviewer: string; actionId?: string }): Promise<UndoResult> {
  const result = await db.$transaction(async (tx) => {
    const [action] = input.actionId
      ? await tx.$queryRaw<ActionRow[]>`
          select id, kind, count, reviewer, "createdAt", "undoneBy", detail from "ReviewAction"
          where id = ${input.actionId}::uuid and "datasetId" = ${input.datasetId}::uuid for update`
      : await tx.$queryRaw<ActionRow[]>`
          select id, kind, count, reviewer, "createdAt", "undoneBy", detail from "ReviewAction"
          where "datasetId" = ${input.datasetId}::uuid and reviewer = ${input.reviewer} and "undoneAt" is null
          order by "createdAt" desc, id desc limit 1 for update`;
    if (!action) {
      if (input.actionId) throw notFound("That review action");
      throw invalid("Nothing to undo: you have no decisions left to undo in this dataset.");
    }
    if (action.undoneBy !== null) throw conflict(`${action.undoneBy} already undid this.`);
    const [{ restored }] = await tx.$queryRaw<{ restored: number }[]>`
      with s as (
        select unnest("recordIds") as id, "reviewState", "reviewedBy", "reviewedAt", labels, values, edits
        from "ReviewSnapshot" where "actionId" = ${action.id}::uuid
      ), upd as (
        update "Record" r set "reviewState" = s."reviewState", "reviewedBy" = s."reviewedBy", "reviewedAt" = s."reviewedAt",
          labels = coalesce(s.labels, r.labels), values = coalesce(s.values, r.values), edits = coalesce(s.edits, r.edits),
          revision = r.revision + 1, "updatedAt" = now()
        from s where r.id = s.id and ${unchangedSince(action)}
        returning r.id, ${Prisma.raw(TALLY_RETURNING)}
      ), tally as (${Prisma.raw(tallyUpsert("upd"))}
      )
      select count(*)::int as restored from upd`;
    await tx.reviewAction.update({ where: { id: action.id }, data: { undoneAt: new Date(), undoneBy: input.reviewer } });
    return { actionId: action.id, kind: action.kind, restored, skipped: action.count - restored, recordId: action.detail.recordId as string | undefined };
    // Prisma's default 5 s is too short for undoing a bulk action of 100,000 records on a
    // busy machine (6-7 s measured by bench/health.ts, with or without the health tallies):
    // the restore succeeded, then marking the action undone failed and all was rolled back.
  }, { timeout: UNDO_TIMEOUT_MS });
  const { recordId, ...rest } = result;
  return recordId ? { ...rest, row: await recordRow(db, recordId) } : rest;
}

export async function listActions(db: Db, datasetId: string, limit = 20) {
  const rows = await db.reviewAction.findMany({
    where: { datasetId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, reviewer: true, kind: true, detail: true, count: true, createdAt: true, undoneAt: true, undoneBy: true },
  });
  return rows.map((r) => ({ ...r, detail: r.detail as Record<string, unknown>, createdAt: r.createdAt.toISOString(), undoneAt: r.undoneAt?.toISOString() ?? null }));
}

export async function saveLabelSchema(db: Db, datasetId: string, schema: LabelSchema, actor?: Actor) {
  const count = await db.$transaction(async (tx) => {
    const { count } = await tx.dataset.updateMany({ where: { id: datasetId }, data: { labelSchema: schema as unknown as Prisma.InputJsonValue } });
    if (count > 0)
      await audit(tx, actor ?? LOCAL_OWNER, { action: "review.label-schema", datasetId, target: "the dataset", detail: { labels: schema.labels.map((l) => l.name) } });
    return count;
  });
  if (count === 0) throw notFound("The dataset");
  await ensureLabelStatistics(db, schema.labels.map((l) => l.name));
  return schema;
}
