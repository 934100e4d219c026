// `scale` group, several worker processes on one run (lib/runs/server/chunks.ts):
// - workers_3_speedup: records/s of a run with three `npm run worker` processes ÷ with one,
//   against the fake server at a fixed latency, so each process is bound by the run's
//   concurrency (its requests in flight), not by the CPU or the database. Trials alternate
//   one and three processes; the figure is the median of the per-pair ratios. A run's rate
//   is its records ÷ (finishedAt − startedAt), so the time helpers take to join counts.
// - workers_lost / workers_duplicated: a run on three processes, one SIGKILLed a quarter of
//   the way: positions without a record, and records beyond one per position.
// BENCH_TRACE=1 prints once a second the fake server's requests in flight, the records
// stored and the chunks each process holds (how the one-claim-took-every-chunk bug of
// chunks.ts's claimChunk showed: one process holding 16 chunks, 4 requests in flight).
import type { Db } from "@/lib/db/server/prisma";
import { startFakeLlm } from "@/fake-llm/server";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { enqueueRun, stopQueue } from "@/lib/runs/server/queue";
import { launchRun } from "@/lib/runs/server/runs";
import { until } from "@/lib/testing/until";
import { spawnWorker } from "@/lib/testing/workers";

const LATENCY_MS = 400;
/**
 * Per process: 4 in flight at 400 ms is about 10 records/s, so three processes stay
 * provider-bound even on a shared 2-core machine (at 100 ms, 40/s per process, one
 * process already measured 18-23/s there: the CPU, not the provider, set the pace).
 */
const CONCURRENCY = 4;
const RECORDS = 400;
const KILL_RECORDS = 1000;

export async function benchScaleWorkers(db: Db, opts: { trials?: number } = {}): Promise<Record<string, number>> {
  const trials = opts.trials ?? 3;
  const fake = await startFakeLlm({ latencyMs: LATENCY_MS });
  const procs: ReturnType<typeof spawnWorker>[] = [];
  const start = async (n: number) => {
    const started = Array.from({ length: n }, () => spawnWorker({ DATAWRIGHT_WORKERS: "1" }));
    procs.push(...started);
    await Promise.all(started.map((w) => w.ready));
    return started;
  };
  const stop = async (ws: ReturnType<typeof spawnWorker>[], signal: NodeJS.Signals = "SIGTERM") => {
    for (const w of ws) w.child.kill(signal);
    await Promise.all(ws.map((w) => w.exited));
  };
  try {
    const project = await createProject(db, { name: `bench-workers-${Date.now()}` });
    const dataset = await createDataset(db, { projectId: project.id, name: "workers" });
    await saveDraft(
      db,
      dataset.id,
      {
        fields: [
          { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true },
          { id: "b", kind: "llm", name: "text", system: "", prompt: "Say {{ n }}.", model: "gpt-4o-mini", params: { max_tokens: 16 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
        ],
      },
      0,
    );
    const conn = await createConnection(db, ConnectionInput.parse({ name: "bench-workers", preset: "custom", baseUrl: fake.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 64 }));
    let seed = 1;
    const launch = (records: number) =>
      launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records, seed: seed++, settings: { concurrency: CONCURRENCY, useCache: false } }, (id) => enqueueRun(process.env.DATABASE_URL!, id));
    const ended = (runId: string) =>
      until(async () => !["running", "queued"].includes((await db.run.findUniqueOrThrow({ where: { id: runId } })).status), { timeoutMs: 600_000, intervalMs: 100 });
    const rate = async () => {
      const run = await launch(RECORDS);
      const trace = process.env.BENCH_TRACE ? setInterval(() => void traceRun(db, run.id, fake.stats().inFlight), 1000) : null;
      await ended(run.id).finally(() => trace && clearInterval(trace));
      const r = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      if (r.status !== "completed" || r.succeeded !== RECORDS) throw new Error(`bench run ended ${r.status} with ${r.succeeded} records`);
      return RECORDS / ((r.finishedAt!.getTime() - r.startedAt!.getTime()) / 1000);
    };

    const [first] = await start(1);
    const ones: number[] = [];
    const threes: number[] = [];
    for (let t = 0; t < trials; t++) {
      ones.push(await rate());
      const helpers = await start(2);
      threes.push(await rate());
      await stop(helpers);
      console.error(`[bench] workers trial ${t + 1}: 1 process ${ones[t].toFixed(1)}/s, 3 processes ${threes[t].toFixed(1)}/s`);
    }

    // One of three killed a quarter of the way: the one holding the run's first chunk (and job).
    const helpers = await start(2);
    fake.reset();
    const run = await launch(KILL_RECORDS);
    await until(async () => (await db.run.findUniqueOrThrow({ where: { id: run.id } })).succeeded >= KILL_RECORDS / 4, { timeoutMs: 300_000, intervalMs: 50 });
    const [holder] = await db.$queryRaw<{ owner: string }[]>`select owner from "RunChunk" where "runId" = ${run.id}::uuid and start = 0`;
    const pid = Number(holder?.owner.split(":").at(-2));
    const victim = [first, ...helpers].find((w) => w.child.pid === pid) ?? helpers[0];
    await stop([victim], "SIGKILL");
    await ended(run.id);
    const [c] = await db.$queryRaw<{ n: number; distinct_n: number }[]>`select count(*)::int as n, count(distinct index)::int as distinct_n from "Record" where "runId" = ${run.id}::uuid`;
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });

    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      workers_3_speedup: median(ones.map((one, i) => threes[i] / one)),
      workers_1_records_per_s: median(ones),
      workers_3_records_per_s: median(threes),
      workers_lost: KILL_RECORDS - c.distinct_n,
      workers_duplicated: c.n - c.distinct_n,
      workers_totals_off: Math.abs(after.succeeded + after.failed - c.n),
      /** Requests made twice after the kill: the killed process's in flight and unwritten answers. */
      workers_repeated_requests: fake.stats().chatCompletions - KILL_RECORDS,
    };
  } finally {
    await stop(procs.filter((w) => w.child.exitCode === null && w.child.signalCode === null), "SIGKILL");
    await stopQueue();
    await fake.close();
  }
}

/** BENCH_TRACE=1: once a second, the fake server's requests in flight, records stored and chunks held per process. */
async function traceRun(db: Db, runId: string, inFlight: number) {
  const [row] = await db.$queryRaw<{ records: number; owners: string | null; status: string }[]>`
    select (select count(*)::int from "Record" where "runId" = ${runId}::uuid) as records,
      (select string_agg(split_part(owner, ':', 2) || '=' || n, ' ') from (select owner, count(*) filter (where not done) as n from "RunChunk" where "runId" = ${runId}::uuid and owner is not null group by owner) o) as owners,
      (select status from "Run" where id = ${runId}::uuid) as status`;
  console.error(`[trace] ${new Date().toISOString().slice(11, 19)} in flight ${inFlight}, records ${row?.records}, ${row?.status}, chunks held ${row?.owners ?? "-"}`);
}
