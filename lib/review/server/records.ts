import "server-only";
// The review grid's reads: one page of records for a filter and a sort, the count for the
// filter, the dataset's review progress, one record in full, and the columns to show.
//
// Paging is over a total order (the sort key, then position, then id): by offset, so the
// grid can jump anywhere in 100,000 rows, or after a row the grid already shows, as it
// reads the next page while a person scrolls (page-order.ts; the API walks record order
// by its own key: keyedRecordPage, lib/review/page-cursor.ts); the default order walks the
// (datasetId, createdAt, index, id) index and stops after one page; a sort or "field is"
// filter on a value uses that field's index where records landing built one
// (lib/records/server/value-indexes.ts). Reads never build one: no GET runs DDL.
// Long values are clipped here so a page stays small; the detail cuts only values over
// PREVIEW_CHARS, and recordValue returns one value whole.
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { Prisma } from "@/lib/generated/prisma/client";
import { readBlueprint } from "@/lib/blueprints/stored";
import { literal } from "@/lib/db/server/sql-literal";
import { criterionLines, type CriterionLine } from "../uncertainty";
import { datasetFields, RECENT_RECORDS } from "@/lib/records/server/fields";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import { noteValueIndexUse } from "@/lib/records/server/value-indexes";
import type { RecordFilter } from "@/lib/records/filter";
import { previewEdits, previewProvenance, previewValues } from "@/lib/records/long-values";
import { readLabelSchema } from "../labels";
import { syncHealthFields } from "@/lib/quality/health/server/health";
import type { PageKey } from "../page-cursor";
import type { PageQuery, RecordSort } from "../schemas";
import { afterPosition, anchorCte, anchoredIds, orderBy } from "./page-order";
import type { ClusterView, JudgeColumn, QualitySetup, RecordDetail, RecordRow, ReviewStats } from "../types";

/** Characters of a value sent to the grid; the cell offers the rest through its expand. */
export const CLIP_AT = 400;

// A row's values, which of them were clipped and its judges' scores, from one walk over
// r.values beside each row (`vc`). Three subqueries each walking r.values made a page of 50
// five times slower in the database (EXPLAIN ANALYZE, 100,000 seeded records, alternating:
// 25.7 against 5.1 ms median, 8.0 against 2.5 ms best): each unpacked the stored value again.
// Scores are looked for only in values that are objects: run for every value, their
// aggregate took 2 ms of a 7 ms page of 100 rows.
const ROW_VALUES = Prisma.sql`lateral (
  select coalesce(jsonb_object_agg(k, case when length(t) > ${CLIP_AT} then to_jsonb(left(t, ${CLIP_AT})) else v end), '{}') as values,
    coalesce(array_agg(k) filter (where length(t) > ${CLIP_AT}), '{}') as clipped,
    coalesce(jsonb_object_agg(k, sx.s) filter (where sx.s is not null), '{}') as scores
  from jsonb_each(r.values) e(k, v),
    lateral (select case when jsonb_typeof(v) = 'string' then v #>> '{}' else v::text end as t) tx,
    lateral (select case when jsonb_typeof(v) = 'object' then (select jsonb_object_agg(c, cv->'score') from jsonb_each(v) x(c, cv)
             where jsonb_typeof(cv) = 'object' and cv ? 'score') end as s) sx) vc`;

// Needs ROW_VALUES in the same FROM.
const ROW_COLUMNS = Prisma.sql`r.id, r.index, r."runId", r.source, r.status::text as status, r."reviewState"::text as "reviewState",
  r.labels, r.error, r."tokensIn", r."tokensOut", r."costUsd", r."latencyMs", r."reviewedBy", r."reviewedAt", r.revision,
  vc.values, vc.clipped,
  (select coalesce(array_agg(k), '{}') from jsonb_object_keys(r.edits) k) as edited,
  (select coalesce(jsonb_agg(jsonb_build_object('name', k, 'mode', v->>'mode', 'message', v->>'message')), '[]')
     from jsonb_each(r.checks) e(k, v) where v->>'pass' = 'false') as failing,
  r.rejected, vc.scores,
  (select jsonb_build_object('id', c.id, 'size', c.size, 'exact', c.exact) from "RecordSignature" s join "DuplicateCluster" c on c.id = s."clusterId"
     where s."recordId" = r.id) as cluster,
  (select m.overlap from "ContaminationMatch" m where m."recordId" = r.id) as contamination`;

