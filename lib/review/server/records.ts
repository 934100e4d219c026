import "server-only";
// The review grid's reads: one page of records for a filter and a sort, the count for the
// filter, the dataset's review progress, one record in full, and the columns to show.
//
// Paging is by offset over a total order (the sort key, then position, then id), so the
// grid can jump anywhere in 100,000 rows; the default order walks the
// (datasetId, createdAt, index, id) index and stops after one page; a sort or "field is"
// filter on a value uses that field's index where records landing built one
// (lib/records/server/value-indexes.ts). Reads never build one: no GET runs DDL.
// Long values are clipped here so a page stays small; the detail cuts only values over
// PREVIEW_CHARS, and recordValue returns one value whole.
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { Prisma } from "@/lib/generated/prisma/client";
import { datasetFields, RECENT_RECORDS } from "@/lib/records/server/fields";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import { noteValueIndexUse } from "@/lib/records/server/value-indexes";
import { valueKeySql } from "@/lib/records/server/value-key";
import type { RecordFilter } from "@/lib/records/filter";
import { PREVIEW_CHARS, previewValues } from "@/lib/records/long-values";
import { readLabelSchema } from "../labels";
import type { PageQuery, RecordSort } from "../schemas";
import type { ClusterMember, ClusterView, QualitySetup, RecordDetail, RecordRow, ReviewStats } from "../types";

/** Characters of a value sent to the grid; the cell offers the rest through its expand. */
export const CLIP_AT = 400;

function orderBy(sort: RecordSort): Prisma.Sql {
  const dir = Prisma.raw(sort.dir === "desc" ? "desc" : "asc");
  const position = Prisma.sql`r."createdAt" ${dir}, r.index ${dir}, r.id ${dir}`;
  switch (sort.by) {
    case "position":
      return position;
    case "cost":
      return Prisma.sql`r."costUsd" ${dir}, ${position}`;
    case "tokens":
      return Prisma.sql`(r."tokensIn" + r."tokensOut") ${dir}, ${position}`;
    case "latency":
      return Prisma.sql`r."latencyMs" ${dir}, ${position}`;
    case "reviewedAt":
      return Prisma.sql`r."reviewedAt" ${dir} nulls last, ${position}`;
    case "field":
      // By the value's key (numbers as numbers, "9" before "10"). Records without the field
      // come last going up and first going down, the order a backward index scan gives.
      return Prisma.sql`${Prisma.raw(valueKeySql(sort.field ?? "", "r"))} ${dir}, ${position}`;
  }
}

// What the quality cells show: the validators a record fails (checks holds every result,
// passes included), its duplicate cluster and its contamination overlap. The joins are by
// primary key (RecordSignature.recordId, DuplicateCluster.id, ContaminationMatch.recordId),
// one probe each per row shown.
const QUALITY_COLUMNS = Prisma.sql`r.rejected,
  case when r.checks is null then '[]'::jsonb else (select coalesce(jsonb_agg(jsonb_build_object('name', k, 'mode', coalesce(v->>'mode', 'flag'), 'message', v->>'message') order by k), '[]')
     from jsonb_each(r.checks) e(k, v) where v->>'pass' = 'false') end as failing,
  case when dc.id is null then null else jsonb_build_object('clusterId', dc.id, 'size', dc.size, 'exact', dc.exact) end as duplicate,
  cm.overlap as contamination`;
const QUALITY_JOINS = Prisma.sql`left join "RecordSignature" rs on rs."recordId" = r.id
  left join "DuplicateCluster" dc on dc.id = rs."clusterId"
  left join "ContaminationMatch" cm on cm."recordId" = r.id`;

