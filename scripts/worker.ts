// `npm run worker`: one more process executing runs from the same queue. With
// DATABASE_URL it joins any team database; without, the studio's embedded database on
// this machine (start the studio first).
import { dataDir, env, useDatabaseUrl } from "../lib/env";
import { localEmbeddedUrl } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { generatePrismaClient } from "./prepare";

const cfg = env();
const url = cfg.DATABASE_URL ?? localEmbeddedUrl(dataDir(), cfg.DATAWRIGHT_PG_PORT);
if (!url) {
  console.error("[worker] No database: set DATABASE_URL, or start the studio on this machine first (./studio start).");
  process.exit(1);
}
useDatabaseUrl(url);
generatePrismaClient();
await migrate(url);
const { startRunWorker } = await import("../lib/runs/server/worker");
await startRunWorker({ databaseUrl: url, localConcurrency: cfg.DATAWRIGHT_WORKERS || 4, log: (m) => console.error(m) });
console.log(`[worker] Taking runs from the queue (up to ${cfg.DATAWRIGHT_WORKERS || 4} at once). Ctrl+C to stop; unfinished runs resume elsewhere.`);
