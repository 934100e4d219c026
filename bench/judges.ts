// "N good records" benchmark (issue 15, item 5), against the fake server in this process
// with a 1-5 judge whose threshold of 4 passes 40% of records at random, concurrency 64:
//   target_n_accepted_exact  1 when a target of 2,000 ends with exactly 2,000 good records.
//   target_n_waste           records that finished after the 2,000th good one was in hand
//                            (this process saw it finish), ÷ 2,000. Target ≤ 0.05.
//   agreement_10k_ms         the Health tab's Judges section (judgeTrust) on 10,000 reviewed
//                            records with a two-criterion judge and three sampler fields,
//                            median of 7 reads after one warm-up. Target ≤ 300 ms.
//                            `--agreement-only` runs just this figure.
// The run is the real one (launchRun + executeRun: the writer, the insert that assigns
// the places, the stopping rule in lib/runs/target.ts).
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { startFakeLlm } from "@/fake-llm/server";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { executeRun } from "@/lib/runs/server/executor";
import { launchRun } from "@/lib/runs/server/runs";
import { isGoodRecord } from "@/lib/runs/target";
import pg from "pg";
import { judgeTrust } from "@/lib/quality/server/agreement";
import { createSeedDataset, SEED_BLUEPRINT, seedRecords } from "@/lib/testing/seed-records";
import { launchRegenerate } from "@/lib/runs/server/regenerate";
import { bareClient, median } from "./generation";

const TARGET = 2000;
const CONCURRENCY = 64;
const log = (s: string) => console.log(`[bench:judges] ${s}`);

const BLUEPRINT: Blueprint = {
  fields: [
    { id: "a", kind: "number", name: "n", min: 1, max: 1_000_000_000, integer: true },
    { id: "b", kind: "llm", name: "story", system: "", prompt: "Write a short story about {{ n }}.", model: "gpt-4o-mini", params: { max_tokens: 60 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
    {
      id: "j",
      kind: "judge",
      name: "quality",
      over: ["story"],
      criteria: [{ name: "simple", description: "Only simple words.", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: `level ${value}` })) }],
      model: "gpt-4o-mini",
      params: {},
    },
  ],
};

export async function benchJudges(db: Db, ctx: { databaseUrl: string; agreementOnly?: boolean }) {
  const agreement = await benchAgreement(db, ctx.databaseUrl);
  if (ctx.agreementOnly) return agreement;
  return { ...(await benchTargetN(db)), ...agreement };
}

const AGREEMENT_RECORDS = 10_000;

async function benchAgreement(db: Db, databaseUrl: string) {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const ds = await createSeedDataset(sql, `Judges agreement bench ${new Date().toISOString()}`);
    const blueprint = {
      fields: [
        ...SEED_BLUEPRINT.fields,
        {
          id: "j",
          kind: "judge",
          name: "quality",
          over: ["answer"],
          criteria: [
            { name: "simple", description: "", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: "" })) },
            { name: "correct", description: "", levels: ["pass", "fail"].map((value) => ({ value, description: "" })) },
          ],
          model: "m",
          params: {},
        },
      ],
    };
    await sql.query(`update "Dataset" set draft = $2 where id = $1`, [ds.datasetId, JSON.stringify(blueprint)]);
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, AGREEMENT_RECORDS);
    // Scores and decisions that agree often but not always, and worse on some topics. Written
    // straight in SQL: the trust panel reads Record, not the health tallies.
    await sql.query(
      `update "Record" set
         values = values || jsonb_build_object('quality', jsonb_build_object(
           'simple', jsonb_build_object('score', 1 + index % 5, 'reason', 'r'),
           'correct', jsonb_build_object('score', case when index % 3 = 0 then 'fail' else 'pass' end, 'reason', 'r'))),
         "reviewState" = (case when (index % 5 >= 3) <> (index % 7 = 0 or (values->>'topic' = 'poetry' and index % 2 = 0)) then 'accepted' else 'rejected' end)::"ReviewState"
       where "datasetId" = $1`,
      [ds.datasetId],
    );
    await judgeTrust(db, ds.datasetId);
    const ms: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const trust = await judgeTrust(db, ds.datasetId);
      ms.push(performance.now() - t);
      if (trust.decided !== AGREEMENT_RECORDS) throw new Error(`agreement bench: ${trust.decided} decided records, expected ${AGREEMENT_RECORDS}`);
    }
    ms.sort((a, b) => a - b);
    const out = { agreement_10k_ms: Math.round(ms[3]), agreement_10k_ms_runs: ms.map((m) => Math.round(m)) };
    log(JSON.stringify(out));
    return out;
  } finally {
    await sql.end();
  }
}