const ROW_COLUMNS = Prisma.sql`r.id, r.index, r."runId", r.source, r.status::text as status, r."reviewState"::text as "reviewState",
  r.labels, r.error, r."tokensIn", r."tokensOut", r."costUsd", r."latencyMs", r."reviewedBy", r."reviewedAt", r.revision,
  (select coalesce(jsonb_object_agg(k, case when length(t) > ${CLIP_AT} then to_jsonb(left(t, ${CLIP_AT})) else v end), '{}')
     from jsonb_each(r.values) e(k, v), lateral (select case when jsonb_typeof(v) = 'string' then v #>> '{}' else v::text end as t) tx) as values,
  (select coalesce(array_agg(k), '{}') from jsonb_each(r.values) e(k, v)
     where length(case when jsonb_typeof(v) = 'string' then v #>> '{}' else v::text end) > ${CLIP_AT}) as clipped,
  (select coalesce(array_agg(k), '{}') from jsonb_object_keys(r.edits) k) as edited,
  ${QUALITY_COLUMNS}`;

type RawRow = Omit<RecordRow, "reviewedAt"> & { reviewedAt: Date | null };
const toRow = (r: RawRow): RecordRow => ({ ...r, reviewedAt: r.reviewedAt?.toISOString() ?? null });

/** The fields a filter or sort reads by key: their indexes count as used (the eviction order). */
function keyedFields(filter: RecordFilter, sort?: RecordSort): string[] {
  const fields = (filter.values ?? []).filter((c) => c.op === "eq").map((c) => c.field);
  if (sort?.by === "field" && sort.field) fields.push(sort.field);
  return fields;
}

export async function recordPage(db: Db, datasetId: string, q: PageQuery): Promise<RecordRow[]> {
  noteValueIndexUse(datasetId, keyedFields(q.filter, q.sort));
  // The page's ids first, then its rows: the clipped values are computed for the rows
  // shown, not for every row the offset skips. No parallel workers: starting them costs
  // more than a page (a Gather over the sort's index took 90 ms on a loaded 2-core machine
  // where the plain walk takes 10), and the grid asks several pages at once.
  const [, rows] = await db.$transaction([db.$executeRaw`set local max_parallel_workers_per_gather = 0`, db.$queryRaw<RawRow[]>`
    select ${ROW_COLUMNS}
    from unnest(array(
      select r.id from "Record" r
      where ${recordFilterSql(datasetId, q.filter)}
      order by ${orderBy(q.sort)}
      limit ${q.limit} offset ${q.offset})) with ordinality p(id, pos)
    join "Record" r on r.id = p.id
    ${QUALITY_JOINS}
    order by p.pos`]);
  return rows.map(toRow);
}

/** One row as the grid shows it, e.g. to refresh it after a conflict. */
export async function recordRow(db: Db, recordId: string): Promise<RecordRow> {
  const rows = await db.$queryRaw<RawRow[]>`select ${ROW_COLUMNS} from "Record" r ${QUALITY_JOINS} where r.id = ${recordId}::uuid`;
  if (!rows[0]) throw notFound("The record");
  return toRow(rows[0]);
}

