import "server-only";
// Indexes on a dataset's record values, so the grid can sort or filter a large dataset by
// a field. Without one, "topic is music, sorted by n" reads every matching record of
// 100,000 (~120 ms); with one it reads a page (~3 ms).
//
// They are built when records land in bulk (a run finishes, an import commits) for the
// dataset's short-valued fields, never from a read: a GET that started CREATE INDEX let
// any reader spend the dataset's slots and the server's time (issue 13). Reads only note
// which indexes they use, for the eviction order.
//
// Each index is partial (WHERE "datasetId" = ...), so it costs nothing to other datasets'
// writes, and is built CONCURRENTLY in the background so no write waits for it. PostgreSQL's
// planner does not use a partial index's statistics, so a statistics object on the same key
// expression (one per field name, shared by datasets) tells it how common each value is;
// without it the planner assumes any value is rare and sorts every match instead of walking
// the index.
//
// Names: manual_rv<version>_<dataset id hex>_<field hash> for indexes (the migration drift
// test ignores manual_*), manual_rs_<field hash> for statistics; each index's comment holds
// its field name, so evicting it can drop the field's statistics when no index uses them.
// The version changes with the key expression (value-key.ts), so an index on an old key is
// never taken for a current one; the migration that changes the key drops the old indexes
// and statistics, and the next landing of records builds the new ones.
//
// Only the dataset's own fields are indexed (in its blueprint or in its records), at most
// MAX_PER_DATASET; a full quota evicts the index used least recently.
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/server/prisma";
import { literal } from "@/lib/db/server/sql-literal";
import { datasetFields, RECENT_RECORDS } from "./fields";
import { KEY_CHARS, valueKeySql } from "./value-key";

/** Below this many records a dataset is read whole faster than an index pays for itself. */
export const MIN_RECORDS = 5_000;
/** Each index slows this dataset's writes a little; past this many, sorts go without. */
export const MAX_PER_DATASET = 12;

/** 2: the key is datawright_value_key(values->'field') (migration 20261204101326_value_key_function). */
const INDEX_PREFIX = "manual_rv2_";
const hash = (s: string, hex: number) => createHash("sha256").update(s).digest("hex").slice(0, hex);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The dataset id goes into index names (identifiers), so it must be exactly a uuid. */
const datasetPrefix = (datasetId: string) => {
  if (!UUID.test(datasetId)) throw new Error(`Not a dataset id: ${JSON.stringify(datasetId)}`);
  return `${INDEX_PREFIX}${datasetId.replaceAll("-", "").toLowerCase()}_`;
};
export const valueIndexName = (datasetId: string, field: string) => `${datasetPrefix(datasetId)}${hash(field, 8)}`;
const statisticsName = (field: string) => `manual_rs_${hash(field, 16)}`;

/** dataset/field builds queued or running, so a second request does not queue it again. */
const pending = new Set<string>();
/** index name -> when a read last used it (this process): the eviction order. */
const lastUsed = new Map<string, number>();
/** Builds run one after another: two concurrent builds on one table deadlock each other. */
let queue: Promise<unknown> = Promise.resolve();

/** The fields a filter or sort reads by key (grid reads call this; it writes nothing to the database). */
export function noteValueIndexUse(datasetId: string, fields: Iterable<string>): void {
  if (!UUID.test(datasetId)) return; // the page's own query reports a bad id
  for (const field of fields) lastUsed.set(valueIndexName(datasetId, field), Date.now());
}

/**
 * After records landed in bulk: queues the indexes of the dataset's fields whose values are
 * short (categories, numbers, labels of a few words), in the blueprint's order. Long text
 * (an answer) is not worth one: its key is a 200-character prefix, nobody sorts answers
 * alphabetically, and its index would be the largest. Never rejects; resolves once the
 * builds are queued (valueIndexBuildsSettled waits for them), so callers need not wait.
 */
export function indexDatasetFields(db: Db, datasetId: string): Promise<void> {
  return sortableFields(db, datasetId).then(
    (fields) => requestValueIndexes(db, datasetId, fields),
    (e: unknown) => console.warn(`[datawright] could not list the fields of dataset ${datasetId} to index: ${e instanceof Error ? e.message : String(e)}`),
  );
}

/** The dataset's fields (lib/records/server/fields.ts) whose recent values all fit a key whole. */
export async function sortableFields(db: Db, datasetId: string): Promise<string[]> {
  const fields = await datasetFields(db, datasetId);
  if (!fields.length) return [];
  const long = await db.$queryRaw<{ k: string }[]>`
    select distinct e.k from (select values from "Record" where "datasetId" = ${datasetId}::uuid order by "createdAt" desc limit ${RECENT_RECORDS}) r,
      jsonb_each(r.values) e(k, v)
    where length(case when jsonb_typeof(e.v) = 'string' then e.v #>> '{}' else e.v::text end) > ${KEY_CHARS}`;
  const skip = new Set(long.map((l) => l.k));
  return fields.filter((f) => !skip.has(f)).slice(0, MAX_PER_DATASET);
}

/**
 * Builds the indexes for these fields in the background, one after another, where the
 * dataset is large enough and they do not exist yet. Never throws and never waits: a
 * failed build is logged and tried again at the next landing.
 */
