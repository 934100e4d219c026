// Migrations are hand-applied SQL (see migrate.ts), so two things must hold: they apply
// cleanly and idempotently, and they build exactly the database schema.prisma describes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { scratchDatabase } from "@/lib/testing/db";
import { diffSql } from "@/scripts/prisma-diff";
import { MIGRATIONS_DIR, migrate, readMigrations } from "./migrate";

/** Everything about a database's structure that a migration can change, in a comparable form. */
async function describeSchema(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const q = async (sql: string) => (await c.query(sql)).rows;
    return {
      columns: await q(`select table_name, column_name, data_type, udt_name, is_nullable, column_default,
                               character_maximum_length, numeric_precision, datetime_precision
                        from information_schema.columns
                        where table_schema = 'public' and table_name <> '_prisma_migrations'
                        order by table_name, column_name`),
      // Indexes named manual_* are hand-written in migrations (expression indexes that
      // schema.prisma cannot express); everything else must match the schema.
      indexes: await q(`select tablename, indexname, indexdef from pg_indexes
                        where schemaname = 'public' and tablename <> '_prisma_migrations'
                          and indexname not like 'manual\\_%' order by indexname`),
      constraints: await q(`select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def
                            from pg_constraint where connamespace = 'public'::regnamespace
                            and conrelid is distinct from to_regclass('_prisma_migrations') order by conname`),
      enums: await q(`select t.typname, array_agg(e.enumlabel order by e.enumsortorder) as labels
                      from pg_type t join pg_enum e on e.enumtypid = t.oid group by t.typname order by t.typname`),
    };
  } finally {
    await c.end();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

describe("migrations", () => {
  test("apply to an empty database once; a second run applies nothing", async () => {
    const db = await scratchDatabase("mig");
    cleanups.push(db.drop);
    const first = await migrate(db.url);
    expect(first).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db.url)).toEqual([]);
  });

  test("refuse a migration edited after it was applied", async () => {
    const db = await scratchDatabase("mig_edit");
    cleanups.push(db.drop);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-mig-"));
    try {
      fs.cpSync(MIGRATIONS_DIR, copy, { recursive: true });
      await migrate(db.url, copy);
      const first = readMigrations(copy)[0];
      fs.appendFileSync(path.join(copy, first.name, "migration.sql"), "\n-- edited\n");
      await expect(migrate(db.url, copy)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  test("build exactly the schema in schema.prisma (no drift)", async () => {
    const fromMigrations = await scratchDatabase("drift_mig");
    const fromSchema = await scratchDatabase("drift_schema");
    cleanups.push(fromMigrations.drop, fromSchema.drop);
    await migrate(fromMigrations.url);

    const schema = fs.readFileSync(path.resolve(MIGRATIONS_DIR, "../schema.prisma"), "utf8");
    const sql = diffSql({ from: null, to: schema, databaseUrl: fromSchema.url });
    const c = new pg.Client({ connectionString: fromSchema.url });
    await c.connect();
    await c.query(sql);
    await c.end();

    const [a, b] = await Promise.all([describeSchema(fromMigrations.url), describeSchema(fromSchema.url)]);
    // On failure: run `npm run db:migration -- <name>` to write the missing migration.
    expect(a).toEqual(b);
  }, 120_000);
});
