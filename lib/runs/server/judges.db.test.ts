// Judges in a run against the fake OpenAI-compatible server: scores and reasons stored on
// the record with the judge's prompt in provenance, a judge whose answers never fit marks
// the record "judge failed", and an edited rubric is never answered from the cache.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint, JudgeCriterion, JudgeField } from "@/lib/blueprints/schema";
import { saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { datasetFields } from "@/lib/records/server/fields";
import type { PageQuery } from "@/lib/review/schemas";
import { criterionLines, probabilitiesOf, uncertainty } from "@/lib/review/uncertainty";
import { recordPage, reviewSetup } from "@/lib/review/server/records";
import { testDb, uniqueName } from "@/lib/testing/db";
import { datasetOnFakeLlm } from "@/lib/testing/runs";
import { estimateRun } from "./estimate";
import { executeRun } from "./executor";
import { launchRun } from "./runs";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  projectId = (await createProject(db, { name: uniqueName("Judges") })).id;
});
beforeEach(() => fake.configure({ latencyMs: 0, wrongSchemaRate: 0 }));
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

const FIVE: JudgeCriterion = { name: "simple", description: "Only simple words.", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: `level ${value}` })) };
const PASS: JudgeCriterion = { name: "on_topic", description: "About the topic.", levels: ["pass", "fail"].map((value) => ({ value, description: value })) };

const judge = (criteria: JudgeCriterion[]): JudgeField => ({ id: "j", kind: "judge", name: "quality", over: ["topic", "story"], criteria, model: "gpt-4o-mini", params: { temperature: 0 } });
const blueprint = (criteria: JudgeCriterion[]): Blueprint => ({
  fields: [
    { id: "a", kind: "category", name: "topic", options: ["space", "sea", "forest"].map((value) => ({ value, weight: 1 })) },
    { id: "b", kind: "llm", name: "story", system: "", prompt: "Write about {{ topic }}.", model: "gpt-4o-mini", params: { max_tokens: 60 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
    judge(criteria),
  ],
});

const setup = (b: Blueprint) => datasetOnFakeLlm(db, projectId, fake.url, b);

async function run(s: { datasetId: string; connectionId: string }, records: number, seed: number) {
  const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed, settings: { concurrency: 8 } }, async () => {});
  await executeRun(db, r.id);
  return {
    run: await db.run.findUniqueOrThrow({ where: { id: r.id } }),
    records: await db.record.findMany({ where: { runId: r.id }, orderBy: { index: "asc" } }),
  };
}

type Prov = { llm: Record<string, { model: string; cached: boolean; messages: { role: string; content: string }[]; reasks: number; error?: string }> };