type RawRow = Omit<RecordRow, "reviewedAt"> & { reviewedAt: Date | null };
const toRow = (r: RawRow): RecordRow => ({ ...r, reviewedAt: r.reviewedAt?.toISOString() ?? null });

/** The fields a filter or sort reads by key: their indexes count as used (the eviction order). */
function keyedFields(filter: RecordFilter, sort?: RecordSort): string[] {
  const fields = (filter.values ?? []).filter((c) => c.op === "eq").map((c) => c.field);
  if (sort?.by === "field" && sort.field) fields.push(sort.field);
  return fields;
}

/**
 * How unsure the draft's judges are about a record, as SQL over `r` (the order of
 * lib/review/uncertainty.ts, whose unit tests give the figures): lower is less sure.
 */
async function uncertaintySql(db: Db, datasetId: string): Promise<string> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { draft: true } });
  const lines = dataset ? criterionLines(readBlueprint(dataset.draft, "this dataset's draft")) : [];
  if (!lines.length) return "null";
  const score = (l: CriterionLine) => `r.values->${literal(l.field)}->${literal(l.criterion)}->'score'`;
  const num = (l: CriterionLine) => `case when jsonb_typeof(${score(l)}) = 'number' then (${score(l)})::numeric end`;
  const goods = lines.map((l) =>
    l.kind === "number" ? `${num(l)} >= ${l.min}` : `case when ${score(l)} is not null then ${score(l)} = any(array[${l.accept.map((a) => `${literal(JSON.stringify(a))}::jsonb`).join(", ")}]) end`,
  );
  const margins = lines.flatMap((l) => (l.kind === "number" ? [`abs(${num(l)} - ${l.pivot}) / ${l.range}`] : []));
  // The judge's own probability of its score (logprobs), where stored: least() skips nulls.
  const p = (l: CriterionLine) => `r.values->${literal(l.field)}->${literal(l.criterion)}->'p'`;
  const ps = lines.map((l) => `case when jsonb_typeof(${p(l)}) = 'number' then (${p(l)})::numeric end`);
  return `(select case when cardinality(g) = 0 then null when true = any(g) and false = any(g) then 0
      else ${margins.length ? `coalesce(least(${margins.join(", ")}), 1)` : "1"} * coalesce(least(${ps.join(", ")}), 1) end
    from (select array_remove(array[${goods.join(", ")}]::boolean[], null) as g) x)`;
}

export async function recordPage(db: Db, datasetId: string, q: PageQuery): Promise<RecordRow[]> {
  return (await keyedRecordPage(db, datasetId, q)).rows;
}

/**
 * A page and the key of its last row (for the API's cursor, lib/review/page-cursor.ts).
 * `after` (record order only) starts the page after that row: the walk of the
 * (datasetId, createdAt, index, id) index begins there, where an offset reads and drops
 * every row before it. `q.after` (the grid's next page, any sort) names the row before the
 * page instead (lib/review/server/page-order.ts); if that row is gone (or nothing follows
 * it any more), the offset counts.
 */
