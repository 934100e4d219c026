// `./studio start`: embedded PostgreSQL (unless DATABASE_URL is set), migrations, the
// production build when sources changed, then `next start`. `--dev` runs `next dev`.
// Every failure ends in one sentence saying what to do (lib/startup/failure.ts); DEBUG=1
// prints the error and its stack before it. What can be checked cheaply (the data folder,
// both ports, a studio already running on this data) is checked before the slow steps.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { dataDir, debugRequested, env, isLoopback } from "../lib/env";
import { alreadyRunningMessage, runningServer, startEmbeddedPostgres, type EmbeddedDb } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { StartFailure, explainStartFailure, type StartContext } from "../lib/startup/failure";
import { ROOT, SERVER_NODE_FLAGS, buildIfStale, generatePrismaClient } from "./prepare";

const dev = process.argv.includes("--dev");
const t0 = performance.now();
const log = (s: string) => console.log(`[datawright] ${s}`);
const ctx: StartContext = { dataDir: path.resolve(".data") };
let embedded: EmbeddedDb | undefined;
let stopNext = () => {};

async function main() {
  const cfg = env();
  ctx.dataDir = dataDir();
  ctx.databaseUrl = cfg.DATABASE_URL;
  if (!isLoopback(cfg.DATAWRIGHT_HOST)) {
    // Beyond loopback, accounts are on (accountsRequired() in lib/env.ts): every page,
    // action and route asks for a signed-in person with a role.
    log(
      `Listening on ${cfg.DATAWRIGHT_HOST}: sign-in is required. With no account yet, the first person to open the studio creates the owner account; ` +
        `serve it behind TLS (sessions are cookies).`,
    );
  } else if (cfg.DATAWRIGHT_ACCOUNTS === "required") {
    log("DATAWRIGHT_ACCOUNTS=required: everyone signs in; with no account yet, the first person to open the studio creates the owner account.");
  }

  ensureWritable(ctx.dataDir);
  const pgDir = path.join(ctx.dataDir, "postgres");
  if (!cfg.DATABASE_URL) {
    const running = runningServer(pgDir);
    if (running) throw new StartFailure(alreadyRunningMessage(ctx.dataDir, running));
  }
  if (!(await portIsFree(cfg.DATAWRIGHT_HOST, cfg.DATAWRIGHT_PORT))) throw new StartFailure(webPortTaken(cfg.DATAWRIGHT_PORT));

  generatePrismaClient();

  let databaseUrl = cfg.DATABASE_URL;
  if (databaseUrl) {
    log("Using the PostgreSQL server in DATABASE_URL.");
  } else {
    embedded = await startEmbeddedPostgres({ dir: pgDir, port: cfg.DATAWRIGHT_PG_PORT });
    databaseUrl = embedded.url;
    log(
      embedded.relocated?.clusterDir
        ? `Embedded PostgreSQL running as the postgres user, who cannot enter this folder: its data lives in ${embedded.clusterDir} (password and secret key stay in ${ctx.dataDir}).`
        : `Embedded PostgreSQL running (data in ${embedded.clusterDir}).`,
    );
  }
  const applied = await migrate(databaseUrl);
  if (applied.length) log(`Applied migrations: ${applied.join(", ")}`);

  if (!dev) buildIfStale(log);

  const next = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, path.join(ROOT, "node_modules/next/dist/bin/next"), dev ? "dev" : "start", "-H", cfg.DATAWRIGHT_HOST, "-p", String(cfg.DATAWRIGHT_PORT)],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: dev ? "development" : "production" },
    },
  );
  stopNext = () => next.kill("SIGTERM");
  let ready = false;
  // Until it is ready, Next's error output is kept for the failure (a stack trace of its own).
  let early = "";
  next.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString();
    // Next prints its own banner; ours is the one line a user needs.
    if (/Ready in|✓ Ready/.test(text)) {
      ready = true;
      const host = cfg.DATAWRIGHT_HOST === "0.0.0.0" ? "127.0.0.1" : cfg.DATAWRIGHT_HOST;
      log(`Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s: open http://${host}:${cfg.DATAWRIGHT_PORT}`);
    } else if (dev || /error|warn/i.test(text)) process.stdout.write(text);
  });
  next.stderr.on("data", (chunk: Buffer) => {
    if (ready) process.stderr.write(chunk);
    else early = (early + chunk.toString()).slice(-16_384);
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
    if (stopping) return;
    if (!ready) {
      const cause = new Error(`next ${dev ? "dev" : "start"} exited with code ${code}:\n${early}`);
      const firstError = early.split("\n").find((l) => /error/i.test(l))?.trim();
      void fail(
        /EADDRINUSE/.test(early)
          ? new StartFailure(webPortTaken(cfg.DATAWRIGHT_PORT), { cause })
          : new StartFailure(`The web server stopped before it was ready (${firstError ?? `exit code ${code}`}): run again with DEBUG=1 to see its output.`, { cause }),
      );
      return;
    }
    console.error(`[datawright] The web server exited (code ${code}): start the studio again with ./studio start.`);
    void stop(code ?? 1);
  });
}

function webPortTaken(port: number): string {
  return `Port ${port}, the studio's web port, is already taken by another program: stop that program, or choose another port with DATAWRIGHT_PORT=<port>.`;
}

/** Writes and removes a file in the data folder, so a folder that cannot hold the database is named before anything starts. */
function ensureWritable(dir: string) {
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, "ok");
    fs.rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOSPC") throw e;
    const why =
      code === "EROFS" ? "read-only file system"
      : code === "ENOTDIR" || code === "EEXIST" ? "a file is in the way of that folder"
      : code === "EPERM" ? "operation not permitted"
      : code === "EACCES" ? "permission denied"
      : ((e as Error).message ?? String(e));
    throw new StartFailure(
      `The data folder ${dir} cannot be written (${why}): make it writable, or choose another folder with DATAWRIGHT_DATA_DIR=<folder>.`,
      { cause: e },
    );
  }
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", (e: NodeJS.ErrnoException) => resolve(e.code !== "EADDRINUSE" && e.code !== "EACCES"));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

let failing = false;
async function fail(e: unknown) {
  if (failing) return;
  failing = true;
  if (debugRequested()) console.error(e);
  console.error(`[datawright] ${explainStartFailure(e, ctx)}`);
  stopNext();
  await embedded?.stop().catch(() => {});
  process.exit(1);
}

process.on("uncaughtException", (e) => void fail(e));
process.on("unhandledRejection", (e) => void fail(e));
main().catch((e) => void fail(e));
