// `./studio test`: the whole suite against real parts. Starts a throwaway embedded
// PostgreSQL, applies migrations, runs vitest (unit + db), builds the production bundle
// and runs Playwright against it in Chromium. `./studio test unit|db|e2e` runs one part.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { ROOT, buildIfStale, freePort, generatePrismaClient, run } from "./prepare";

const parts = process.argv.slice(2).filter((a) => ["unit", "db", "e2e", "typecheck"].includes(a));
const want = (p: string) => parts.length === 0 || parts.includes(p);
const log = (s: string) => console.log(`\n[test] ${s}`);

async function main() {
  generatePrismaClient();
  if (want("typecheck")) {
    log("Type check");
    run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", ROOT]);
  }
  if (want("unit")) {
    log("Unit tests");
    run(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "unit"]);
  }
  if (!want("db") && !want("e2e")) return;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-test-"));
  // The embedded server runs as the `postgres` OS user when we are root; it must be able to enter the folder.
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), database: "datawright_test" });
  try {
    await migrate(pg.url);
    const env = { DATABASE_URL: pg.url, TEST_PG_ADMIN_URL: pg.url.replace(/\/datawright_test$/, "/postgres") };
    if (want("db")) {
      log("Service tests against PostgreSQL");
      run(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "db"], { env });
    }
    if (want("e2e")) {
      log("Production build");
      buildIfStale(console.log);
      log("Browser tests (Playwright, Chromium)");
      run(process.execPath, [path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test"], { env });
    }
  } finally {
    await pg.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`\n[test] FAILED: ${(e as Error).message}`);
  process.exit(1);
});