export async function keyedRecordPage(db: Db, datasetId: string, q: PageQuery, after?: PageKey): Promise<{ rows: RecordRow[]; last: PageKey | null }> {
  noteValueIndexUse(datasetId, keyedFields(q.filter, q.sort));
  const unsure = q.sort.by === "uncertain" ? await uncertaintySql(db, datasetId) : undefined;
  if (after && q.sort.by !== "position") throw new Error("keyedRecordPage: a row key pages only in record order");
  const start = after
    ? Prisma.sql` and ${afterPosition(q.sort.dir, [Prisma.sql`${new Date(after.createdAt)}::timestamptz`, Prisma.sql`${after.index}::int`, Prisma.sql`${after.id}::uuid`])}`
    : Prisma.empty;
  // The page's ids first, then its rows: the clipped values are computed for the rows
  // shown, not for every row the offset skips. No parallel workers: starting them costs
  // more than a page (a Gather over the sort's index took 90 ms on a loaded 2-core machine
  // where the plain walk takes 10), and the grid asks several pages at once.
  const read = (statement: Prisma.Sql) =>
    db.$transaction([db.$executeRaw`set local max_parallel_workers_per_gather = 0`, db.$queryRaw<(RawRow & { keyAt: Date })[]>(statement)]).then(([, rows]) => rows);
  let rows = q.after && !after ? await read(recordPageSql(datasetId, q, unsure)) : [];
  if (!rows.length) rows = await read(recordPageSql(datasetId, { ...q, after: undefined }, unsure, start));
  const end = rows[rows.length - 1];
  return {
    rows: rows.map(({ keyAt: _, ...r }) => toRow(r)),
    last: end ? { createdAt: end.keyAt.toISOString(), index: end.index, id: end.id } : null,
  };
}

/**
 * The statement of one grid page (exported for the tests that read its plan): the ids
 * after `q.after` if given, else after `q.offset` rows (and `start`, the API's key).
 */
export function recordPageSql(datasetId: string, q: PageQuery, unsure?: string, start: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const filter = recordFilterSql(datasetId, q.filter);
  const ids = q.after
    ? anchoredIds(filter, q.sort, q.limit, unsure)
    : Prisma.sql`array(
      select r.id from "Record" r
      where ${filter}${start}
      order by ${orderBy(q.sort, unsure)}
      limit ${q.limit} offset ${q.offset})`;
  return Prisma.sql`${q.after ? anchorCte(datasetId, q.sort, q.after, unsure) : Prisma.empty}
    select ${ROW_COLUMNS}, r."createdAt" as "keyAt"
    from unnest(${ids}) with ordinality p(id, pos)
    join "Record" r on r.id = p.id
    cross join ${ROW_VALUES}
    order by p.pos`;
}

/** One row as the grid shows it, e.g. to refresh it after a conflict. */
export async function recordRow(db: Db, recordId: string): Promise<RecordRow> {
  const rows = await db.$queryRaw<RawRow[]>`select ${ROW_COLUMNS} from "Record" r cross join ${ROW_VALUES} where r.id = ${recordId}::uuid`;
  if (!rows[0]) throw notFound("The record");
  return toRow(rows[0]);
}

