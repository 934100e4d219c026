// `node --conditions=react-server --import tsx bench/export-standalone.ts [records]`:
// the export benchmarks against a throwaway embedded PostgreSQL, without touching
// bench/results.json (use `npm run bench -- export` for that).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { freePort, generatePrismaClient } from "../scripts/prepare";
import { benchExport } from "./export";

generatePrismaClient();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-bench-export-"));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), database: "datawright_bench" });
try {
  await migrate(pg.url);
  const records = Number(process.argv[2] ?? 1_000_000);
  const results = await benchExport({ databaseUrl: pg.url, records });
  console.log(JSON.stringify({ ...results, machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version } }, null, 2));
} finally {
  await pg.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
