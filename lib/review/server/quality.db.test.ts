// The grid's quality data: the row fields its Checks, Duplicates and reference cells draw,
// which of those columns a dataset offers, a cluster's members side by side, and the count
// the "Keep one per cluster" confirmation names.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { prepareDedupePass, runDedupePass } from "@/lib/quality/server/dedupe";
import { keepOnePerCluster } from "@/lib/quality/server/keep-one";
import { PREVIEW_CHARS } from "@/lib/records/long-values";
import { testDb, uniqueName } from "@/lib/testing/db";
import { DEFAULT_SORT } from "../schemas";
import { decide } from "./decisions";
import { clusterView, keepOnePreview, qualitySetup, recordPage, recordRow } from "./records";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!);
let projectId: string;

beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Grid quality") })).id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const story = (n: number) => `Record ${n} tells of a ${["fox", "owl", "bee", "cat"][n % 4]} that walked ${n * 7} miles to the ${["sea", "hill"][n % 2]} and back again before dark. `.repeat(3);

/** Five records: 0 and 1 the same text, 2 a near copy of 0, 3 and 4 on their own; checks on 1 and 3, a reference match on 4. */
async function setup() {
  const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
  const texts = [story(1), story(1).toUpperCase(), story(1).replace("back again", "home again"), story(2), story(3)];
  const checks = [
    { short: { pass: true, mode: "flag" } },
    { short: { pass: false, mode: "flag", message: "212 words, more than 200" }, english: { pass: false, mode: "reject", message: "looks like German" } },
    { short: { pass: true, mode: "flag" } },
    { short: { pass: false, mode: "flag", message: "250 words" }, english: { pass: true, mode: "reject" } },
    null,
  ];
  const ids: string[] = [];
  for (const [index, text] of texts.entries()) {
    const c = checks[index];
    const rejected = !!c && Object.values(c).some((x) => !x.pass && x.mode === "reject");
    ids.push((await db.record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values: { story: text, n: index }, checks: c ?? undefined, rejected } })).id);
  }
  return { datasetId, ids };
}
const rows = async (datasetId: string) => recordPage(db, datasetId, { filter: {}, sort: DEFAULT_SORT, offset: 0, limit: 50 });

describe("the grid's quality data", () => {
  test("a plain dataset offers no quality column and its rows carry nothing", async () => {
    const datasetId = (await createDataset(db, { projectId, name: uniqueName("plain") })).id;
    await db.record.create({ data: { datasetId, index: 0, source: "imported", status: "succeeded", values: { story: "x" } } });
    expect(await qualitySetup(db, datasetId)).toEqual({ validators: [], dedupe: null, contamination: false });
    const [row] = await rows(datasetId);
    expect(row).toMatchObject({ rejected: false, failing: [], duplicate: null, contamination: null });
    expect(await keepOnePreview(db, datasetId)).toBeNull();
  });

  test("rows carry the failing validators, the cluster's size and kind, and the reference overlap", async () => {
    const { datasetId, ids } = await setup();
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    await runDedupePass(db, pool, datasetId);
    await db.contaminationMatch.create({ data: { datasetId, recordId: ids[4], overlap: 7 } });

    const got = await rows(datasetId);
    expect(got.map((r) => r.id)).toEqual(ids);
    expect(got[0].failing).toEqual([]);
    expect(got[1].failing).toEqual([
      { name: "english", mode: "reject", message: "looks like German" },
      { name: "short", mode: "flag", message: "212 words, more than 200" },
    ]);
    expect(got.map((r) => r.rejected)).toEqual([false, true, false, false, false]);
    expect(got[3].failing.map((f) => f.name)).toEqual(["short"]);
    // 0 and 1 are the same text, 2 a near copy: one cluster of three, not exact.
    const cluster = got[0].duplicate!;
    expect(cluster).toMatchObject({ size: 3, exact: false });
    expect(got[1].duplicate).toEqual(cluster);
    expect(got[2].duplicate).toEqual(cluster);
    expect(got[3].duplicate).toBeNull();
    expect(got.map((r) => r.contamination)).toEqual([null, null, null, null, 7]);
    // A single row (after a conflict) reads the same.
    expect(await recordRow(db, ids[1])).toEqual(got[1]);

    expect(await qualitySetup(db, datasetId)).toEqual({
      validators: [{ name: "english", mode: "reject" }, { name: "short", mode: "flag" }],
      dedupe: { fields: ["story"], status: "completed" },
      contamination: true,
    });
  });

  test("a cluster's members come with their review state, the asked record first, long texts cut", async () => {
    const { datasetId, ids } = await setup();
    const long = Array.from({ length: PREVIEW_CHARS / 4 }, (_, i) => `w${i}`).join(" ");
    await db.record.update({ where: { id: ids[3] }, data: { values: { story: long } } });
    await db.record.update({ where: { id: ids[4] }, data: { values: { story: `${long}tail` } } });
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    await runDedupePass(db, pool, datasetId);
    await decide(db, { recordId: ids[2], revision: 0, reviewer: "Ana", decision: "accept" });
    const [r2] = (await rows(datasetId)).filter((r) => r.id === ids[2]);

    const view = await clusterView(db, datasetId, r2.duplicate!.clusterId, ids[2]);
    expect(view.members.map((m) => m.id)).toEqual([ids[2], ids[0], ids[1]]);
    expect(view.members.map((m) => m.reviewState)).toEqual(["accepted", "unreviewed", "unreviewed"]);
    expect(view.members[1].texts).toEqual({ story: story(1) });
    expect(view).toMatchObject({ size: 3, exact: false, fields: ["story"], shown: 3 });

    const [r4] = (await rows(datasetId)).filter((r) => r.id === ids[4]);
    const longView = await clusterView(db, datasetId, r4.duplicate!.clusterId);
    expect(longView.members.map((m) => m.id)).toEqual([ids[3], ids[4]]);
    expect(longView.members[1].texts.story.length).toBe(PREVIEW_CHARS);
    expect(longView.members[1].cut).toEqual(["story"]);
    expect(longView.members[0].cut).toEqual(["story"]);

    // A cluster of another dataset is not found from this one.
    const other = (await createDataset(db, { projectId, name: uniqueName("other") })).id;
    await expect(clusterView(db, other, r4.duplicate!.clusterId)).rejects.toThrow(/duplicate cluster/);
  });

  test("the keep-one confirmation names what the action leaves rejected", async () => {
    const { datasetId, ids } = await setup();
    await db.record.update({ where: { id: ids[4] }, data: { values: { story: story(2) } } });
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    await runDedupePass(db, pool, datasetId);
    // Two clusters: {0, 1, 2} and {3, 4}: three records to reject.
    expect(await keepOnePreview(db, datasetId)).toEqual({ clusters: 2, toReject: 3 });
    const done = await keepOnePerCluster(db, { datasetId, reviewer: "Ana", policy: "first" });
    expect(done.count).toBe(3);
  });
});
