// `node --conditions=react-server --import tsx bench/review-standalone.ts [baseUrl]`: the review
// benchmarks on a throwaway embedded PostgreSQL, without touching bench/results.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { freePort, generatePrismaClient } from "../scripts/prepare";

generatePrismaClient();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-bench-review-"));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), database: "datawright_bench" });
try {
  await migrate(pg.url);
  const { benchReview } = await import("./review");
  console.log(JSON.stringify(await benchReview({ databaseUrl: pg.url, baseUrl: process.argv[2] }), null, 2));
} finally {
  await pg.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
