// The judge's certainty from logprobs, against the fake server: a judged run stores p, the
// probability of each chosen score, beside it; "Judge least sure first" orders by it in SQL
// as lib/review/uncertainty.ts does in memory; a model that refuses logprobs still judges,
// with no p, after one refused request.
import { describe, expect, test } from "vitest";
import { criterionLines, probabilitiesOf, uncertainty } from "@/lib/review/uncertainty";
import { recordPage } from "@/lib/review/server/records";
import { testDb } from "@/lib/testing/db";
import { datasetOnFakeLlm, fakeLlmProject, judgedStories, ON_TOPIC, runToEnd, SIMPLE_1_TO_5 } from "@/lib/testing/runs";

const db = testDb();
const ctx = fakeLlmProject(db, "Judge logprobs", { models: ["gpt-4o-mini", "o3-mini"], noLogprobsModels: ["o3-mini"] });

const blueprint = (judgeModel: string) => judgedStories([SIMPLE_1_TO_5, ON_TOPIC], judgeModel);

async function judged(judgeModel: string, records: number, concurrency?: number) {
  const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, blueprint(judgeModel));
  return { datasetId: s.datasetId, rows: await runToEnd(db, s, records, 11, concurrency) };
}

type Verdict = Record<string, { score: number | string; reason: string; p?: number }>;

describe("the judge's certainty from logprobs", () => {
  test("a judged run stores p beside each score, and least-sure-first orders by it as the pure order does", async () => {
    // One request at a time: the fake server's answers to unseeded requests depend on their
    // order, and with four in flight a run now and then drew scores whose order by margin
    // alone was already sorted, so "p changes the order" below had nothing to show.
    const { datasetId, rows } = await judged("gpt-4o-mini", 24, 1);
    expect(rows.every((r) => r.status === "succeeded")).toBe(true);
    const ps: number[] = [];
    for (const r of rows) {
      const v = (r.values as Record<string, unknown>).quality as Verdict;
      for (const c of ["simple", "on_topic"]) {
        expect(v[c].p, `${r.index}.${c}`).toBeGreaterThan(0);
        expect(v[c].p).toBeLessThanOrEqual(1);
        ps.push(v[c].p!);
      }
    }
    expect(new Set(ps).size).toBeGreaterThan(5);

    const lines = criterionLines(blueprint("gpt-4o-mini"));
    const page = await recordPage(db, datasetId, { filter: {}, sort: { by: "uncertain", dir: "asc" }, offset: 0, limit: 100 });
    const byId = new Map(rows.map((r) => [r.id, r.values as Record<string, unknown>]));
    const withP = page.map((r) => uncertainty(lines, r.scores, probabilitiesOf(byId.get(r.id)!))!);
    expect(withP).toEqual([...withP].sort((a, b) => a - b));
    // p changes the order: by the margin alone, this page would not be sorted.
    const marginOnly = page.map((r) => uncertainty(lines, r.scores)!);
    expect(marginOnly).not.toEqual([...marginOnly].sort((a, b) => a - b));
  });

  test("a model that refuses logprobs is asked again without them: scores without p, one refusal per run", async () => {
    ctx.fake.reset();
    const { rows } = await judged("o3-mini", 6);
    expect(rows.every((r) => r.status === "succeeded")).toBe(true);
    for (const r of rows) {
      const v = (r.values as Record<string, unknown>).quality as Verdict;
      expect(Object.keys(v).sort()).toEqual(["on_topic", "simple"]);
      expect(v.simple.p).toBeUndefined();
    }
    // Four judge calls may be in flight when the first refusal comes back; never more.
    expect(ctx.fake.stats().byStatus[400]).toBeGreaterThanOrEqual(1);
    expect(ctx.fake.stats().byStatus[400]).toBeLessThanOrEqual(4);
  });
});