export async function countRecords(db: Db, datasetId: string, filter: RecordFilter): Promise<number> {
  noteValueIndexUse(datasetId, keyedFields(filter));
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from "Record" r where ${recordFilterSql(datasetId, filter)}`;
  return n;
}

/**
 * The dataset's review progress, from the health tallies (lib/quality/README-health.md):
 * every statement that writes records keeps the count per review state, so this is one
 * read of a few rows. Counting the records instead read every one of them: 198 ms of the
 * records page's 340 ms on 100,000 records (bench/review.ts, "records page reads").
 * `judged` and `judgeOnly` (scored by a judge; of those, not reviewed by a person) come
 * from the 'judged' tallies; the draft's judge fields are registered for them first (a
 * no-op unless the draft gained or lost a judge, which counts them once).
 */
export async function reviewStats(db: Db, datasetId: string, synced = false): Promise<ReviewStats> {
  // One round trip: the tallies, and the draft's judges beside those registered for them.
  // Reading and parsing the draft as a blueprint here made the read 4.5 times slower.
  const [s] = await db.$queryRaw<(ReviewStats & { want: string[] | null; have: string[] | null })[]>`
    select coalesce(sum(count) filter (where kind = 'review'), 0)::int as total,
      coalesce(sum(count) filter (where kind = 'review' and value = 'accepted'), 0)::int as accepted,
      coalesce(sum(count) filter (where kind = 'review' and value = 'rejected'), 0)::int as rejected,
      coalesce(sum(count) filter (where kind = 'judged'), 0)::int as judged,
      coalesce(sum(count) filter (where kind = 'judged' and value = 'unreviewed'), 0)::int as "judgeOnly",
      (select array_agg(distinct f->>'name' order by f->>'name') from "Dataset" d,
         jsonb_array_elements(case when jsonb_typeof(d.draft->'fields') = 'array' then d.draft->'fields' else '[]' end) f
       where d.id = ${datasetId}::uuid and f->>'kind' = 'judge' and coalesce(f->>'name', '') <> '') as want,
      (select array_agg(name order by name) from "HealthField" where "datasetId" = ${datasetId}::uuid and kind = 'judge') as have
    from "HealthTally" where "datasetId" = ${datasetId}::uuid and kind in ('review', 'judged') and field = ''`;
  const { want, have, ...stats } = s;
  if (synced || (want ?? []).join("\u0000") === (have ?? []).join("\u0000")) return stats;
  // The draft gained or lost a judge: register it (counting its records once), then read again.
  await syncHealthFields(db, datasetId, (want ?? []).map((name) => ({ name, kind: "judge" })), "judge");
  return reviewStats(db, datasetId, true);
}

export async function recordDetail(db: Db, recordId: string): Promise<RecordDetail> {
  const r = await db.record.findUnique({
    where: { id: recordId },
    include: {
      run: { select: { id: true, createdAt: true, blueprintVersion: { select: { version: true } } } },
      comments: { orderBy: { createdAt: "asc" } },
    },
  });
  if (!r) throw notFound("The record");
  const { values, long } = previewValues(r.values as Record<string, unknown>);
  return {
    id: r.id,
    datasetId: r.datasetId,
    index: r.index,
    runId: r.runId,
    source: r.source,
    status: r.status,
    error: r.error,
    values,
    long,
    provenance: previewProvenance((r.provenance ?? {}) as RecordDetail["provenance"]),
    edits: previewEdits((r.edits ?? {}) as RecordDetail["edits"]),
    labels: r.labels as Record<string, unknown>,
    reviewState: r.reviewState,
    reviewedBy: r.reviewedBy,
    reviewedAt: r.reviewedAt?.toISOString() ?? null,
    revision: r.revision,
    attempts: r.attempts,
    tokensIn: r.tokensIn,
    tokensOut: r.tokensOut,
    costUsd: r.costUsd,
    latencyMs: r.latencyMs,
    createdAt: r.createdAt.toISOString(),
    blueprintVersion: r.run?.blueprintVersion.version ?? null,
    comments: r.comments.map((c) => ({ id: c.id, author: c.author, body: c.body, createdAt: c.createdAt.toISOString() })),
  };
}

/** One value in full: what "Show all" in the detail panel fetches for a value it cut. */
export async function recordValue(db: Db, recordId: string, field: string): Promise<{ value: unknown }> {
  const rows = await db.$queryRaw<{ found: boolean; value: unknown }[]>`select "values" ? ${field} as found, "values" -> ${field} as value from "Record" where id = ${recordId}::uuid`;
  if (!rows[0]?.found) throw notFound("The value");
  return { value: rows[0].value };
}

/** Members shown side by side at most; the grid filtered to the cluster lists them all. */
export const CLUSTER_VIEW_MEMBERS = 12;

/**
 * A duplicate cluster for the side-by-side view: the fields detection compared, and its
 * first members in record order (`recordId`, the open record, always among them) with
 * those fields cut like the detail's values.
 */
export async function clusterView(db: Db, datasetId: string, clusterId: string, recordId?: string): Promise<ClusterView> {
  const [cluster, state] = await Promise.all([
    db.duplicateCluster.findFirst({ where: { id: clusterId, datasetId }, select: { size: true, exact: true } }),
    db.dedupeState.findUnique({ where: { datasetId }, select: { fields: true } }),
  ]);
  if (!cluster || !state) throw notFound("The duplicate cluster");
  const rows = await db.$queryRaw<{ id: string; index: number; reviewState: ClusterView["members"][number]["reviewState"]; values: Record<string, unknown> }[]>`
    select r.id, r.index, r."reviewState"::text as "reviewState", r.values from "RecordSignature" s join "Record" r on r.id = s."recordId"
    where s."clusterId" = ${clusterId}::uuid order by r.id = ${recordId ?? null}::uuid desc nulls last, r.index limit ${CLUSTER_VIEW_MEMBERS}`;
  return {
    ...cluster,
    fields: state.fields,
    members: rows.map((r) => ({
      id: r.id,
      index: r.index,
      reviewState: r.reviewState,
      values: previewValues(Object.fromEntries(state.fields.map((f) => [f, r.values[f] ?? null]))).values,
    })),
  };
}

/**
 * What the records page needs besides rows: the columns (the dataset's fields,
 * lib/records/server/fields.ts), the runs, and the label schema.
 */
export async function reviewSetup(db: Db, datasetId: string) {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true, labelSchema: true } });
  if (!dataset) throw notFound("The dataset");
  const [fields, runs, quality, judges] = await Promise.all([
    datasetFields(db, datasetId),
    db.run.findMany({ where: { datasetId }, orderBy: { createdAt: "asc" }, select: { id: true, createdAt: true } }),
    qualitySetup(db, datasetId),
    judgeSetup(db, datasetId),
  ]);
  return {
    fields,
    runs: runs.map((r, i) => ({ id: r.id, number: i + 1, createdAt: r.createdAt.toISOString() })),
    labelSchema: readLabelSchema(dataset.labelSchema),
    quality: { ...quality, judges },
  };
}

/**
 * Which quality columns and filters the grid offers: validators some recent record was
 * checked by, and duplicates or contamination once a check has run. A plain dataset gets
 * no empty columns.
 */
async function qualitySetup(db: Db, datasetId: string): Promise<Omit<QualitySetup, "judges">> {
  const [[checks], dedupe, contaminated] = await Promise.all([
    db.$queryRaw<{ names: string[] }[]>`
      select coalesce(array_agg(distinct k order by k), '{}') as names from (select checks from "Record"
        where "datasetId" = ${datasetId}::uuid and checks is not null order by "createdAt" desc limit ${RECENT_RECORDS}) r, jsonb_object_keys(r.checks) k`,
    db.dedupeState.findUnique({ where: { datasetId }, select: { status: true } }),
    db.contaminationMatch.findFirst({ where: { datasetId }, select: { recordId: true } }),
  ]);
  return { validators: checks.names, duplicates: dedupe !== null, contamination: contaminated !== null };
}

/** The draft's judges, one entry per criterion: a score column, sort and filter each. */
async function judgeSetup(db: Db, datasetId: string): Promise<JudgeColumn[]> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { draft: true } });
  if (!dataset) return [];
  const draft = readBlueprint(dataset.draft, "this dataset's draft");
  return draft.fields.flatMap((f) =>
    f.kind === "judge" && f.name ? f.criteria.filter((c) => c.name).map((c) => ({ field: f.name, criterion: c.name, levels: c.levels.map((l) => l.value) })) : [],
  );
}

/**
 * What "Keep one per cluster" leaves rejected, for its confirmation: every member but one
 * of each cluster, whichever the policy keeps (those already rejected stay so; the result
 * counts only the records it changed). Null when detection has not run.
 */
export async function keepOnePreview(db: Db, datasetId: string): Promise<{ clusters: number; toReject: number } | null> {
  const st = await db.dedupeState.findUnique({ where: { datasetId }, select: { status: true } });
  if (!st) return null;
  const [r] = await db.$queryRaw<{ clusters: number; members: number }[]>`
    select count(distinct "clusterId")::int as clusters, count(*)::int as members
    from "RecordSignature" where "datasetId" = ${datasetId}::uuid and "clusterId" is not null`;
  return { clusters: r.clusters, toReject: r.members - r.clusters };
}
