// Generation benchmarks (issue: generation). Every figure is a ratio or a difference
// measured inside one run against the fake server, which runs in its own process as a
// real provider would, so noise on these shared machines cancels out.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import OpenAI from "openai";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { fastFetch } from "@/lib/providers/server/fast-fetch";
import { executeRun } from "@/lib/runs/server/executor";
import { enqueueRun, stopQueue } from "@/lib/runs/server/queue";
import { launchRun } from "@/lib/runs/server/runs";
import { until } from "@/lib/testing/until";

const ROOT = path.resolve(import.meta.dirname, "..");
const log = (s: string) => console.log(`[bench:generation] ${s}`);

type Fake = { url: string; proc: ChildProcess; stats(): Promise<{ totalRequests: number; chatCompletions: number; rateLimited: number; byStatus: Record<string, number> }>; stop(): Promise<void> };

export async function startFake(flags: string[]): Promise<Fake> {
  const proc = spawn(process.execPath, ["--import", "tsx", "fake-llm/cli.ts", "--port", "0", ...flags], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    proc.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.once("exit", (code) => reject(new Error(`fake server exited (${code}): ${out}`)));
  });
  proc.stdout!.resume();
  const origin = new URL(url).origin;
  return {
    url,
    proc,
    stats: async () => (await fetch(`${origin}/fake/stats`)).json(),
    stop: async () => {
      proc.kill("SIGKILL");
      await new Promise((r) => proc.once("exit", r));
    },
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

function blueprint(): Blueprint {
  return {
    fields: [
      { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000_000, integer: true },
      {
        id: "b",
        kind: "llm",
        name: "answer",
        system: "",
        prompt: "Write one sentence about the number {{ n }}.",
        model: "gpt-4o-mini",
        params: { max_tokens: 40 },
        output: { type: "text" },
        fewShot: { examples: [], k: 0, mode: "turns" },
      },
    ],
  };
}

export async function setup(db: Db, fakeUrl: string, maxConcurrency: number) {
  const project = await createProject(db, { name: `bench ${Date.now()}` });
  const dataset = await createDataset(db, { projectId: project.id, name: "bench" });
  await saveDraft(db, dataset.id, blueprint(), 0);
  const conn = await createConnection(db, ConnectionInput.parse({ name: `fake ${Date.now()}`, preset: "custom", baseUrl: fakeUrl, apiKey: "sk-bench-key-0000", defaultModel: "gpt-4o-mini", maxConcurrency }));
  return { datasetId: dataset.id, connectionId: conn.id };
}

export async function timedRun(db: Db, s: { datasetId: string; connectionId: string }, records: number, settings: Record<string, unknown>) {
  const run = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed: Math.floor(Math.random() * 1e9), settings: { useCache: false, ...settings } }, async () => {});
  const stamps: number[] = [];
  const t0 = performance.now();
  await executeRun(db, run.id, { onRecord: () => stamps.push(performance.now()) });
  const seconds = (performance.now() - t0) / 1000;
  const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  return { runId: run.id, seconds, stamps, after };
}

/**
 * A bare SDK client against the same server: the ceiling and the per-request baseline.
 * Same HTTP layer as the studio (fastFetch), so the ratio measures the studio's own work.
 */
export async function bareClient(url: string, requests: number, concurrency: number) {
  const client = new OpenAI({ baseURL: url, apiKey: "sk-bench-key-0000", maxRetries: 0, fetch: fastFetch });
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        const i = next++;
        const s = performance.now();
        await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: `Write one sentence about the number ${i * 7919}.` }], max_tokens: 40 });
        times.push(performance.now() - s);
      }
    }),
  );
  return { perSecond: requests / ((performance.now() - t0) / 1000), p50: median(times) };
}

