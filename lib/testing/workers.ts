// `npm run worker` as a separate process, for tests and benchmarks of several processes on
// one database: the crash guarantee is about a process dying, so it is tested with one.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Starts a worker process on process.env.DATABASE_URL; `ready` resolves once it takes
 * runs (it prints so after joining the queue), `exited` when it is gone.
 */
export function spawnWorker(env: Record<string, string> = {}): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, DATAWRIGHT_WORKERS: "2", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      if (out.includes("[worker] Taking runs")) resolve();
    });
    void exited.then(() => reject(new Error(`the worker exited before taking runs (code ${child.exitCode})`)));
  });
  ready.catch(() => {});
  // Drained so a chatty worker never blocks on a full pipe.
  child.stderr!.on("data", (b: Buffer) => { if (String(b).includes("[debug]")) process.stderr.write(`[child ${child.pid}] ${b}`); });
  return { child, ready, exited };
}
