import "server-only";
// Record numbers: one numbering per dataset. Each run and each import takes a block from
// Dataset.nextRecordIndex, so a record's `index` is its number in the dataset and two runs
// never show the same numbers. Taking a block is one short UPDATE, outside any long
// transaction (an import's COPY runs for minutes; its foreign-key check only share-locks
// the dataset row's key, which this update does not touch).
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";

type Tx = Pick<Db, "$queryRaw" | "$executeRaw">;

/** Reserves `count` consecutive numbers and returns the first. */
export async function reserveRecordNumbers(db: Tx, datasetId: string, count: number): Promise<number> {
  const rows = await db.$queryRaw<{ first: number }[]>`
    update "Dataset" set "nextRecordIndex" = "nextRecordIndex" + ${count}::int
    where id = ${datasetId}::uuid
    returning "nextRecordIndex" - ${count}::int as first`;
  if (!rows[0]) throw notFound("The dataset");
  return rows[0].first;
}

/** Gives back the unused tail [from, end) of a block, when nobody took numbers after it. */
export async function releaseRecordNumbers(db: Tx, datasetId: string, from: number, end: number): Promise<void> {
  if (from >= end) return;
  await db.$executeRaw`update "Dataset" set "nextRecordIndex" = ${from}::int where id = ${datasetId}::uuid and "nextRecordIndex" = ${end}::int`;
}
