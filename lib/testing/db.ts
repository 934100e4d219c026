// Helpers for tests against the real PostgreSQL that scripts/test.ts starts.
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { closeRawPool, createRawPool } from "@/lib/db/copy/server/raw-pg";
import { migrate } from "@/lib/db/server/migrate";
import { useDatabaseUrl } from "@/lib/env";
import { createPrisma, type Db } from "@/lib/db/server/prisma";

function testUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run the database tests through `./studio test db`.");
  return url;
}

export function testDb() {
  return createPrisma(testUrl());
}

/** A plain pg client on the test database (raw SQL, COPY), connected before the file's tests and closed after. */
export function testPgClient(): pg.Client {
  const client = new pg.Client({ connectionString: testUrl() });
  beforeAll(() => client.connect());
  afterAll(() => client.end());
  return client;
}

/** A plain pg pool on the test database (what services take as `rawPool()`), ended after the file's tests. */
export function testRawPool(max = 2): pg.Pool {
  const pool = createRawPool(testUrl(), max);
  afterAll(() => pool.end());
  return pool;
}

/** A new, empty database (for migration tests); dropped by the returned function. */
export async function scratchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = process.env.TEST_PG_ADMIN_URL;
  if (!admin) throw new Error("TEST_PG_ADMIN_URL is not set: run the database tests through `./studio test db`.");
  const name = `${prefix}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database "${name}"`);
  await c.end();
  return {
    url: admin.replace(/\/[^/]+$/, `/${name}`),
    async drop() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists "${name}" with (force)`);
      await d.end();
    },
  };
}

/**
 * A migrated database of the file's own (kept to the end of the run, see afterAll): for state the files
 * sharing the test database must not meet (worker processes other files spawn join any
 * running run with free chunks; accounts turn a studio to sign-in).
 *
 * `processWide`: the file's DATABASE_URL becomes this database (before any test reads
 * env()), so what reads the setting rather than taking a client (rawPool(), enqueueRun,
 * worker processes started with spawnWorker) uses it too. For files that start worker
 * processes: a worker joins any running run with free chunks in its database, so on the
 * shared one it took chunks of other files' runs and held them until its file killed it.
 */
export function ownDatabase(prefix: string, opts: { processWide?: boolean } = {}): { get(): { db: Db; url: string } } {
  let state: { db: Db; url: string } | undefined;
  beforeAll(async () => {
    const scratch = await scratchDatabase(prefix);
    await migrate(scratch.url);
    if (opts.processWide) useDatabaseUrl(scratch.url);
    state = { ...scratch, db: createPrisma(scratch.url) };
  });
  afterAll(async () => {
    await state?.db.$disconnect();
    if (opts.processWide) await closeRawPool();
    // Left for the run's end, not dropped: DROP DATABASE forces a checkpoint, and with six
    // files dropping theirs while the rest of the suite wrote, two drops outlasted the 60 s
    // hook timeout on a slow machine (2026-12-05). scripts/test.ts deletes the whole cluster.
  });
  return { get: () => state! };
}

export const uniqueName = (what: string) => `${what} ${crypto.randomUUID().slice(0, 8)}`;
