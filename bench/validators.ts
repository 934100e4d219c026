// Validator benchmark (issue 14): what five validators add to persisting one record.
//   validators_overhead_ms_p50   per record: (writer with five validators - writer without) ÷
//                                batch size, median of alternating rounds. Target ≤ 0.5 ms.
//   validators_overhead_cpu_ms_p50  the same difference in the studio process's CPU time.
//   validators_eval_us_p50       the checks alone on one record (no database), median per record.
// The writer is the run's own (lib/runs/server/executor.ts RecordWriter): the same row
// building, json_to_recordset insert and run totals as a real run, on ~1 KB stories.
import { createPrisma } from "@/lib/db/server/prisma";
import type { Blueprint, ValidatorField } from "@/lib/blueprints/schema";
import type { GeneratedRecord } from "@/lib/generation/generate-record";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { evaluateChecks, prepareValidators } from "@/lib/quality/validators/evaluate";
import { RecordWriter } from "@/lib/runs/server/executor";

const BATCH = 500;
const ROUNDS = 12;
const log = (s: string) => console.log(`[bench:validators] ${s}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const VERBS = ["walk", "carry", "make", "jump", "find", "sing", "hide", "build"];
const NOUNS = ["dog", "ball", "tree", "boat", "cake", "star", "box", "bird"];
const ADJECTIVES = ["happy", "shiny", "tiny", "brave", "soft", "red", "quiet", "big"];
const FILLER = "Once upon a time there was a little girl named Lily who lived near the woods with her mother and her old cat . She liked to play outside every day and look at the sky".split(" ");

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** A ~1 KB story that mentions its sampled words most of the time. */
function record(i: number): GeneratedRecord {
  const r = rng(i + 1);
  const pick = (xs: string[]) => xs[Math.floor(r() * xs.length)];
  const verb = pick(VERBS);
  const noun = pick(NOUNS);
  const adjective = pick(ADJECTIVES);
  const words: string[] = [];
  while (words.join(" ").length < 1000) {
    words.push(pick(FILLER));
    if (r() < 0.02) words.push(`${verb}ed`, "the", adjective, noun);
  }
  const story = words.join(" ");
  return {
    recordIndex: i,
    status: "succeeded",
    values: { verb, noun, adjective, story },
    sampled: { verb, noun, adjective },
    llm: { story: { model: "gpt-4o-mini", params: {}, messages: [{ role: "user", content: `Write a story with ${verb}, ${noun}, ${adjective}.` }], tokensIn: 30, tokensOut: 250, costUsd: 0.0001, latencyMs: 900, attempts: 1, reasks: 0, cached: false } },
    error: null,
    tokensIn: 30,
    tokensOut: 250,
    costUsd: 0.0001,
    latencyMs: 900,
    attempts: 1,
  };
}

/** The five checks a TinyStories blueprint would carry. */
const FIVE: Blueprint = {
  fields: [
    { id: "v1", kind: "validator", name: "length", mode: "reject", check: { type: "length", field: "story", unit: "tokens", min: 100, max: 600 } },
    { id: "v2", kind: "validator", name: "no_ai", mode: "reject", check: { type: "regex", field: "story", pattern: "as an ai|language model", caseInsensitive: true, mustMatch: false } },
    { id: "v3", kind: "validator", name: "mentions", mode: "flag", check: { type: "mentions", field: "story", sources: ["verb", "noun", "adjective"] } },
    { id: "v4", kind: "validator", name: "english", mode: "reject", check: { type: "language", field: "story", language: "eng" } },
    { id: "v5", kind: "validator", name: "custom", mode: "flag", check: { type: "expression", condition: 'story.size > 200 and story contains "Lily"', message: "no Lily" } },
  ],
};

export async function benchValidators(ctx: { databaseUrl: string }): Promise<Record<string, number>> {
  const db = createPrisma(ctx.databaseUrl);
  try {
    const validators = prepareValidators(FIVE);
    const project = await createProject(db, { name: `validators bench ${Date.now()}` });
    const dataset = await createDataset(db, { projectId: project.id, name: "bench" });
    const version = await db.blueprintVersion.create({ data: { datasetId: dataset.id, version: 1, blueprint: FIVE as object, hash: "bench" } });
    const newRun = () => db.run.create({ data: { datasetId: dataset.id, blueprintVersionId: version.id, requested: ROUNDS * BATCH + BATCH, seed: 1, settings: {}, status: "running" } });
    const runs = { with: await newRun(), without: await newRun() };

    // The checks alone, warm.
    const sample = Array.from({ length: 2_000 }, (_, i) => record(i));
    for (const r of sample.slice(0, 200)) evaluateChecks(validators, r);
    const evalUs: number[] = [];
    for (const r of sample) {
      const t = performance.now();
      evaluateChecks(validators, r);
      evalUs.push((performance.now() - t) * 1000);
    }

    // Persisting, alternating with and without so the machine's load hits both alike.
    // Wall time and this process's CPU time: on a machine running several times more work
    // than it has cores, a 3 s batch is descheduled far more than a 0.5 ms one, so wall
    // time there measures the machine's load as much as the code; CPU time does not.
    const write = async (which: "with" | "without", round: number) => {
      const w = new RecordWriter(db, runs[which].id, dataset.id, 0, 1, which === "with" ? validators : ([] as ValidatorField[]));
      const batch = Array.from({ length: BATCH }, (_, i) => record(round * BATCH + i));
      const cpu = process.cpuUsage();
      const t = performance.now();
      for (const r of batch) w.add(r); // add() starts the flush at 500, as in a run
      await w.flush();
      const used = process.cpuUsage(cpu);
      return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
    };
    await write("with", ROUNDS);
    await write("without", ROUNDS); // warm-up rounds, not counted
    const withMs: number[] = [];
    const withoutMs: number[] = [];
    const overhead: number[] = [];
    const cpuOverhead: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order: ("with" | "without")[] = round % 2 ? ["without", "with"] : ["with", "without"];
      const t: Record<string, { wall: number; cpu: number }> = {};
      for (const which of order) t[which] = await write(which, round);
      withMs.push(t.with.wall / BATCH);
      withoutMs.push(t.without.wall / BATCH);
      overhead.push((t.with.wall - t.without.wall) / BATCH);
      cpuOverhead.push((t.with.cpu - t.without.cpu) / BATCH);
    }
    const stored = await db.record.count({ where: { runId: runs.with.id, rejected: true } });
    const load = (await import("node:os")).loadavg()[0];
    log(`checks alone p50 ${median(evalUs).toFixed(1)} µs; persist per record ${median(withoutMs).toFixed(3)} ms without, ${median(withMs).toFixed(3)} ms with; CPU overhead ${median(cpuOverhead).toFixed(3)} ms (${stored} rejected of ${ROUNDS * BATCH + BATCH}; load ${load.toFixed(1)})`);
    return {
      validators_overhead_ms_p50: Math.round(median(overhead) * 1000) / 1000,
      /** The same difference in this process's CPU time per record (see write()). */
      validators_overhead_cpu_ms_p50: Math.round(median(cpuOverhead) * 1000) / 1000,
      load_avg_1m: Math.round(load * 10) / 10,
      validators_eval_us_p50: Math.round(median(evalUs) * 10) / 10,
      persist_ms_per_record_without_p50: Math.round(median(withoutMs) * 1000) / 1000,
      persist_ms_per_record_with_p50: Math.round(median(withMs) * 1000) / 1000,
    };
  } finally {
    await db.$disconnect();
  }
}
