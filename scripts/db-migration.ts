// `npm run db:migration -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
// with the SQL from the schema at a git ref (default HEAD) to the working schema.prisma.
// The drift test then proves the migrations and schema.prisma agree.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { freePort } from "./prepare";
import { diffSql } from "./prisma-diff";

const ROOT = path.resolve(import.meta.dirname, "..");
const name = process.argv[2];
const ref = process.argv.includes("--from") ? process.argv[process.argv.indexOf("--from") + 1] : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <snake_case_name> [--from <git-ref>]");
  process.exit(2);
}
const from = execFileSync("git", ["show", `${ref}:prisma/schema.prisma`], { cwd: ROOT, encoding: "utf8" });
const to = fs.readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-mig-"));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort() });
try {
  const sql = diffSql({ from, to, databaseUrl: pg.url });
  if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
    console.log("schema.prisma has no changes since", ref);
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const out = path.join(ROOT, "prisma/migrations", `${stamp}_${name}`);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "migration.sql"), sql);
    console.log(`Wrote ${path.relative(ROOT, out)}/migration.sql`);
  }
} finally {
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
