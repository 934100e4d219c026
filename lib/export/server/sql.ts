import "server-only";
// SQL text for exports. COPY (query) TO STDOUT takes no bind parameters, so the shared
// record filter (a parameterised Prisma.Sql) is turned into text with every value
// written as an escaped literal: strings quoted the way libpq's PQescapeLiteral does
// (E'' with doubled backslashes when there is one), arrays as ARRAY[...], numbers only
// when finite. Identifiers never come from users: field and label names are values
// (r.values->'name'), not identifiers.
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import type { RecordFilter } from "@/lib/records/filter";
import type { CellSource } from "../formats";

export function literal(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`Cannot write ${v} as SQL`);
    return String(v);
  }
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v instanceof Date) return quote(v.toISOString());
  if (typeof v === "string") return quote(v);
  if (Array.isArray(v)) return v.length === 0 ? "'{}'" : `array[${v.map(literal).join(",")}]`;
  throw new Error(`Cannot write a ${typeof v} as an SQL literal`);
}

function quote(s: string): string {
  if (s.includes("\0")) throw new Error("Text with a NUL character cannot be sent to PostgreSQL");
  const body = s.replace(/'/g, "''");
  return s.includes("\\") ? ` E'${body.replace(/\\/g, "\\\\")}'` : `'${body}'`;
}

/** A Prisma.Sql with its values written in as literals. */
export function inlineSql(sql: Prisma.Sql): string {
  let out = sql.strings[0];
  for (let i = 0; i < sql.values.length; i++) out += literal(sql.values[i]) + sql.strings[i + 1];
  return out;
}

export function filterText(datasetId: string, filter: RecordFilter): string {
  return inlineSql(recordFilterSql(datasetId, filter));
}

/** jsonb -> typed cell text (see lib/export/cells.ts). */
function typed(obj: string, key: string): string {
  const k = literal(key);
  return `case jsonb_typeof(${obj}->${k}) when 'string' then 's' || (${obj}->>${k}) else 'j' || (${obj}->${k})::text end`;
}

export function cellSql(s: CellSource): string {
  switch (s.kind) {
    case "field":
      return typed("r.values", s.name);
    case "label":
      return typed("r.labels", s.name);
    case "meta":
      switch (s.key) {
        case "id":
          return `'s' || r.id::text`;
        case "source":
          return `'s' || r.source`;
        case "runId":
          return `'s' || r."runId"::text`;
        case "reviewState":
          return `'s' || r."reviewState"::text`;
        case "blueprintVersion":
          return `'j' || (r.provenance->'blueprintVersion')::text`;
        case "sampled":
          return `'j' || (r.provenance->'sampled')::text`;
        case "models":
          return `'j' || (select jsonb_object_agg(k, v->'model') from jsonb_each(case jsonb_typeof(r.provenance->'llm') when 'object' then r.provenance->'llm' else '{}'::jsonb end) e(k, v))::text`;
      }
  }
}

/** The split key of a record: the first 52 bits of md5("<seed>:<id>") (lib/export/split.ts). */
export function splitKeySql(seed: number): string {
  return `('x' || substr(md5(${literal(String(seed))} || ':' || r.id::text), 1, 13))::bit(52)::bigint`;
}

/** The value records are stratified by: a label's or field's text (JSON text for lists), null when absent. */
export function stratumSql(s: { kind: "field" | "label"; name: string }): string {
  return `${s.kind === "field" ? "r.values" : "r.labels"}->>${literal(s.name)}`;
}