describe("judge fields in runs", () => {
  test("the grid shows each criterion's score as a column, and filters and sorts by it", async () => {
    const s = await setup(blueprint([FIVE, PASS]));
    const { records } = await run(s, 12, 9);
    const scoreOf = (id: string) => ((records.find((r) => r.id === id)!.values as Record<string, Record<string, { score: number | string }>>).quality);
    const page = (q: Partial<PageQuery>) => recordPage(db, s.datasetId, { filter: {}, sort: { by: "position", dir: "asc" }, offset: 0, limit: 50, ...q });
    const rows = await page({});
    for (const r of rows) expect(r.scores).toEqual({ quality: { simple: scoreOf(r.id).simple.score, on_topic: scoreOf(r.id).on_topic.score } });
    expect((await reviewSetup(db, s.datasetId)).quality.judges).toEqual([
      { field: "quality", criterion: "simple", levels: [1, 2, 3, 4, 5] },
      { field: "quality", criterion: "on_topic", levels: ["pass", "fail"] },
    ]);
    const fours = records.filter((r) => scoreOf(r.id).simple.score === 4 || scoreOf(r.id).simple.score === 5).map((r) => r.id).sort();
    expect((await page({ filter: { judge: [{ field: "quality", criterion: "simple", scores: [4, 5] }] } })).map((r) => r.id).sort()).toEqual(fours);
    const passing = records.filter((r) => scoreOf(r.id).on_topic.score === "pass").length;
    expect(await page({ filter: { judge: [{ field: "quality", criterion: "on_topic", scores: ["pass"] }] } })).toHaveLength(passing);
    const sorted = (await page({ sort: { by: "judge", field: "quality", criterion: "simple", dir: "desc" } })).map((r) => r.scores.quality.simple as number);
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    expect(new Set(sorted).size).toBeGreaterThan(1);

    // Least sure first: the order of lib/review/uncertainty.ts, computed in SQL.
    const lines = criterionLines(blueprint([FIVE, PASS]));
    // Judges store p, the probability of each chosen score, which scales the margin.
    const valuesOf = (id: string) => records.find((r) => r.id === id)!.values as Record<string, unknown>;
    const unsure = (await page({ sort: { by: "uncertain", dir: "asc" } })).map((r) => uncertainty(lines, r.scores, probabilitiesOf(valuesOf(r.id)))!);
    expect(unsure).toEqual([...unsure].sort((a, b) => a - b));
    expect(new Set(unsure).size).toBeGreaterThan(1);
  });

  test("store a score among the levels and a reason per criterion, with the judge's prompt in provenance; export lists the judge", async () => {
    const s = await setup(blueprint([FIVE, PASS]));
    const { run: after, records } = await run(s, 12, 5);
    expect(after.status).toBe("completed");
    expect(records).toHaveLength(12);
    for (const r of records) {
      const v = r.values as Record<string, unknown>;
      const q = v.quality as Record<string, { score: unknown; reason: unknown }>;
      expect(Object.keys(q)).toEqual(["simple", "on_topic"]);
      expect([1, 2, 3, 4, 5]).toContain(q.simple.score);
      expect(["pass", "fail"]).toContain(q.on_topic.score);
      expect(typeof q.simple.reason).toBe("string");
      expect(r.nonTextFields).toContain("quality");
      const prov = (r.provenance as Prov).llm.quality;
      expect(prov.model).toBe("gpt-4o-mini");
      expect(prov.messages[0].content).toContain("- 5: level 5");
      expect(prov.messages[1].content).toContain(`## topic\n${v.topic as string}\n\n## story\n${v.story as string}`);
    }
    expect(await datasetFields(db, s.datasetId)).toEqual(["topic", "story", "quality"]);
    // The cost estimate counts the judge's calls: two model calls per record, not one.
    const est = await estimateRun(db, s.datasetId, blueprint([FIVE, PASS]), 10, 5);
    const storyOnly = await estimateRun(db, s.datasetId, { fields: blueprint([FIVE]).fields.slice(0, 2) }, 10, 5);
    expect(est.tokensIn).toBeGreaterThan(storyOnly.tokensIn * 1.5);
  });

  test("an answer that never fits the rubric marks the record judge failed, keeps the story, and stores no score", async () => {
    fake.configure({ wrongSchemaRate: 1 });
    const s = await setup(blueprint([FIVE, PASS]));
    const { run: after, records } = await run(s, 4, 9);
    expect(after.status).toBe("failed");
    expect(after.failed).toBe(4);
    for (const r of records) {
      expect(r.status).toBe("failed");
      expect(r.error).toMatch(/^quality: judge failed: the answer did not fit the rubric after 3 tries/);
      const v = r.values as Record<string, unknown>;
      expect(typeof v.story).toBe("string");
      expect(v).not.toHaveProperty("quality");
      expect((r.provenance as Prov).llm.quality).toMatchObject({ reasks: 2, error: expect.stringMatching(/^judge failed/) });
    }
  });

  test("an edited rubric is asked again, never answered from the cache of the old one; the story is", async () => {
    const s = await setup(blueprint([FIVE]));
    const first = await run(s, 6, 42);
    expect(first.run.status).toBe("completed");
    const pass = { ...FIVE, levels: [{ value: "pass", description: "simple" }, { value: "fail", description: "not simple" }] };
    await saveDraft(db, s.datasetId, blueprint([pass]), 1);
    const before = fake.stats().chatCompletions;
    const second = await run(s, 6, 42);
    expect(second.run.status).toBe("completed");
    // Only the judges went to the model: 6 calls, one per record.
    expect(fake.stats().chatCompletions - before).toBe(6);
    for (const r of second.records) {
      const prov = (r.provenance as Prov).llm;
      expect(prov.story.cached).toBe(true);
      expect(prov.quality.cached).toBe(false);
      expect(["pass", "fail"]).toContain(((r.values as Record<string, unknown>).quality as Record<string, { score: unknown }>).simple.score);
    }
  });
});