async function benchTargetN(db: Db) {
  // Jitter makes records finish out of launch order, as a real provider's do.
  const fake = await startFakeLlm({ latencyMs: 20, jitterMs: 40 });
  try {
    const project = await createProject(db, { name: `bench-judges-${Date.now()}` });
    const dataset = await createDataset(db, { projectId: project.id, name: "judges" });
    await saveDraft(db, dataset.id, BLUEPRINT, 0);
    const conn = await createConnection(db, ConnectionInput.parse({ name: "fake", preset: "custom", baseUrl: fake.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: CONCURRENCY }));
    const target = { good: TARGET, thresholds: { quality: { simple: { min: 4 } } } };
    const run = await launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records: TARGET * 10, seed: 42, settings: { concurrency: CONCURRENCY, useCache: false, target } }, async () => {});
    let goodSeen = 0;
    let afterTarget = 0;
    let finished = 0;
    const t0 = performance.now();
    await executeRun(db, run.id, {
      onRecord: (rec) => {
        finished++;
        if (goodSeen >= TARGET) afterTarget++;
        else if (isGoodRecord({ status: rec.status, rejected: false, values: rec.values }, target)) goodSeen++;
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    const marks = await db.$queryRaw<{ target: string | null; n: bigint }[]>`select target::text, count(*) as n from "Record" where "runId" = ${run.id}::uuid group by 1`;
    const count = (t: string | null) => Number(marks.find((m) => m.target === t)?.n ?? 0);
    const out = {
      target_n_accepted_exact: after.status === "completed" && after.good === TARGET && count("good") === TARGET ? 1 : 0,
      target_n_waste: afterTarget / TARGET,
      target_n_waste_records: afterTarget,
      target_n_over_target: count("over"),
      target_n_attempts: finished,
      target_n_yield: (count("good") + count("over")) / finished,
      target_n_seconds: Math.round(seconds * 10) / 10,
    };
    log(JSON.stringify(out));
    return { ...out, ...(await benchRegenerate(db)) };
  } finally {
    await fake.close();
  }
}

/**
 * `regenerate_overhead_ms_p50` (issue 15, item 6): the studio's time per record of
 * regenerating one field beyond the fake server's, as `overhead_p50_ms` measures a run:
 * at concurrency 1 and 0 ms latency, the median gap between regenerated records minus a
 * bare client's median request, same server, same HTTP layer. Each round edits the prompt
 * (every value changes, so every record is versioned and updated) and alternates with the
 * bare client; the figure is the median of the rounds. Target ≤ 1 ms.
 */
async function benchRegenerate(db: Db) {
  const RECORDS = 1000;
  const ROUNDS = 5;
  const fake = await startFakeLlm({ latencyMs: 0 });
  try {
    const project = await createProject(db, { name: `bench-regenerate-${Date.now()}` });
    const dataset = await createDataset(db, { projectId: project.id, name: "regenerate" });
    const draft = (v: number): Blueprint => ({ fields: [BLUEPRINT.fields[0], { ...BLUEPRINT.fields[1], prompt: `Write a short story (take ${v}) about {{ n }}.` } as Blueprint["fields"][number]] });
    let revision = (await saveDraft(db, dataset.id, draft(0), 0)).revision;
    const conn = await createConnection(db, ConnectionInput.parse({ name: "fake-regenerate", preset: "custom", baseUrl: fake.url, apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: CONCURRENCY }));
    const gen = await launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records: RECORDS, seed: 1, settings: { concurrency: CONCURRENCY, useCache: false } }, async () => {});
    await executeRun(db, gen.id);
    const regenerate = async (v: number, records: number) => {
      revision = (await saveDraft(db, dataset.id, draft(v), revision)).revision;
      const ids = (await db.record.findMany({ where: { runId: gen.id }, orderBy: { index: "asc" }, take: records, select: { id: true } })).map((r) => r.id);
      const run = await launchRegenerate(db, { datasetId: dataset.id, connectionId: conn.id, field: "story", target: { ids }, settings: { concurrency: 1, useCache: false } }, async () => {});
      const stamps: number[] = [];
      await executeRun(db, run.id, { onRegenerated: () => stamps.push(performance.now()) });
      const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
      if (after.succeeded !== records) throw new Error(`regeneration ${v}: ${after.status}, ${after.succeeded} of ${records} (${after.stopReason})`);
      // The median gap leaves out the batched writes (one every 200 ms, off the loop); the
      // mean gap, the whole span over the records, counts them too.
      return { p50: median(stamps.slice(1).map((t, i) => t - stamps[i])), mean: (stamps.at(-1)! - stamps[0]) / (stamps.length - 1) };
    };
    await bareClient(fake.url, 200, 1); // warm-up: JIT, sockets
    await regenerate(1, 200);
    const overheads: number[] = [];
    const meanOverheads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const bare = await bareClient(fake.url, RECORDS, 1);
      const studio = await regenerate(round + 2, RECORDS);
      overheads.push(studio.p50 - bare.p50);
      meanOverheads.push(studio.mean - bare.p50);
      log(`regenerate round ${round + 1}: bare p50 ${bare.p50.toFixed(3)} ms/request, studio p50 ${studio.p50.toFixed(3)} ms/record (mean ${studio.mean.toFixed(3)})`);
    }
    const ms = (x: number) => Math.round(x * 1000) / 1000;
    return { regenerate_overhead_ms_p50: ms(median(overheads)), regenerate_overhead_ms_mean_p50: ms(median(meanOverheads)) };
  } finally {
    await fake.close();
  }
}
