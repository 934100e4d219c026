import "server-only";
import { seedRowLookup, seedRowsNeeded } from "@/lib/blueprints/seed-rows";
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { previewValues } from "@/lib/records/long-values";
import { DEFAULT_MAX_BYTES, SeedTableParseError, parseSeedTable, type SeedTableFormat } from "@/lib/tabular/parse";

export const MAX_UPLOAD_BYTES = DEFAULT_MAX_BYTES;

/** No byte for this long and the upload is given up (a stalled client holds nothing). */
export const UPLOAD_IDLE_MS = 30_000;
/** A staged table this old was left by a process that died mid-upload. */
const STALE_UPLOAD_MS = 60 * 60_000;

/**
 * Streams an upload into a new seed table. The table is created incomplete and its rows
 * go in batch by batch, each one short statement: an upload that stalls or crawls holds no
 * transaction and no connection between batches (twenty stalled uploads used to hold
 * twenty transactions and exhaust the pool). Nothing reads an incomplete table, and a file
 * that turns out malformed on line 90,000 is deleted with its rows: it leaves nothing.
 */
export async function importSeedTable(
  db: Db,
  input: { datasetId: string; name: string; format: SeedTableFormat; body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>; idleMs?: number },
) {
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { id: true } });
  if (!dataset) throw notFound("The dataset");
  await db.seedTable.deleteMany({ where: { datasetId: input.datasetId, complete: false, createdAt: { lt: new Date(Date.now() - STALE_UPLOAD_MS) } } });
  const table = await db.seedTable.create({
    data: { datasetId: input.datasetId, name: input.name, format: input.format, columns: [], rowCount: 0, byteSize: 0, complete: false },
  });
  let saved = false;
  let stalled = false;
  const idleMs = input.idleMs ?? UPLOAD_IDLE_MS;
  try {
    // Tab-separated files are named as such; "auto" could tie with commas inside headers.
    const delimiter = /\.(tsv|tab)$/i.test(input.name) ? "\t" : "auto";
    const rows = parseSeedTable(idleTimeout(input.body, idleMs, () => (stalled = true)), { format: input.format, maxBytes: MAX_UPLOAD_BYTES, delimiter });
    let index = 0;
    for (;;) {
      const step = await rows.next();
      if (step.done) {
        const summary = step.value;
        const done = await db.seedTable.update({
          where: { id: table.id },
          data: { columns: summary.columns, rowCount: summary.rowCount, byteSize: summary.byteCount, complete: true },
        });
        saved = true;
        return done;
      }
      await db.seedRow.createMany({
        data: step.value.rows.map((row) => ({ seedTableId: table.id, index: index++, data: row as Prisma.InputJsonValue })),
      });
    }
  } catch (e) {
    // The parser reports any failed read as an interrupted upload; say which it was.
    if (stalled) throw new DomainError("invalid_input", `Nothing was saved: the upload stalled (nothing arrived for ${Math.round(idleMs / 1000)} s).`);
    if (e instanceof SeedTableParseError) {
      throw new DomainError(e.code === "too_large" ? "too_large" : "invalid_input", `Nothing was saved: ${e.message}`);
    }
    throw e;
  } finally {
    if (!saved) await db.seedTable.deleteMany({ where: { id: table.id } }).catch(() => {});
  }
}

/** The body's chunks, failing when none arrives for `ms` (a stalled upload). */
async function* idleTimeout(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>, ms: number, onStall: () => void): AsyncGenerator<Uint8Array> {
  // Node's web ReadableStream is async-iterable too.
  const it = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onStall();
          reject(new Error("upload stalled"));
        }, ms);
      });
      try {
        const step = await Promise.race([it.next(), stalled]);
        if (step.done) return;
        yield step.value;
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    // Not awaited: a stalled source's pending read may never settle, and return() waits for it.
    void it.return?.()?.catch(() => {});
  }
}

export async function listSeedTables(db: Db, datasetId: string) {
  return db.seedTable.findMany({ where: { datasetId, complete: true }, orderBy: { createdAt: "asc" } });
}

export async function seedTableRows(db: Db, seedTableId: string, offset: number, limit: number) {
  const table = await db.seedTable.findUnique({ where: { id: seedTableId } });
  if (!table || !table.complete) throw notFound("The seed table");
  const rows = await db.seedRow.findMany({
    where: { seedTableId, index: { gte: offset } },
    orderBy: { index: "asc" },
    take: limit,
  });
  // Long cells are cut (lib/records/long-values.ts); `long[i]` gives row i's full lengths.
  const cut = rows.map((r) => previewValues(r.data as Record<string, string>));
  return { table, rows: cut.map((c) => c.values as Record<string, string>), long: cut.map((c) => c.long) };
}

/** One cell in full: what "Show all" fetches for a value the rows cut. */
export async function seedTableValue(db: Db, seedTableId: string, index: number, column: string): Promise<string> {
  const rows = await db.$queryRaw<{ v: string | null }[]>`
    select r.data ->> ${column} as v from "SeedRow" r join "SeedTable" t on t.id = r."seedTableId"
    where r."seedTableId" = ${seedTableId}::uuid and r.index = ${index} and t.complete`;
  if (!rows[0] || rows[0].v === null) throw notFound("The value");
  return rows[0].v;
}

export async function deleteSeedTable(db: Db, id: string) {
  const { count } = await db.seedTable.deleteMany({ where: { id } });
  if (count === 0) throw notFound("The seed table");
}

/** Row counts of a dataset's seed tables, by table id: what samplers draw row indices from. */
export async function seedTableRowCounts(db: Db, datasetId: string): Promise<Record<string, number>> {
  const tables = await db.seedTable.findMany({ where: { datasetId, complete: true }, select: { id: true, rowCount: true } });
  return Object.fromEntries(tables.map((t) => [t.id, t.rowCount]));
}

/** The seed-table rows the given records read, fetched, as the lookup samplers take. */
export async function loadSeedRows(db: Db, blueprint: Blueprint, seed: number, recordIndices: readonly number[], rowCounts: Record<string, number>) {
  const plan = seedRowsNeeded(blueprint, seed, recordIndices, rowCounts);
  return seedRowLookup(plan, await fetchSeedRows(db, plan.byTable));
}

/** Fetches the given rows of several tables in one query per table. */
export async function fetchSeedRows(db: Db, byTable: Record<string, number[]>) {
  const out: Record<string, Record<number, Record<string, string>>> = {};
  await Promise.all(
    Object.entries(byTable).map(async ([seedTableId, indices]) => {
      const rows = await db.seedRow.findMany({ where: { seedTableId, index: { in: indices } } });
      out[seedTableId] = Object.fromEntries(rows.map((r) => [r.index, r.data as Record<string, string>]));
    }),
  );
  return out;
}

export function assertUploadName(name: string) {
  const trimmed = name.trim();
  if (!trimmed) throw invalid("The file has no name.");
  return trimmed.slice(0, 200);
}
