// Fault benchmarks (issue: hostile input): what a provider's odd bytes do to a run. A NUL
// (U+0000) or an unpaired surrogate in an answer used to fail the whole batch INSERT; the
// run then retried it forever and bought every answer again.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { renderPreviewOffThread } from "@/lib/blueprints/server/preview-pool";
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { streamSamples, type SampleEvent } from "@/lib/runs/server/live-samples";
import { setup, startFake, timedRun } from "./generation";

const log = (s: string) => console.log(`[bench:faults] ${s}`);

export async function benchFaults(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  // 1,000 records, 1% of answers carrying a NUL and an unpaired surrogate, no other fault:
  // every request beyond one per record is an answer bought twice.
  const fake = await startFake(["--odd-bytes-rate", "0.01", "--fault-seed", "7"]);
  try {
    const s = await setup(db, fake.url, 1024);
    const n = 1000;
    const r = await timedRun(db, s, n, { concurrency: 64 });
    const records = await db.record.findMany({ where: { runId: r.runId }, select: { status: true, error: true } });
    const settled = records.filter((x) => x.status === "succeeded" || (x.status === "failed" && x.error)).length;
    const st = await fake.stats();
    out.nul_run_complete = settled / n;
    out.nul_paid_twice = st.chatCompletions - n;
    out.nul_answers = records.filter((x) => x.status === "failed").length;
    log(`odd bytes: ${settled}/${n} records settled (${out.nul_answers} failed with the reason), ${st.chatCompletions} requests, run ${r.after.status} in ${r.seconds.toFixed(1)} s`);
  } finally {
    await fake.stop();
  }

  // A worst-case preview (ten nested-loop expression fields, three records: 30 s of
  // rendering on the main thread before) while a trivial page is fetched every 25 ms from
  // a server in this same process: its latency is what every other request would see.
  const slow: Blueprint = {
    fields: Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, kind: "expression" as const, name: `x${i}`, template: "{% for i in (1..5000) %}{% for j in (1..5000) %}{% assign y = j %}{% endfor %}{% endfor %}" })),
  };
  await renderPreviewOffThread({ blueprint: { fields: [] }, seed: 1, count: 1, rows: [] }); // the worker is warm, as in a running studio
  {
    const side = await sideLatency(() => renderPreviewOffThread({ blueprint: slow, seed: 1, count: 3, rows: [] }));
    out.preview_side_latency_ms_p95 = side.p95;
    out.preview_side_latency_ms_p50 = side.p50;
    log(`worst-case preview: ${side.outcome}; ${side.n} page fetches meanwhile, p50 ${side.p50} ms, p95 ${side.p95} ms`);
  }
  // The same for live samples: ten records of the same blueprint (10 s on the main thread
  // before, each record stopping at its first template's 1 s limit).
  {
    const s = await setup(db, "http://127.0.0.1:9/v1", 8); // expressions only: the model is never called
    const events: SampleEvent[] = [];
    const side = await sideLatency(() => streamSamples(db, { ...s, blueprint: slow, count: 10, seed: 1 }, (e) => events.push(e), new AbortController().signal));
    out.samples_side_latency_ms_p95 = side.p95;
    out.samples_side_latency_ms_p50 = side.p50;
    const errors = new Set(events.flatMap((e) => (e.type === "done" && e.error ? [e.error] : [])));
    log(`worst-case live samples: ${[...errors].join(" | ")}; ${side.n} page fetches meanwhile, p50 ${side.p50} ms, p95 ${side.p95} ms`);
  }
  return out;
}

/** Latency of a trivial page served by this process, fetched every 25 ms while `work` runs. */
async function sideLatency(work: () => Promise<unknown>) {
  const server = http.createServer((_, res) => res.end("ok"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let running = true;
  const done = work()
    .then(() => "finished", (e: Error) => e.message)
    .finally(() => (running = false));
  const latencies: number[] = [];
  while (running) {
    const t0 = performance.now();
    await (await fetch(url)).text();
    latencies.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 25));
  }
  server.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Number(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))].toFixed(1));
  return { outcome: await done, n: latencies.length, p50: at(0.5), p95: at(0.95) };
}
