import "server-only";
import { seedRowLookup, seedRowsNeeded } from "@/lib/blueprints/preview";
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DEFAULT_MAX_BYTES, SeedTableParseError, parseSeedTable, type SeedTableFormat } from "../parse";

export const MAX_UPLOAD_BYTES = DEFAULT_MAX_BYTES;

/**
 * Streams an upload into a new seed table. Every row is written inside one transaction:
 * a file that turns out malformed on line 90,000 leaves nothing behind.
 */
export async function importSeedTable(
  db: Db,
  input: { datasetId: string; name: string; format: SeedTableFormat; body: ReadableStream<Uint8Array> },
) {
  const dataset = await db.dataset.findUnique({ where: { id: input.datasetId }, select: { id: true } });
  if (!dataset) throw notFound("The dataset");
  try {
    return await db.$transaction(
      async (tx) => {
        const table = await tx.seedTable.create({
          data: { datasetId: input.datasetId, name: input.name, format: input.format, columns: [], rowCount: 0, byteSize: 0 },
        });
        // Tab-separated files are named as such; "auto" could tie with commas inside headers.
        const delimiter = /\.(tsv|tab)$/i.test(input.name) ? "\t" : "auto";
        const rows = parseSeedTable(input.body, { format: input.format, maxBytes: MAX_UPLOAD_BYTES, delimiter });
        let index = 0;
        for (;;) {
          const step = await rows.next();
          if (step.done) {
            const summary = step.value;
            return tx.seedTable.update({
              where: { id: table.id },
              data: { columns: summary.columns, rowCount: summary.rowCount, byteSize: summary.byteCount },
            });
          }
          await tx.seedRow.createMany({
            data: step.value.rows.map((row) => ({ seedTableId: table.id, index: index++, data: row as Prisma.InputJsonValue })),
          });
        }
      },
      // A 100 MB file takes longer than Prisma's 5 s default for an interactive transaction.
      { timeout: 10 * 60_000, maxWait: 10_000 },
    );
  } catch (e) {
    if (e instanceof SeedTableParseError) {
      throw new DomainError(e.code === "too_large" ? "too_large" : "invalid_input", `Nothing was saved: ${e.message}`);
    }
    throw e;
  }
}

export async function listSeedTables(db: Db, datasetId: string) {
  return db.seedTable.findMany({ where: { datasetId }, orderBy: { createdAt: "asc" } });
}

export async function seedTableRows(db: Db, seedTableId: string, offset: number, limit: number) {
  const table = await db.seedTable.findUnique({ where: { id: seedTableId } });
  if (!table) throw notFound("The seed table");
  const rows = await db.seedRow.findMany({
    where: { seedTableId, index: { gte: offset } },
    orderBy: { index: "asc" },
    take: limit,
  });
  return { table, rows: rows.map((r) => r.data as Record<string, string>) };
}

export async function deleteSeedTable(db: Db, id: string) {
  const { count } = await db.seedTable.deleteMany({ where: { id } });
  if (count === 0) throw notFound("The seed table");
}

/** Row counts of a dataset's seed tables, by table id: what samplers draw row indices from. */
export async function seedTableRowCounts(db: Db, datasetId: string): Promise<Record<string, number>> {
  const tables = await db.seedTable.findMany({ where: { datasetId }, select: { id: true, rowCount: true } });
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