export async function benchGeneration(db: Db, databaseUrl: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};

  // 1 + 2: overhead at concurrency 1, efficiency at concurrency 64 (0 ms latency).
  {
    const fake = await startFake(["--latency-ms", "0"]);
    try {
      const s = await setup(db, fake.url, 1024);
      await bareClient(fake.url, 300, 1); // warm-up: JIT, sockets
      await timedRun(db, s, 300, { concurrency: 1 });
      const bare1 = await bareClient(fake.url, 2000, 1);
      const studio1 = await timedRun(db, s, 2000, { concurrency: 1 });
      const gaps = studio1.stamps.slice(1).map((t, i) => t - studio1.stamps[i]);
      out.overhead_p50_ms = round(median(gaps) - bare1.p50, 3);
      log(`concurrency 1: bare p50 ${bare1.p50.toFixed(3)} ms/request, studio p50 ${median(gaps).toFixed(3)} ms/record`);

      const bare64 = await bareClient(fake.url, 20000, 64);
      const studio64 = await timedRun(db, s, 20000, { concurrency: 64 });
      const persisted = await db.record.count({ where: { runId: studio64.runId, status: "succeeded" } });
      const rate = persisted / studio64.seconds;
      out.efficiency = round(rate / bare64.perSecond, 3);
      log(`concurrency 64: bare ${bare64.perSecond.toFixed(0)} req/s, studio ${rate.toFixed(0)} records/s persisted`);
    } finally {
      await fake.stop();
    }
  }

  // 3: in-flight capacity with slow answers.
  {
    const fake = await startFake(["--latency-ms", "2000"]);
    try {
      const s = await setup(db, fake.url, 1024);
      const n = 512 * 6;
      const r = await timedRun(db, s, n, { concurrency: 512 });
      out.inflight_ratio = round(n / r.seconds / (512 / 2), 3);
      log(`512 in flight at 2 s: ${(n / r.seconds).toFixed(1)} req/s of ideal 256`);
    } finally {
      await fake.stop();
    }
  }

  // 4: rate-limit fidelity: 600 requests/minute, measured after the bucket's initial burst.
  {
    const fake = await startFake(["--rpm", "600", "--latency-ms", "20"]);
    try {
      const s = await setup(db, fake.url, 64);
      const run = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: 100_000, seed: 5, settings: { useCache: false, concurrency: 64 } }, async () => {});
      const stamps: number[] = [];
      const t0 = performance.now();
      const exec = executeRun(db, run.id, { onRecord: () => stamps.push(performance.now() - t0) });
      const windowStart = 15_000;
      const windowEnd = 75_000;
      await new Promise((r) => setTimeout(r, windowEnd));
      await db.run.update({ where: { id: run.id }, data: { status: "cancelled" } });
      await exec;
      const inWindow = stamps.filter((t) => t >= windowStart && t < windowEnd).length;
      const st = await fake.stats();
      out.ratelimit_fidelity = round(inWindow / ((windowEnd - windowStart) / 60_000) / 600, 3);
      out.ratelimit_429_share = round((st.byStatus["429"] ?? 0) / st.totalRequests, 4);
      log(`600 rpm: ${inWindow} records in the ${(windowEnd - windowStart) / 1000} s window; ${st.byStatus["429"] ?? 0} of ${st.totalRequests} requests got 429`);
    } finally {
      await fake.stop();
    }
  }

  // 5: faults: 5% 5xx and 1% hangs; hung requests are cut by the request timeout.
  {
    const fake = await startFake(["--fail-rate", "0.05", "--hang-rate", "0.01", "--fault-seed", "42"]);
    try {
      const s = await setup(db, fake.url, 1024);
      const n = 5000;
      const r = await timedRun(db, s, n, { concurrency: 64, requestTimeoutMs: 2000, maxAttempts: 6 });
      const st = await fake.stats();
      out.fault_success = round(r.after.succeeded / n, 4);
      out.request_amplification = round(st.chatCompletions / n, 3);
      log(`faults: ${r.after.succeeded}/${n} succeeded with ${st.chatCompletions} requests`);
    } finally {
      await fake.stop();
    }
  }

  // 6: SIGKILL and restart, twice in one run of 20,000 records. At a third: how soon the
  // restarted worker persists the next record. At two thirds, right after the provider
  // closed its window with a 429: how many requests the studio sends before that window
  // ends (counted from the workers' own traffic, bench/worker-probe.ts), the restarted
  // process included. Then: nothing lost or duplicated.
  {
    const fake = await startFake(["--latency-ms", "5"]);
    const workers: ChildProcess[] = [];
    const sent: number[] = [];
    const windows: [number, number][] = [];
    const startWorker = () => {
      const w = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "bench/worker-probe.ts"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl, DATAWRIGHT_WORKERS: "2" },
        stdio: ["ignore", "pipe", "inherit"],
      });
      workers.push(w);
      const ready = new Promise<number>((resolve, reject) => {
        w.once("exit", (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
        createInterface({ input: w.stdout! }).on("line", (line) => {
          if (line.startsWith("S ")) sent.push(Number(line.slice(2)));
          else if (line.startsWith("R ")) {
            const [, at, ms] = line.split(" ");
            windows.push([Number(at), Number(at) + Number(ms)]);
          } else if (line.startsWith("[worker] Taking runs")) resolve(Date.now());
        });
      });
      ready.catch(() => {});
      return { proc: w, ready };
    };
    const kill = async (w: ChildProcess) => {
      w.kill("SIGKILL");
      if (w.exitCode === null && w.signalCode === null) await new Promise((r) => w.once("exit", r));
    };
    const progress = async (id: string) => (await db.run.findUniqueOrThrow({ where: { id } })).succeeded;
    try {
      const s = await setup(db, fake.url, 1024);
      const n = 20_000;
      const run = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: n, seed: 9, settings: { useCache: false, concurrency: 64 } }, (id) => enqueueRun(databaseUrl, id));
      const first = startWorker();
      await until(async () => (await progress(run.id)) >= n / 3, { timeoutMs: 300_000, intervalMs: 100 });
      await kill(first.proc);
      const atKill = await progress(run.id);
      const second = startWorker();
      const ready = await second.ready;
      await until(async () => (await progress(run.id)) > atKill, { timeoutMs: 120_000, intervalMs: 20 });
      out.resume_first_progress_s = round((Date.now() - ready) / 1000, 2);
      log(`restart: first record persisted ${out.resume_first_progress_s} s after the new worker was ready`);

      await until(async () => (await progress(run.id)) >= (2 * n) / 3, { timeoutMs: 300_000, intervalMs: 100 });
      const windowMs = 15_000;
      await fetch(`${new URL(fake.url).origin}/fake/close-window?ms=${windowMs}`, { method: "POST" });
      await until(async () => windows.length > 0, { timeoutMs: 30_000, intervalMs: 5 });
      // The kill lands a quarter second after the worker's first 429: long enough for the
      // pause to be recorded (one write), well inside the window. (A kill within the few
      // ms of that write would leave the next process to learn the window from its own 429.)
      await new Promise((r) => setTimeout(r, 250));
      await kill(second.proc);
      await startWorker().ready;
      await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).status === "completed", { timeoutMs: 600_000, intervalMs: 200 });
      out.retry_after_violations = sent.filter((t) => windows.some(([from, to]) => t > from && t < to)).length;
      const [row] = await db.$queryRaw<{ n: bigint; d: bigint }[]>`select count(*) as n, count(distinct index) as d from "Record" where "runId" = ${run.id}::uuid`;
      out.resume_lost = n - Number(row.d);
      out.resume_duplicated = Number(row.n) - Number(row.d);
      const st = await fake.stats();
      log(`429 window of ${windowMs / 1000} s across a kill: ${out.retry_after_violations} requests sent inside a known window (${windows.length} 429s received, ${sent.length} requests sent; the fake answered ${st.rateLimited} 429s)`);
      log(`kill and resume twice: ${row.d} distinct of ${n}, ${Number(row.n) - Number(row.d)} duplicates`);
    } finally {
      for (const w of workers) w.kill("SIGKILL");
      await stopQueue();
      await fake.stop();
    }
  }
  return out;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
