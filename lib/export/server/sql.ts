import "server-only";
// SQL text for exports. COPY (query) TO STDOUT takes no bind parameters, so the shared
// record filter (a parameterised Prisma.Sql) is turned into text with every value
// written as an escaped literal (lib/db/server/sql-literal.ts). Identifiers never come
// from users: field and label names are values (r.values->'name'), not identifiers.
import { inlineSql, literal } from "@/lib/db/server/sql-literal";
import { recordFilterSql } from "@/lib/records/server/filter-sql";
import type { RecordFilter } from "@/lib/records/filter";
import type { CellKind } from "@/lib/db/copy/cells";
import { cellLayout } from "@/lib/db/copy/binary";
import type { CellSource } from "../formats";
import type { PromptPart } from "../schemas";

export function filterText(datasetId: string, filter: RecordFilter): string {
  return inlineSql(recordFilterSql(datasetId, filter));
}

/**
 * Joined to every export query: the record's values decompressed once. "values" is stored
 * compressed in the row, and PostgreSQL decompresses a column again at each reference (one
 * or two per cell now, three when this was measured), which was over half of an export's
 * database time; `|| '{}'` makes a plain copy that the cells then read. 1.0 s -> 0.43 s per
 * 100,000 records here.
 */
export const VALUES_ONCE = `cross join lateral (select r.values || '{}'::jsonb as v offset 0) x`;

/** A jsonb object's member as a text or flagged cell: `->>` (a flagged cell's bit is in flagsSql). */
function valueSql(obj: string, key: string, kind: CellKind): string {
  if (kind === "prefixed") throw new Error("values and labels are text or flagged cells; only record facts are prefixed");
  return `${obj}->>${literal(key)}`;
}

/**
 * What an LLM field sent, as the run stored it: `provenance.llm[field].messages` is
 * [system (only when it rendered non-blank), few-shot turns (mode "turns"), user prompt]
 * (lib/blueprints/messages.ts). Joined once per field an export takes prompts from, so the
 * provenance (stored compressed, like values) is read once per row and only by those
 * exports; `offset 0` keeps PostgreSQL from inlining it back into every cell.
 */
export function promptJoinSql(fields: string[]): string {
  return fields.map((f, i) => `cross join lateral (select r.provenance->'llm'->${literal(f)}->'messages' as m offset 0) ${promptAlias(i)}`).join(" ");
}

const promptAlias = (i: number) => `pm${i}`;

/** The messages a record's LLM field sent, as a jsonb expression (for conditions outside the export's joins). */
const messagesSql = (field: string) => `r.provenance->'llm'->${literal(field)}->'messages'`;

/** The system message's text (NULL when none was sent), or the final user message's. `->` gives NULL for anything but an array. */
function promptPartSql(m: string, part: PromptPart): string {
  return part === "system"
    ? `(case when ${m}->0->>'role' = 'system' then ${m}->0->>'content' end)`
    : `(case when ${m}->-1->>'role' = 'user' then ${m}->-1->>'content' end)`;
}

/**
 * The records an export takes: the filter's, less those without a prompt that a required
 * role is mapped to (imported records have none). Also the condition for counting those.
 */
export function promptPresentSql(required: { field: string; part: PromptPart }[], conversations: string[] = []): string | null {
  const conditions = [
    ...required.map((p) => `${promptPartSql(messagesSql(p.field), p.part)} is not null`),
    // A conversation's turns are the example's messages: without a non-empty list there is no example.
    ...conversations.map((f) => `(case when jsonb_typeof(r.values->${literal(f)}) = 'array' then jsonb_array_length(r.values->${literal(f)}) > 0 else false end)`),
  ];
  return conditions.length ? conditions.join(" and ") : null;
}

/** The COPY column of a cell, of the kind the plan chose (see lib/export/cells.ts); prompt cells read the joins of promptJoinSql. */
export function cellSql(s: CellSource, kind: CellKind, promptFields: string[] = []): string {
  switch (s.kind) {
    case "prompt": {
      const i = promptFields.indexOf(s.field);
      if (i < 0) throw new Error(`no join for the prompts of ${s.field}`);
      const m = `${promptAlias(i)}.m`;
      if (s.part !== "turns") return promptPartSql(m, s.part);
      // The messages between the system message and the final user message, as a JSON array.
      return `(select jsonb_agg(e order by n)::text from jsonb_array_elements(case jsonb_typeof(${m}) when 'array' then ${m} end) with ordinality t(e, n)
        where e->>'role' <> 'system' and n < jsonb_array_length(${m}))`;
    }
    case "field":
      return valueSql("x.v", s.name, kind);
    case "label":
      return valueSql("r.labels", s.name, kind);
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

/**
 * The flags columns after the cells (see cellLayout in lib/db/copy/binary.ts): bit j of
 * flags column k is set when flagged cell 31k + j holds a string.
 *
 * Asking a value's type copies the value (`->` builds a new jsonb). A field missing from
 * the record's nonTextFields holds a string, so only listed fields are asked; a null list
 * (records older than the column) asks for every field, as before. 1M records, five fields,
 * one of them a number: the COPY query took 2.34 s instead of 2.61 s (medians of five;
 * 1.96 s with no flags at all); JSONL export, ten alternating pairs: +15k rows/s median.
 */
export function flagsSql(cells: CellSource[], kinds: CellKind[]): string[] {
  const { flag, bit } = cellLayout(kinds);
  const columns = new Map<number, string[]>();
  cells.forEach((c, i) => {
    if (flag[i] < 0) return;
    if (c.kind === "meta" || c.kind === "prompt") throw new Error("record facts and prompts are prefixed or text cells, never flagged");
    const obj = c.kind === "field" ? "x.v" : "r.labels";
    const bits = columns.get(flag[i]) ?? [];
    const isString = `jsonb_typeof(${obj}->${literal(c.name)}) = 'string'`;
    const known = c.kind === "field" ? `${literal(c.name)} = any(r."nonTextFields") is false or ` : "";
    bits.push(`(case when ${known}${isString} then ${2 ** bit[i]} else 0 end)`);
    columns.set(flag[i], bits);
  });
  return [...columns.values()].map((bits) => `(${bits.join(" + ")})::int4`);
}

/** The split key of a record: the first 52 bits of md5("<seed>:<id>") (lib/export/split.ts). */
export function splitKeySql(seed: number): string {
  return `('x' || substr(md5(${literal(String(seed))} || ':' || r.id::text), 1, 13))::bit(52)::bigint`;
}

/** The value records are stratified by: a label's or field's text (JSON text for lists), null when absent. */
export function stratumSql(s: { kind: "field" | "label"; name: string }): string {
  return `${s.kind === "field" ? "r.values" : "r.labels"}->>${literal(s.name)}`;
}
