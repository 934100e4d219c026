import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { saveLabelSchema, undoAction } from "@/lib/review/server/decisions";
import type { RecordFilter } from "@/lib/records/filter";
import { testDb, uniqueName } from "@/lib/testing/db";
import { nearDuplicate, prng, randomText, vocabulary } from "../synthetic";
import { prepareDedupePass, runDedupePass } from "./dedupe";
import { keepOnePerCluster } from "./keep-one";
import { clusterView, recordPage, reviewSetup } from "@/lib/review/server/records";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!);
let projectId: string;
const rand = prng(11);
const words = vocabulary(2000, rand);
const ME = "Ana";

beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Keep one") })).id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

/** Two clusters: {a0 (short), a1 (a0 plus words: longer)} and {b0, b1, b2: the same text}, and one lone record. */
async function setup() {
  const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
  const a = randomText(1000, words, rand);
  let longer = nearDuplicate(a, 0.9, words, rand);
  while (longer.text.length <= a.length) longer = nearDuplicate(a, 0.9, words, rand);
  const b = randomText(1000, words, rand);
  const stories = [a, longer.text, b, b.toUpperCase(), `${b}!`, randomText(1000, words, rand)];
  const ids: string[] = [];
  for (const [index, story] of stories.entries()) {
    ids.push((await db.record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values: { story } } })).id);
  }
  await prepareDedupePass(db, { datasetId, fields: ["story"] });
  await runDedupePass(db, pool, datasetId);
  expect(await db.duplicateCluster.count({ where: { datasetId } })).toBe(2);
  return { datasetId, ids };
}

async function states(ids: string[]) {
  const rows = await db.record.findMany({ where: { id: { in: ids } }, select: { id: true, reviewState: true } });
  return ids.map((id) => rows.find((r) => r.id === id)!.reviewState);
}

describe("keep one per cluster", () => {
  test("the grid's filter finds the records in a duplicate cluster, those in none, and one cluster's members", async () => {
    const { datasetId, ids } = await setup();
    const page = async (filter: RecordFilter) =>
      (await recordPage(db, datasetId, { filter, sort: { by: "position", dir: "asc" }, offset: 0, limit: 50 })).map((r) => ids.indexOf(r.id));
    expect(await page({ duplicate: true })).toEqual([0, 1, 2, 3, 4]);
    expect(await page({ duplicate: false })).toEqual([5]);
    const cluster = await db.recordSignature.findUniqueOrThrow({ where: { recordId: ids[3] } });
    expect(await page({ clusterId: cluster.clusterId! })).toEqual([2, 3, 4]);
    expect(await page({ duplicate: true, reviewState: ["rejected"] })).toEqual([]);
  });

  test("grid rows carry their cluster, the setup offers the duplicate column, and a cluster reads side by side", async () => {
    const { datasetId, ids } = await setup();
    const rows = await recordPage(db, datasetId, { filter: {}, sort: { by: "position", dir: "asc" }, offset: 0, limit: 10 });
    expect(rows.map((r) => r.cluster && { size: r.cluster.size, exact: r.cluster.exact })).toEqual([
      { size: 2, exact: false },
      { size: 2, exact: false },
      { size: 3, exact: true },
      { size: 3, exact: true },
      { size: 3, exact: true },
      null,
    ]);
    expect(rows.every((r) => r.failing.length === 0 && !r.rejected && r.contamination === null)).toBe(true);
    expect((await reviewSetup(db, datasetId)).quality).toEqual({ validators: [], duplicates: true, contamination: false, judges: [] });
    const view = await clusterView(db, datasetId, rows[2].cluster!.id, ids[4]);
    expect(view).toMatchObject({ size: 3, exact: true, fields: ["story"] });
    expect(view.members.map((m) => ids.indexOf(m.id))).toEqual([4, 2, 3]);
    await expect(clusterView(db, ids[0], rows[2].cluster!.id)).rejects.toThrow(/not found/);
  });

  test("first: rejects all but each cluster's first record in one action; undo brings them back", async () => {
    const { datasetId, ids } = await setup();
    const res = await keepOnePerCluster(db, { datasetId, reviewer: ME, policy: "first" });
    expect(res.count).toBe(3);
    expect(await states(ids)).toEqual(["unreviewed", "rejected", "unreviewed", "rejected", "rejected", "unreviewed"]);
    const action = await db.reviewAction.findUniqueOrThrow({ where: { id: res.actionId! } });
    expect(action).toMatchObject({ kind: "reject", count: 3, detail: { keepOne: "first" } });
    const u = await undoAction(db, { datasetId, reviewer: ME });
    expect(u).toMatchObject({ actionId: res.actionId, restored: 3, skipped: 0 });
    expect(await states(ids)).toEqual(Array(6).fill("unreviewed"));
  });

  test("longest keeps the longest text; best-label keeps the best-rated record", async () => {
    const { datasetId, ids } = await setup();
    await keepOnePerCluster(db, { datasetId, reviewer: ME, policy: "longest" });
    // b0 and b2 differ by "!", which normalisation drops, but b2 is one character longer.
    expect(await states(ids)).toEqual(["rejected", "unreviewed", "rejected", "rejected", "unreviewed", "unreviewed"]);
    await undoAction(db, { datasetId, reviewer: ME });

    await expect(keepOnePerCluster(db, { datasetId, reviewer: ME, policy: "best-label", label: "quality" })).rejects.toThrow(/not a rating label/);
    await saveLabelSchema(db, datasetId, { labels: [{ name: "quality", kind: "rating" }] });
    await db.record.update({ where: { id: ids[3] }, data: { labels: { quality: 5 } } });
    await db.record.update({ where: { id: ids[2] }, data: { labels: { quality: 2 } } });
    await keepOnePerCluster(db, { datasetId, reviewer: ME, policy: "best-label", label: "quality" });
    // No ratings in the first cluster: its first record stays.
    expect(await states(ids)).toEqual(["unreviewed", "rejected", "rejected", "unreviewed", "rejected", "unreviewed"]);
  });

  test("before any detection it says to run it first", async () => {
    const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
    await expect(keepOnePerCluster(db, { datasetId, reviewer: ME, policy: "first" })).rejects.toThrow(/Run duplicate detection/);
  });
});
