import "server-only";
// The grid's orders as SQL, and which ids a page holds: the rows after an offset, or the
// rows after one the grid already shows (its anchor).
//
// Every order is total: the sort's key, then the record order (createdAt, index, id), so
// "the rows after this one" is well defined. An offset makes PostgreSQL walk and drop every
// row before the page; on a sort by a record value each dropped row also has its key
// computed from the compressed `values` (about 4 µs a row), so page 10 of "topic is music,
// by n" took 45-55 ms against 15 for page 1 (bench/review.ts). Started after the anchor,
// the walk begins at the anchor's key in the same index and reads one page.
import { Prisma } from "@/lib/generated/prisma/client";
import { valueKeySql } from "@/lib/records/server/value-key";
import type { RecordSort } from "../schemas";

/**
 * The sort's key as SQL over `r`, and where records without one go: `nullsLast` true or
 * false, or null when every record has a key (a NOT NULL column). `explicit`: the order
 * says `nulls last` going down too, where PostgreSQL would put them first.
 */
function sortKey(sort: RecordSort, unsure?: string): { key: Prisma.Sql | null; nullsLast: boolean | null; explicit?: true } {
  const asc = sort.dir === "asc";
  switch (sort.by) {
    case "position":
      return { key: null, nullsLast: null };
    case "cost":
      return { key: Prisma.sql`r."costUsd"`, nullsLast: null };
    case "tokens":
      return { key: Prisma.sql`(r."tokensIn" + r."tokensOut")`, nullsLast: null };
    case "latency":
      return { key: Prisma.sql`r."latencyMs"`, nullsLast: null };
    case "reviewedAt":
      return { key: Prisma.sql`r."reviewedAt"`, nullsLast: true, explicit: true };
    case "field":
      // By the value's key (numbers as numbers, "9" before "10"). Records without the field
      // come last going up and first going down, the order a backward index scan gives.
      return { key: Prisma.raw(valueKeySql(sort.field ?? "", "r")), nullsLast: asc };
    case "uncertain":
      // Least sure first going up (lib/review/uncertainty.ts); unjudged records last.
      return { key: Prisma.raw(unsure ?? "null"), nullsLast: true, explicit: true };
    case "judge":
      // Scores are numbers or words: keyed like values, so 10 sorts after 9. No index: a
      // dataset's judged records are sorted by a scan (the grid's filter narrows them first).
      return { key: Prisma.sql`datawright_value_key(r.values->${sort.field ?? ""}->${sort.criterion ?? ""}->'score')`, nullsLast: asc };
  }
}

const position = (dir: Prisma.Sql) => Prisma.sql`r."createdAt" ${dir}, r.index ${dir}, r.id ${dir}`;

export function orderBy(sort: RecordSort, unsure?: string): Prisma.Sql {
  const dir = Prisma.raw(sort.dir === "desc" ? "desc" : "asc");
  const { key, explicit } = sortKey(sort, unsure);
  if (!key) return position(dir);
  return Prisma.sql`${key} ${dir}${explicit ? Prisma.raw(" nulls last") : Prisma.empty}, ${position(dir)}`;
}

/**
 * The rows past a position (createdAt, index, id) in the sort's direction, or with `key`
 * (the sort key's expression and the row's value of it) past that key and position: every
 * "after this row", the API's cursor's and the grid's anchor's.
 */
export function afterPosition(dir: RecordSort["dir"], [createdAt, index, id]: [Prisma.Sql, Prisma.Sql, Prisma.Sql], key?: [expr: Prisma.Sql, value: Prisma.Sql]): Prisma.Sql {
  const op = Prisma.raw(dir === "desc" ? "<" : ">");
  return key
    ? Prisma.sql`(${key[0]}, r."createdAt", r.index, r.id) ${op} (${key[1]}, ${createdAt}, ${index}, ${id})`
    : Prisma.sql`(r."createdAt", r.index, r.id) ${op} (${createdAt}, ${index}, ${id})`;
}

/** The anchor row's key and position, as the CTE `a` the anchored ids read (see anchoredIds). */
export function anchorCte(datasetId: string, sort: RecordSort, anchorId: string, unsure?: string): Prisma.Sql {
  const { key } = sortKey(sort, unsure);
  return Prisma.sql`with a as materialized (
    select ${key ?? Prisma.sql`null::int`} as k, r."createdAt" as c, r.index as i, r.id
    from "Record" r where r.id = ${anchorId}::uuid and r."datasetId" = ${datasetId}::uuid)`;
}

/**
 * The ids of the `limit` rows after the anchor (the CTE `a` from anchorCte) in the sort's
 * order, as a uuid[] expression; empty when the anchor is gone. The anchor's values are
 * one-row subqueries, which PostgreSQL reads once and compares like constants, so the
 * row comparison starts an index walk where there is one. A row comparison is never true
 * for a missing key, so records without one are a block of their own (before or after the
 * others, ordered by position), read only when the anchor's block runs out.
 */
export function anchoredIds(filter: Prisma.Sql, sort: RecordSort, limit: number, unsure?: string): Prisma.Sql {
  const { key, nullsLast } = sortKey(sort, unsure);
  const a = (col: "k" | "c" | "i" | "id") => Prisma.raw(`(select ${col} from a)`);
  const order = orderBy(sort, unsure);
  const ids = (cond: Prisma.Sql) => Prisma.sql`array(select r.id from "Record" r where ${filter} and ${cond} order by ${order} limit ${limit})`;
  const anchor: [Prisma.Sql, Prisma.Sql, Prisma.Sql] = [a("c"), a("i"), a("id")];
  const afterAnchor = afterPosition(sort.dir, anchor);
  if (!key) return ids(afterAnchor);
  const afterKey = afterPosition(sort.dir, anchor, [key, a("k")]);
  if (nullsLast === null) return ids(afterKey);
  const none = Prisma.sql`'{}'::uuid[]`;
  // The rest of the anchor's block, then (if the page is not full) the whole block after it.
  const own = Prisma.sql`case when ${a("k")} is null then ${ids(Prisma.sql`${key} is null and ${afterAnchor}`)} else ${ids(afterKey)} end`;
  const next = nullsLast
    ? Prisma.sql`case when ${a("k")} is not null then ${ids(Prisma.sql`${key} is null`)} else ${none} end`
    : Prisma.sql`case when ${a("k")} is null then ${ids(Prisma.sql`${key} is not null`)} else ${none} end`;
  return Prisma.sql`(select case when cardinality(own) >= ${limit}::int then own else (own || ${next})[1:${limit}::int] end from (select ${own} as own offset 0) x)`;
}
