// `./studio start`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, the
// production build when sources changed, then `next start`. `--dev` runs `next dev`.
import { spawn } from "node:child_process";
import path from "node:path";
import { dataDir, env, isLoopback } from "../lib/env";
import { startEmbeddedPostgres, type EmbeddedDb } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { ROOT, SERVER_NODE_FLAGS, buildIfStale, generatePrismaClient } from "./prepare";

const dev = process.argv.includes("--dev");
const t0 = performance.now();
const log = (s: string) => console.log(`[datawright] ${s}`);

async function main() {
  const cfg = env();
  if (!isLoopback(cfg.DATAWRIGHT_HOST)) {
    console.warn(
      `[datawright] WARNING: listening on ${cfg.DATAWRIGHT_HOST}. The studio has no sign-in yet: ` +
        `anyone who can reach this address can read your datasets and use your provider keys.`,
    );
  }

  generatePrismaClient();

  let embedded: EmbeddedDb | undefined;
  let databaseUrl = cfg.DATABASE_URL;
  if (databaseUrl) {
    log("Using the PostgreSQL server in DATABASE_URL.");
  } else {
    const dir = path.join(dataDir(), "postgres");
    embedded = await startEmbeddedPostgres({ dir, port: cfg.DATAWRIGHT_PG_PORT });
    databaseUrl = embedded.url;
    log(`Embedded PostgreSQL running (data in ${dir}).`);
  }
  const applied = await migrate(databaseUrl);
  if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);

  if (!dev) buildIfStale(log);

  const next = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, path.join(ROOT, "node_modules/next/dist/bin/next"), dev ? "dev" : "start", "-H", cfg.DATAWRIGHT_HOST, "-p", String(cfg.DATAWRIGHT_PORT)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: dev ? "development" : "production" },
    },
  );
  next.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    // Next prints its own banner; ours is the one line a user needs.
    if (/Ready in|✓ Ready/.test(text)) {
      const host = cfg.DATAWRIGHT_HOST === "0.0.0.0" ? "127.0.0.1" : cfg.DATAWRIGHT_HOST;
      log(`Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: open http://${host}:${cfg.DATAWRIGHT_PORT}`);
    } else if (dev || /error|warn/i.test(text)) process.stdout.write(text);
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    next.kill("SIGTERM");
    await embedded?.stop().catch(() => {});
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  next.on("exit", (code) => {
    if (!stopping) {
      console.error(`[datawright] The web server exited (code ${code}).`);
      void stop(code ?? 1);
    }
  });
}

main().catch((e) => {
  console.error(`[datawright] Could not start: ${(e as Error).message}`);
  process.exit(1);
});