export function requestValueIndexes(db: Db, datasetId: string, fields: Iterable<string>): void {
  if (!UUID.test(datasetId)) return;
  let built = 0;
  for (const field of new Set(fields)) {
    const key = `${datasetId}\u0000${field}`;
    if (pending.has(key)) continue;
    pending.add(key);
    queue = queue
      .then(() => buildValueIndex(db, datasetId, field, { analyze: false, onBuilt: () => built++ }))
      .catch((e: unknown) => console.warn(`[datawright] could not index field "${field}" of dataset ${datasetId}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => pending.delete(key));
  }
  // One ANALYZE for the batch fills in the new statistics objects.
  queue = queue.then(() => (built ? db.$executeRawUnsafe(`analyze "Record"`) : 0)).catch((e: unknown) => console.warn(`[datawright] could not analyze records: ${e instanceof Error ? e.message : String(e)}`));
}

/** Resolves when every build requested so far has finished (tests and the benchmark wait on it). */
export function valueIndexBuildsSettled(): Promise<void> {
  return queue.then(() => undefined);
}

/**
 * Builds the index for one field and waits for it. Returns false when the dataset is too
 * small to need one (try later), true when the index exists or the dataset has its quota.
 * `analyze: false` leaves filling in the statistics to the caller (one ANALYZE for a batch;
 * `onBuilt` tells it whether this call made an index).
 */
export async function buildValueIndex(db: Db, datasetId: string, field: string, opts: { maxPerDataset?: number; analyze?: boolean; onBuilt?: () => void } = {}): Promise<boolean> {
  const name = valueIndexName(datasetId, field);
  const [existing] = await db.$queryRaw<{ valid: boolean }[]>`
    select i.indisvalid as valid from pg_class c join pg_index i on i.indexrelid = c.oid where c.relname = ${name}`;
  if (existing?.valid) return true;
  // A concurrent build that failed (or was interrupted) leaves an invalid index behind.
  if (existing) await db.$executeRawUnsafe(`drop index concurrently if exists "${name}"`);

  const [{ n }] = await db.$queryRaw<{ n: number }[]>`
    select count(*)::int as n from (select 1 from "Record" where "datasetId" = ${datasetId}::uuid limit ${MIN_RECORDS}) x`;
  if (n < MIN_RECORDS) return false;
  if (!(await isDatasetField(db, datasetId, field))) return false;
  const existingNames = await datasetIndexNames(db, datasetId);
  if (existingNames.length >= (opts.maxPerDataset ?? MAX_PER_DATASET)) {
    // Least recently used first; an index no request of this process has used counts as oldest.
    const victim = existingNames.sort((a, b) => (lastUsed.get(a) ?? 0) - (lastUsed.get(b) ?? 0))[0];
    await dropIndex(db, victim);
  }

  await db.$executeRawUnsafe(`create statistics if not exists "${statisticsName(field)}" on ${valueKeySql(field)} from "Record"`);
  await db.$executeRawUnsafe(
    `create index concurrently if not exists "${name}" on "Record" (${valueKeySql(field)}, "createdAt", index, id) where "datasetId" = ${literal(datasetId)}::uuid`,
  );
  await db.$executeRawUnsafe(`comment on index "${name}" is ${literal(field)}`);
  lastUsed.set(name, Date.now());
  // Fills in the new statistics (and refreshes the rest): a sample, so ~0.5 s at any size.
  opts.onBuilt?.();
  if (opts.analyze !== false) await db.$executeRawUnsafe(`analyze "Record"`);
  return true;
}

/**
 * Statistics on each label's value (`labels->>'name'`, as the grid's label filter reads it),
 * shared by datasets like the value statistics. Without them the planner guesses any label
 * value matches 1.5 % of records; "label good" then matched 14 %, so past the first pages
 * it sorted every record of the dataset in parallel instead of walking the sort's index
 * (69 ms p95 for "label good, by tokens"). Filled in by the next ANALYZE (autovacuum's).
 */
export async function ensureLabelStatistics(db: Db, labels: string[]): Promise<void> {
  for (const name of new Set(labels)) {
    await db.$executeRawUnsafe(`create statistics if not exists "manual_rl_${hash(name, 16)}" on (labels->>${literal(name)}) from "Record"`);
  }
}

/** Drops a deleted dataset's value indexes (its records are gone; the indexes would stay). */
export async function dropValueIndexes(db: Db, datasetIds: string[]): Promise<void> {
  for (const datasetId of datasetIds) {
    for (const name of await datasetIndexNames(db, datasetId)) await dropIndex(db, name);
  }
}

/** A field of the dataset's blueprint, or a key of its records' values. */
async function isDatasetField(db: Db, datasetId: string, field: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ known: boolean }[]>`
    select exists (select 1 from "Dataset" d, jsonb_array_elements(case when jsonb_typeof(d.draft->'fields') = 'array' then d.draft->'fields' else '[]'::jsonb end) f
                   where d.id = ${datasetId}::uuid and f->>'name' = ${field})
        or exists (select 1 from "Record" where "datasetId" = ${datasetId}::uuid and values ? ${field}) as known`;
  return row?.known === true;
}

/** Drops an index, and its field's statistics object once no index on that field is left. */
async function dropIndex(db: Db, name: string): Promise<void> {
  const [described] = await db.$queryRaw<{ field: string | null }[]>`
    select obj_description(c.oid, 'pg_class') as field from pg_class c where c.relname = ${name}`;
  await db.$executeRawUnsafe(`drop index concurrently if exists "${name}"`);
  lastUsed.delete(name);
  const field = described?.field;
  if (!field) return;
  const suffix = `_${hash(field, 8)}`;
  const [others] = await db.$queryRaw<{ n: number }[]>`
    select count(*)::int as n from pg_class c where c.relkind = 'i' and starts_with(c.relname, ${INDEX_PREFIX}) and obj_description(c.oid, 'pg_class') = ${field} and right(c.relname, ${suffix.length}) = ${suffix}`;
  if (others.n === 0) await db.$executeRawUnsafe(`drop statistics if exists "${statisticsName(field)}"`);
}

async function datasetIndexNames(db: Db, datasetId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    select relname as name from pg_class where relkind = 'i' and starts_with(relname, ${datasetPrefix(datasetId)})`;
  return rows.map((r) => r.name);
}
