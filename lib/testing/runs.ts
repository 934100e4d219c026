// A launched run for database tests that look at a run's row rather than its records:
// one number field, and a connection whose address is never called (nothing listens
// on port 9), so the run is queued but only ever executed by the test itself.
import { afterAll, beforeAll } from "vitest";
import { startFakeLlm, type FakeLlm, type FakeLlmOptions } from "@/fake-llm/server";
import type { Blueprint, JudgeCriterion } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { executeRun } from "@/lib/runs/server/executor";
import { launchRun } from "@/lib/runs/server/runs";
import { uniqueName } from "./db";

export async function launchedTestRun(db: Db, name: string) {
  const project = await createProject(db, { name: uniqueName(name) });
  const dataset = await createDataset(db, { projectId: project.id, name: name.toLowerCase() });
  await saveDraft(db, dataset.id, { fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 9, integer: true }] }, 0);
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 4 }));
  const run = await launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records: 10, seed: 1, settings: {} }, async () => {});
  return { projectId: project.id, datasetId: dataset.id, run, connectionId: conn.id };
}

/** A dataset with `blueprint` as its draft, and a connection to the fake server at `baseUrl` (key sk-test-right). */
export async function datasetOnFakeLlm(db: Db, projectId: string, baseUrl: string, blueprint: Blueprint) {
  const dataset = await createDataset(db, { projectId, name: uniqueName("ds") });
  await saveDraft(db, dataset.id, blueprint, 0);
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl, apiKey: "sk-test-right", defaultModel: "gpt-4o-mini", maxConcurrency: 64 }));
  return { datasetId: dataset.id, connectionId: conn.id };
}

/** Two criteria of a judge over a story: a 1-5 scale and pass/fail (the starter's kinds). */
export const SIMPLE_1_TO_5: JudgeCriterion = { name: "simple", description: "Only simple words.", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: `level ${value}` })) };
export const ON_TOPIC: JudgeCriterion = { name: "on_topic", description: "About the topic.", levels: ["pass", "fail"].map((value) => ({ value, description: value })) };

/** A topic, a short story about it, and the judge "quality" over the story on `criteria`. */
export function judgedStories(criteria: JudgeCriterion[], judgeModel = "gpt-4o-mini", withJudge = true): Blueprint {
  return {
    fields: [
      { id: "a", kind: "category", name: "topic", options: ["space", "sea", "forest"].map((value) => ({ value, weight: 1 })) },
      { id: "b", kind: "llm", name: "story", system: "", prompt: "Write about {{ topic }}.", model: "gpt-4o-mini", params: { max_tokens: 40 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
      ...(withJudge ? [{ id: "j", kind: "judge" as const, name: "quality", over: ["story"], criteria, model: judgeModel, params: { temperature: 0 } }] : []),
    ],
  };
}

/** Launches a run of `records` on the dataset and executes it here; its records in order. */
/** `concurrency` 1 makes the fake server's unseeded answers (it counts requests) the same on every run of a test. */
export async function runToEnd(db: Db, s: { datasetId: string; connectionId: string }, records: number, seed: number, concurrency = 4) {
  const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed, settings: { concurrency } }, async () => {});
  await executeRun(db, r.id);
  return db.record.findMany({ where: { runId: r.id }, orderBy: { index: "asc" } });
}

/**
 * A fake server (key sk-test-right, no latency) and a project for the file's tests, started
 * before them and closed after, with the database connection. Read `fake` and `projectId`
 * inside tests, once the hooks have run.
 */
export function fakeLlmProject(db: Db, name: string, options: FakeLlmOptions = {}) {
  const ctx = {} as { fake: FakeLlm; projectId: string };
  beforeAll(async () => {
    ctx.fake = await startFakeLlm({ apiKeys: ["sk-test-right"], latencyMs: 0, ...options });
    ctx.projectId = (await createProject(db, { name: uniqueName(name) })).id;
  });
  afterAll(async () => {
    await ctx.fake?.close();
    await db.$disconnect();
  });
  return ctx;
}
