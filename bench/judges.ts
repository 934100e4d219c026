// "N good records" benchmark (issue 15, item 5), against the fake server in this process
// with a 1-5 judge whose threshold of 4 passes 40% of records at random, concurrency 64:
//   target_n_accepted_exact  1 when a target of 2,000 ends with exactly 2,000 good records.
//   target_n_waste           records that finished after the 2,000th good one was in hand
//                            (this process saw it finish), ÷ 2,000. Target ≤ 0.05.
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

export async function benchJudges(db: Db) {
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
    return out;
  } finally {
    await fake.close();
  }
}
