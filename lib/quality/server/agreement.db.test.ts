import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { bulkDecide, bulkLabel, saveLabelSchema } from "@/lib/review/server/decisions";
import { testDb, uniqueName } from "@/lib/testing/db";
import { criterionAgreement, judgeTrust } from "./agreement";

const db = testDb();
let projectId: string;

const BLUEPRINT: Blueprint = {
  fields: [
    { id: "t", kind: "category", name: "topic", options: [{ value: "animals", weight: 1 }, { value: "twists", weight: 1 }] },
    { id: "s", kind: "expression", name: "story", template: "A story about {{ topic }}." },
    {
      id: "j",
      kind: "judge",
      name: "quality",
      over: ["story"],
      criteria: [
        { name: "simple", description: "Simple words.", levels: [1, 2, 3, 4, 5].map((value) => ({ value, description: `level ${value}` })) },
        { name: "ok", description: "Fine?", levels: ["pass", "fail"].map((value) => ({ value, description: value })) },
      ],
      model: "gpt-4o-mini",
      params: {},
    },
  ],
};

beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Judge trust") })).id;
});
afterAll(async () => {
  await db.$disconnect();
});

type Seed = { topic: string; simple: number; ok: string; decision: "accept" | "reject" | null; label?: string };

async function datasetWith(seeds: Seed[]) {
  const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
  await saveDraft(db, datasetId, BLUEPRINT, 0);
  const ids: string[] = [];
  for (const [index, s] of seeds.entries()) {
    const values = { topic: s.topic, story: `A story about ${s.topic}.`, quality: { simple: { score: s.simple, reason: "r" }, ok: { score: s.ok, reason: "r" } } };
    ids.push((await db.record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values } })).id);
  }
  // Decisions and labels go through the review service, as the grid's do.
  for (const decision of ["accept", "reject"] as const) {
    const chosen = ids.filter((_, i) => seeds[i].decision === decision);
    if (chosen.length) await bulkDecide(db, { datasetId, target: { ids: chosen }, reviewer: "ann", decision });
  }
  return { datasetId, ids };
}

const times = (n: number, s: Seed) => Array.from({ length: n }, () => s);

describe("judge trust (the Health tab's Judges section)", () => {
  test("accuracy, kappa and the confusion matrix from seeded decisions; per sampler value worst first", async () => {
    // animals: judge and people agree on all 20. twists: judge says good (5) on 10 that people rejected,
    // agrees on 5 good and 5 bad. Unreviewed records do not count.
    const { datasetId } = await datasetWith([
      ...times(12, { topic: "animals", simple: 5, ok: "pass", decision: "accept" }),
      ...times(8, { topic: "animals", simple: 2, ok: "fail", decision: "reject" }),
      ...times(5, { topic: "twists", simple: 4, ok: "pass", decision: "accept" }),
      ...times(10, { topic: "twists", simple: 5, ok: "pass", decision: "reject" }),
      ...times(5, { topic: "twists", simple: 1, ok: "fail", decision: "reject" }),
      ...times(7, { topic: "twists", simple: 1, ok: "fail", decision: null }),
    ]);
    const trust = await judgeTrust(db, datasetId);
    expect(trust.decided).toBe(40);
    expect(trust.thresholds).toEqual({ quality: { simple: { min: 4 }, ok: { accept: ["pass"] } } });
    const simple = trust.criteria.find((c) => c.criterion === "simple")!;
    // Judge good (>= 4): 12 + 5 + 10 = 27, of which people accepted 17; judge bad 13, all rejected.
    expect(simple.decision.confusion.counts).toEqual([[17, 10], [0, 13]]);
    expect(simple.decision.n).toBe(40);
    expect(simple.decision.accuracy).toBeCloseTo(30 / 40, 10);
    // Rows 27 | 13, columns 17 | 23: pe = (27·17 + 13·23) / 1600 = 758/1600.
    const pe = 758 / 1600;
    expect(simple.decision.kappa).toBeCloseTo((0.75 - pe) / (1 - pe), 10);
    expect(simple.scores).toEqual([
      { score: "1", accepted: 0, rejected: 5 },
      { score: "2", accepted: 0, rejected: 8 },
      { score: "3", accepted: 0, rejected: 0 },
      { score: "4", accepted: 5, rejected: 0 },
      { score: "5", accepted: 12, rejected: 10 },
    ]);
    expect(simple.samplers.map((s) => [s.field, s.value, s.agreement.n, s.agreement.agree])).toEqual([
      ["topic", "twists", 20, 10],
      ["topic", "animals", 20, 20],
    ]);
  });

  test("a user's threshold changes what the judge says good", async () => {
    const { datasetId } = await datasetWith([
      ...times(3, { topic: "animals", simple: 5, ok: "pass", decision: "accept" }),
      ...times(2, { topic: "animals", simple: 4, ok: "pass", decision: "reject" }),
    ]);
    const at4 = await criterionAgreement(db, datasetId, "quality", "simple");
    const at5 = await criterionAgreement(db, datasetId, "quality", "simple", { min: 5 });
    expect(at4!.decision.agree).toBe(3);
    expect(at5!.decision.agree).toBe(5);
  });

  test("a label whose options are the criterion's levels is compared too", async () => {
    const { datasetId, ids } = await datasetWith([
      ...times(3, { topic: "animals", simple: 5, ok: "pass", decision: null }),
      ...times(2, { topic: "animals", simple: 2, ok: "fail", decision: null }),
    ]);
    await saveLabelSchema(db, datasetId, { labels: [{ name: "verdict", kind: "single", options: ["pass", "fail"] }, { name: "stars", kind: "rating" }] });
    await bulkLabel(db, { datasetId, target: { ids: ids.slice(0, 4) }, reviewer: "ann", label: "verdict", value: "pass" });
    const trust = await judgeTrust(db, datasetId);
    const ok = trust.criteria.find((c) => c.criterion === "ok")!;
    expect(ok.labels.map((l) => l.label)).toEqual(["verdict"]);
    // Judge pass ×3 labelled pass, judge fail ×1 labelled pass, one unlabelled.
    expect(ok.labels[0].agreement.confusion.counts).toEqual([[3, 0], [1, 0]]);
    const simple = trust.criteria.find((c) => c.criterion === "simple")!;
    expect(simple.labels.map((l) => l.label)).toEqual(["stars"]);
    expect(simple.labels[0].agreement.n).toBe(0);
    expect(trust.decided).toBe(0);
  });

  test("no judge in the blueprint: nothing to measure", async () => {
    const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
    expect(await judgeTrust(db, datasetId)).toMatchObject({ decided: 0, criteria: [] });
  });
});
