// SQL that takes a database from one Prisma schema to another, computed offline by
// Prisma 6's WASM schema engine. Shared by `npm run db:migration` and the drift test.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Prisma 6 insists on a datasource url in the schema; Prisma 7 forbids it. */
function asPrisma6Schema(source: string, dir: string, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, source.replace(/provider\s*=\s*"postgresql"/, 'provider = "postgresql"\n  url      = env("DATABASE_URL")'));
  return file;
}

export function diffSql(opts: { from: string | null; to: string; databaseUrl: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-diff-"));
  try {
    const to = asPrisma6Schema(opts.to, dir, "to.prisma");
    const fromArgs = opts.from === null ? ["--from-empty"] : ["--from-schema-datamodel", asPrisma6Schema(opts.from, dir, "from.prisma")];
    const res = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/prisma6/build/index.js"), "migrate", "diff", "--config", path.join(ROOT, "prisma/diff-engine.config.ts"), ...fromArgs, "--to-schema-datamodel", to, "--script"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: {
          ...process.env,
          DATABASE_URL: opts.databaseUrl,
          // The WASM engine does the work; these only stop Prisma from downloading binaries.
          PRISMA_QUERY_ENGINE_LIBRARY: process.execPath,
          PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
          PRISMA_HIDE_UPDATE_MESSAGE: "1",
        },
      },
    );
    if (res.status !== 0) throw new Error(`prisma migrate diff failed:\n${res.stdout}\n${res.stderr}`);
    return res.stdout.replace(/^Loaded Prisma config.*\n+/m, "");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
