// The `scale` group's batch-mode figures (issue 18): a 10,000-record run through the fake
// Batch API costs at most half the same run online, and a run stopped mid-batch (one
// batch created at the provider without its id stored) with 5% of requests expiring
// resumes with no record lost and no request answered twice.
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import type { BatchExecuteOptions } from "@/lib/runs/server/batch-executor";
import { executeRun } from "@/lib/runs/server/executor";
import { launchRun } from "@/lib/runs/server/runs";

const log = (s: string) => console.log(`[bench:scale] ${s}`);
const N = 10_000;

// A seeded request: the fake server answers the same prompt the same way online and in a
// batch, so the two runs buy exactly the same tokens and only the price differs.
const BLUEPRINT: Blueprint = {
  fields: [
    { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000, integer: true },
    { id: "b", kind: "llm", name: "text", system: "", prompt: "Write one line about {{ n }}.", model: "gpt-4o-mini", params: { max_tokens: 40, seed: 7 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
  ],
};

export async function benchScaleBatch(db: Db): Promise<Record<string, number>> {
  const fake = await startFakeLlm({ batchStepMs: 20 });
  const out: Record<string, number> = {};
  try {
    const project = await createProject(db, { name: `Scale bench ${Date.now().toString(36)}` });
    const dataset = await createDataset(db, { projectId: project.id, name: "scale" });
    await saveDraft(db, dataset.id, BLUEPRINT, 0);
    const conn = await createConnection(db, ConnectionInput.parse({ name: `fake ${Date.now().toString(36)}`, preset: "custom", baseUrl: fake.url, apiKey: "sk-bench", defaultModel: "gpt-4o-mini", maxConcurrency: 128 }));
    const launch = (batch: boolean) => launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records: N, seed: 11, settings: { batch, useCache: false, concurrency: 64, maxAttempts: 20 } }, async () => {});

    let t0 = performance.now();
    const online = await launch(false);
    await executeRun(db, online.id);
    const onlineRow = await db.run.findUniqueOrThrow({ where: { id: online.id } });
    log(`online: ${onlineRow.succeeded} records, $${onlineRow.costUsd.toFixed(6)}, ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // Batch mode, 2,000 requests a batch, 5% of requests expiring; stopped after its second batch.
    fake.reset();
    fake.configure({ batchExpireRate: 0.05 });
    t0 = performance.now();
    const run = await launch(true);
    const stop = new AbortController();
    let submitted = 0;
    const first: BatchExecuteOptions = { pollMs: 20, signal: stop.signal, limits: { requests: 2_000, bytes: 200 * 1024 * 1024 }, onSubmitted: () => ++submitted === 2 && stop.abort() };
    await executeRun(db, run.id, first);
    // As if the process had died between creating that batch and storing its id.
    const last = await db.runBatch.findFirstOrThrow({ where: { runId: run.id, providerBatchId: { not: null } }, orderBy: { createdAt: "desc" } });
    await db.runBatch.update({ where: { id: last.id }, data: { providerBatchId: null, status: "preparing" } });
    await executeRun(db, run.id, { pollMs: 20, limits: { requests: 2_000, bytes: 200 * 1024 * 1024 } } as BatchExecuteOptions);
    const batchRow = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const [counts] = await db.$queryRaw<{ n: bigint; distinct_n: bigint }[]>`select count(*) as n, count(distinct index) as distinct_n from "Record" where "runId" = ${run.id}::uuid and status = 'succeeded'`;
    const st = fake.stats().batches;
    const batches = await db.runBatch.count({ where: { runId: run.id } });
    log(`batch: ${batchRow.status}, ${batchRow.succeeded} records, $${batchRow.costUsd.toFixed(6)}, ${batches} batches, ${st.requests} requests (${st.expired} expired), ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    out.batch_cost_ratio = Number((batchRow.costUsd / onlineRow.costUsd).toFixed(4));
    out.batch_lost = N - Number(counts!.distinct_n);
    // Records stored twice, plus requests answered more than once (an answered request is paid for).
    out.batch_duplicated = Number(counts!.n) - Number(counts!.distinct_n) + (st.requests - st.expired - N);
    out.batch_expired_requests = st.expired;
    out.batch_batches = batches;
    log(`batch_cost_ratio ${out.batch_cost_ratio} (target ≤ 0.5), batch_lost ${out.batch_lost}, batch_duplicated ${out.batch_duplicated}`);
  } finally {
    await fake.close();
  }
  return out;
}
