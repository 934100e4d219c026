// `./studio start` in each condition that stops it: it must end in one plain sentence
// saying what to do, with no stack trace unless DEBUG=1. Each case runs scripts/start.ts
// as a child process, as a user would; all of them fail before the slow steps (build).
// A full disk cannot be produced here: lib/startup/failure.test.ts covers its sentence.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/server/embedded-postgres";
import { ROOT, freePort } from "./prepare";

type Outcome = { code: number | null; output: string; last: string };

function runStart(env: Record<string, string>): Promise<Outcome> {
  // Only what a shell would pass on; the test's own DATABASE_URL must not leak in.
  const base: Record<string, string> = Object.fromEntries(["PATH", "HOME", "LANG", "TMPDIR"].filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/start.ts")], {
      cwd: ROOT,
      env: { ...base, NODE_ENV: "production", DATAWRIGHT_PORT: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c));
    child.stderr.on("data", (c: Buffer) => (output += c));
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = output.trim().split("\n");
      resolve({ code, output, last: lines[lines.length - 1] });
    });
  });
}

/** Fails, ends in one `[datawright]` sentence matching `sentence`, and shows no stack trace. */
function expectPlainFailure(r: Outcome, sentence: RegExp) {
  expect(r.code, r.output).toBe(1);
  expect(r.output, r.output).not.toMatch(/^\s+at /m);
  expect(r.output).not.toMatch(/Error:|node:internal/);
  expect(r.last).toMatch(/^\[datawright\] [^\n]+\.$/);
  expect(r.last).toMatch(sentence);
}

function listen(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(port, "127.0.0.1", () => resolve(srv));
  });
}

describe("./studio start failures", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dw-start-"));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const dataDir = (name: string) => path.join(tmp, name, ".data");

  it("web port in use", async () => {
    const port = await freePort();
    const taken = await listen(port);
    try {
      const r = await runStart({ DATAWRIGHT_DATA_DIR: dataDir("web"), DATAWRIGHT_PORT: String(port), DATAWRIGHT_PG_PORT: String(await freePort()) });
      expectPlainFailure(r, new RegExp(`Port ${port}, the studio's web port, is already taken .*DATAWRIGHT_PORT=<port>`));
    } finally {
      taken.close();
    }
  });

  it("PostgreSQL port in use", async () => {
    const pgPort = await freePort();
    const taken = await listen(pgPort);
    try {
      const r = await runStart({ DATAWRIGHT_DATA_DIR: dataDir("pgport"), DATAWRIGHT_PORT: String(await freePort()), DATAWRIGHT_PG_PORT: String(pgPort) });
      expectPlainFailure(r, new RegExp(`Port ${pgPort}, which the embedded PostgreSQL uses, is already taken .*DATAWRIGHT_PG_PORT=<port>`));
    } finally {
      taken.close();
    }
  });

  it("data folder not writable", async () => {
    // sysfs refuses new folders to everyone, root included; a file in the way is the other common case.
    fs.writeFileSync(path.join(tmp, "a-file"), "");
    for (const dir of ["/sys/datawright-test/.data", path.join(tmp, "a-file", ".data")]) {
      const r = await runStart({ DATAWRIGHT_DATA_DIR: dir, DATAWRIGHT_PORT: String(await freePort()) });
      expectPlainFailure(r, new RegExp(`The data folder ${dir} cannot be written \\(.+\\): .*DATAWRIGHT_DATA_DIR=<folder>`));
    }
  });

  it("DATABASE_URL unreachable, and the stack trace only with DEBUG=1", async () => {
    const port = await freePort();
    const env = { DATAWRIGHT_DATA_DIR: dataDir("unreachable"), DATAWRIGHT_PORT: String(await freePort()), DATABASE_URL: `postgresql://me:pw@127.0.0.1:${port}/studio` };
    const r = await runStart(env);
    expectPlainFailure(r, new RegExp(`Cannot reach the PostgreSQL server in DATABASE_URL \\(127\\.0\\.0\\.1:${port}\\)`));

    const debug = await runStart({ ...env, DEBUG: "1" });
    expect(debug.code).toBe(1);
    expect(debug.output).toMatch(/^\s+at /m);
    expect(debug.last).toBe(r.last);
  });

  it("DATABASE_URL with a wrong password", async () => {
    const url = new URL(process.env.DATABASE_URL!);
    url.password = "not-the-password";
    const r = await runStart({ DATAWRIGHT_DATA_DIR: dataDir("password"), DATAWRIGHT_PORT: String(await freePort()), DATABASE_URL: url.toString() });
    expectPlainFailure(r, new RegExp(`refused the user name or password in DATABASE_URL`));
    expect(r.output).not.toContain("not-the-password");
  });

  describe("with a studio's embedded database running", () => {
    let data: string;
    let pgPort: number;
    let first: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
    beforeAll(async () => {
      data = dataDir("twice");
      fs.mkdirSync(data, { recursive: true });
      // As root, the postgres user must reach the test's folder (the closed case has its own test).
      fs.chmodSync(tmp, 0o755);
      pgPort = await freePort();
      first = await startEmbeddedPostgres({ dir: path.join(data, "postgres"), port: pgPort });
    });
    afterAll(() => first?.stop());

    it("a second start on the same data folder while the first is running", async () => {
      // Same ports as the first, and other ports: the data folder is what is refused.
      for (const port of [pgPort, await freePort()]) {
        const r = await runStart({ DATAWRIGHT_DATA_DIR: data, DATAWRIGHT_PORT: String(await freePort()), DATAWRIGHT_PG_PORT: String(port) });
        expectPlainFailure(r, /^\[datawright\] Datawright is already running on the data in .* \(its PostgreSQL has pid \d+ on port \d+\): use that studio, or stop it/);
      }
    });

    it("`npm run worker` finds it from the data folder alone", async () => {
      const base: Record<string, string> = Object.fromEntries(["PATH", "HOME", "LANG", "TMPDIR"].filter((k) => process.env[k]).map((k) => [k, process.env[k]!]));
      const worker = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "scripts/worker.ts")], {
        cwd: ROOT,
        env: { ...base, NODE_ENV: "production", DATAWRIGHT_DATA_DIR: data, DATAWRIGHT_PG_PORT: String(pgPort), DATAWRIGHT_WORKERS: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const outcome = await new Promise<string>((resolve) => {
        const take = (c: Buffer) => {
          output += c;
          if (output.includes("Taking runs from the queue")) resolve("taking runs");
        };
        worker.stdout.on("data", take);
        worker.stderr.on("data", take);
        worker.on("close", (code) => resolve(`exited with code ${code}`));
      });
      const closed = new Promise((r) => worker.once("close", r));
      worker.kill("SIGINT");
      await closed;
      expect(outcome, output).toBe("taking runs");
    });
  });
});
