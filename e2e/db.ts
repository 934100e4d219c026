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

/** One sampled number and one LLM line about it: a request per record, the cheapest blueprint for runs of 10,000. */
export const ONE_LINE_BLUEPRINT = {
  fields: [
    { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true },
    { id: "b", kind: "llm", name: "text", system: "", prompt: "Write one line about {{ n }}.", model: "gpt-4o-mini", params: { max_tokens: 40 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
  ],
};

/** A project and an empty dataset whose draft is `blueprint`, written straight in SQL; returns the dataset's id. */
export async function emptyDataset(name: string, blueprint: object = ONE_LINE_BLUEPRINT): Promise<string> {
  const [p] = await query<{ id: string }>(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), $1, now()) returning id`, [name]);
  const [d] = await query<{ id: string }>(
    `insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, $2, $3, now()) returning id`,
    [p.id, name, JSON.stringify(blueprint)],
  );
  return d.id;
}

/** A dataset's records: how many, and how many distinct record numbers (a request answered twice lands twice). */
export async function recordCounts(datasetId: string): Promise<{ records: number; distinct: number }> {
  const [r] = await query<{ records: number; distinct: number }>(
    `select count(*)::int as records, count(distinct index)::int as distinct from "Record" where "datasetId" = $1`,
    [datasetId],
  );
  return r;
}
