import pg from "pg";
import { createSeedDataset, seedRecords } from "../lib/testing/seed-records";

/** One statement on the studio's database (DATABASE_URL from scripts/test.ts), for a spec's setup and checks. */
export async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/**
 * A dataset of `n` seeded records (lib/testing/seed-records.ts) written straight in SQL, for
 * specs that need records but no generation; `then` runs on the same connection first
 * (a label schema, a long value).
 */
export async function seededDataset(name: string, n: number, then?: (c: pg.Client, datasetId: string) => Promise<unknown>): Promise<string> {
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await c.connect();
  try {
    const ds = await createSeedDataset(c, `${name} ${Date.now().toString(36)}`);
    await seedRecords(c, { datasetId: ds.datasetId, runId: ds.runIds[0] }, n);
    await then?.(c, ds.datasetId);
    return ds.datasetId;
  } finally {
    await c.end();
  }
}
