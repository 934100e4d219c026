// Values written into SQL text as literals, for the few statements that cannot take bind
// parameters (COPY (query) TO STDOUT, CREATE INDEX) or whose text must match an index
// expression. Strings are quoted the way libpq's PQescapeLiteral does (E'' with doubled
// backslashes when there is one), arrays as ARRAY[...], numbers only when finite.
import type { Prisma } from "@/lib/generated/prisma/client";

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
