// `./studio test`: the whole suite against real parts. Starts a throwaway embedded
// PostgreSQL, applies migrations, runs vitest (unit + db), builds the production bundle
// and runs Playwright against it in Chromium. `./studio test unit|db|e2e [filters]` runs
// one part, passing the filters to its runner.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { ROOT, buildIfStale, freePort, generatePrismaClient, run } from "./prepare";

const args = process.argv.slice(2);
const parts = args.filter((a) => ["unit", "db", "e2e", "typecheck"].includes(a));
// Anything else (file filters, -t patterns) goes to the runner of the chosen part.
const extra = args.filter((a) => !parts.includes(a));
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
    run(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "unit", ...extra]);
  }
  if (!want("db") && !want("e2e")) return;

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-test-"));
  // As root the embedded server runs as the `postgres` OS user. Opening our own throwaway
  // folder keeps its cluster here, removed below, rather than under /var/lib/datawright;
  // binaries it cannot reach (a checkout in /root) are placed there by startEmbeddedPostgres.
  fs.chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), database: "datawright_test" });
  try {
    await migrate(pg.url);
    const env = { DATABASE_URL: pg.url, TEST_PG_ADMIN_URL: pg.url.replace(/\/datawright_test$/, "/postgres") };
    if (want("db")) {
      log("Service tests against PostgreSQL");
      run(process.execPath, [path.join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--project", "db", ...extra], { env });
    }
    if (want("e2e")) {
      // One build directory per checkout: concurrent e2e runs (two terminals) take turns.
      const release = await lock(path.join(ROOT, ".next-e2e.lock"));
      try {
        log("Production build");
        buildIfStale(console.log);
        log("Browser tests (Playwright, Chromium)");
        run(process.execPath, [path.join(ROOT, "node_modules/@playwright/test/cli.js"), "test", ...extra], { env: { ...env, E2E_PORT: String(await freePort()) } });
      } finally {
        release();
      }
    }
  } finally {
    await pg.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A directory lock that survives nothing but its owner: a dead owner's lock is taken over. */
async function lock(dir: string): Promise<() => void> {
  for (let waited = 0; ; waited++) {
    try {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "pid"), String(process.pid));
      return () => fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      const owner = Number(fs.readFileSync(path.join(dir, "pid"), { encoding: "utf8", flag: "a+" }) || 0);
      let alive = false;
      try {
        alive = owner > 0 && (process.kill(owner, 0), true);
      } catch {
        alive = false;
      }
      if (!alive && waited > 2) fs.rmSync(dir, { recursive: true, force: true });
      if (waited === 0) log("Waiting for another e2e run in this checkout to finish ...");
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

main().catch((e) => {
  console.error(`\n[test] FAILED: ${(e as Error).message}`);
  process.exit(1);
});