export async function countRecords(db: Db, datasetId: string, filter: RecordFilter): Promise<number> {
  noteValueIndexUse(datasetId, keyedFields(filter));
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from "Record" r where ${recordFilterSql(datasetId, filter)}`;
  return n;
}

export async function reviewStats(db: Db, datasetId: string): Promise<ReviewStats> {
  const [s] = await db.$queryRaw<ReviewStats[]>`
    select count(*)::int as total,
      count(*) filter (where "reviewState" = 'accepted')::int as accepted,
      count(*) filter (where "reviewState" = 'rejected')::int as rejected
    from "Record" where "datasetId" = ${datasetId}::uuid`;
  return s;
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
    provenance: r.provenance as RecordDetail["provenance"],
    edits: r.edits as RecordDetail["edits"],
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

/**
 * What the records page needs besides rows: the columns (the dataset's fields,
 * lib/records/server/fields.ts), the runs, and the label schema.
 */
export async function reviewSetup(db: Db, datasetId: string) {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true, labelSchema: true } });
  if (!dataset) throw notFound("The dataset");
  const [fields, runs] = await Promise.all([
    datasetFields(db, datasetId),
    db.run.findMany({ where: { datasetId }, orderBy: { createdAt: "asc" }, select: { id: true, createdAt: true } }),
  ]);
  return {
    fields,
    runs: runs.map((r, i) => ({ id: r.id, number: i + 1, createdAt: r.createdAt.toISOString() })),
    labelSchema: readLabelSchema(dataset.labelSchema),
    quality: await qualitySetup(db, datasetId),
  };
}

/**
 * Which quality columns and filters the grid offers. Validators as the data has them (like
 * the fields): the results of the newest records, so a plain dataset reads 200 rows' null
 * `checks` and shows no column; the other two are one primary-key or index probe each.
 */
export async function qualitySetup(db: Db, datasetId: string): Promise<QualitySetup> {
  const [validators, dedupe, matched] = await Promise.all([
    db.$queryRaw<{ name: string; mode: string }[]>`
      select k as name, max(coalesce(v->>'mode', 'flag')) as mode
      from (select checks from "Record" where "datasetId" = ${datasetId}::uuid and checks is not null
        order by "createdAt" desc limit ${RECENT_RECORDS}) r, jsonb_each(r.checks) e(k, v)
      group by k order by k`,
    db.dedupeState.findUnique({ where: { datasetId }, select: { fields: true, status: true } }),
    db.contaminationMatch.findFirst({ where: { datasetId }, select: { recordId: true } }),
  ]);
  return {
    // max(): "reject" sorts after "flag", so a validator that ever rejected shows as one.
    validators: validators.map((v) => ({ name: v.name, mode: v.mode === "reject" ? "reject" : "flag" })),
    dedupe,
    contamination: !!matched,
  };
}

/** Members compared side by side at most: a cluster of 10,000 identical records is read as its first ones. */
export const CLUSTER_MEMBERS_SHOWN = 50;

/**
 * A duplicate cluster for the detail panel: its members' compared fields (the detection's
 * fields), each cut at PREVIEW_CHARS as the detail cuts long values, `recordId` first, then
 * in record order. Reads RecordSignature.clusterId and DuplicateCluster only.
 */
export async function clusterView(db: Db, datasetId: string, clusterId: string, recordId?: string): Promise<ClusterView> {
  const [cluster, st] = await Promise.all([
    db.duplicateCluster.findUnique({ where: { id: clusterId }, select: { datasetId: true, size: true, exact: true } }),
    db.dedupeState.findUnique({ where: { datasetId }, select: { fields: true } }),
  ]);
  // Clusters are replaced by each full pass: a grid opened before it may ask for one that is gone.
  if (!cluster || cluster.datasetId !== datasetId || !st) throw notFound("The duplicate cluster (detection ran again since: refresh the grid)");
  const members = await db.$queryRaw<ClusterMember[]>`
    select r.id, r.index, r."reviewState"::text as "reviewState",
      (select coalesce(jsonb_object_agg(f, left(coalesce(r.values->>f, ''), ${PREVIEW_CHARS})), '{}') from unnest(${st.fields}::text[]) f) as texts,
      array(select f from unnest(${st.fields}::text[]) f where length(r.values->>f) > ${PREVIEW_CHARS}) as cut
    from "RecordSignature" s join "Record" r on r.id = s."recordId"
    where s."clusterId" = ${clusterId}::uuid
    order by (r.id = ${recordId ?? null}::uuid) desc nulls last, r.index
    limit ${CLUSTER_MEMBERS_SHOWN}`;
  return { clusterId, size: cluster.size, exact: cluster.exact, fields: st.fields, members, shown: members.length };
}

/**
 * What "Keep one per cluster" leaves rejected: every member but one of each cluster,
 * whichever the policy keeps (those already rejected stay so, and the result counts only
 * the records it changed). For the confirmation; null when detection has not run.
 */
export async function keepOnePreview(db: Db, datasetId: string): Promise<{ clusters: number; toReject: number } | null> {
  const st = await db.dedupeState.findUnique({ where: { datasetId }, select: { status: true } });
  if (!st) return null;
  const [r] = await db.$queryRaw<{ clusters: number; members: number }[]>`
    select count(distinct "clusterId")::int as clusters, count(*)::int as members
    from "RecordSignature" where "datasetId" = ${datasetId}::uuid and "clusterId" is not null`;
  return { clusters: r.clusters, toReject: r.members - r.clusters };
}
