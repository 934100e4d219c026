import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { recordPage } from "@/lib/review/server/records";
import { testDb, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { nearDuplicate, prng, randomText, vocabulary } from "../synthetic";
import { dedupeStatus, keepPassAlive, prepareDedupePass, runDedupePass } from "./dedupe";
import { duplicatesOverview } from "./duplicates-overview";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!);
let projectId: string;
const rand = prng(11);
const words = vocabulary(2000, rand);

beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Duplicates overview") })).id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

async function datasetWith(stories: string[]) {
  const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
  const ids: string[] = [];
  for (const [index, story] of stories.entries()) {
    ids.push((await db.record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values: { topic: "sea", story } } })).id);
  }
  return { datasetId, ids };
}

describe("duplicates overview (the Health tab's Duplicates section)", () => {
  test("before any pass: no charts; after: rate split exact / near, sizes, and a size filter that selects the bucket's records", async () => {
    const base = Array.from({ length: 6 }, () => randomText(600, words, rand));
    const near = nearDuplicate(base[0], 0.9, words, rand).text;
    // Cluster of 3 (near), cluster of 2 (exact after normalisation), 4 singles.
    const stories = [base[0], near, base[0].toUpperCase(), base[1], base[1].replace(/ /g, "  "), base[2], base[3], base[4], base[5]];
    const { datasetId, ids } = await datasetWith(stories);
    await saveDraft(db, datasetId, {
      fields: [
        { id: "a", kind: "category", name: "topic", options: [{ value: "sea", weight: 1 }] },
        { id: "b", kind: "llm", name: "story", system: "", prompt: "A story about {{ topic }}.", model: "m", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
      ],
    }, 0);

    const before = await duplicatesOverview(db, datasetId);
    expect(before.status.status).toBe("none");
    expect(before.rate).toBeNull();
    expect(before.sizes).toEqual([]);
    // The sampled category is not text to compare; the LLM field is ticked by default.
    expect(before.textFields).toEqual(["story"]);
    expect(before.defaultFields).toEqual(["story"]);

    await prepareDedupePass(db, { datasetId, fields: ["story"], threshold: 0.8 });
    await runDedupePass(db, pool, datasetId);
    const after = await duplicatesOverview(db, datasetId);
    expect(after.status).toMatchObject({ status: "completed", clusters: 2, duplicates: 5 });
    expect(after.rate).toEqual({ checked: 9, inClusters: 5, exactRecords: 2, nearRecords: 3, clusters: 2, rate: 5 / 9 });
    expect(after.sizes.map((b) => [b.label, b.clusters, b.records])).toEqual([
      ["2", 1, 2],
      ["3", 1, 3],
    ]);
    expect(after.defaultFields).toEqual(["story"]);

    const page = async (filter: Parameters<typeof recordPage>[2]["filter"]) =>
      (await recordPage(db, datasetId, { filter, sort: { by: "position", dir: "asc" }, offset: 0, limit: 20 })).map((r) => ids.indexOf(r.id));
    expect(await page({ clusterSize: { min: 3, max: 3 } })).toEqual([0, 1, 2]);
    expect(await page({ clusterSize: { min: 2, max: 2 } })).toEqual([3, 4]);
    expect(await page({ clusterSize: { min: 2 } })).toEqual([0, 1, 2, 3, 4]);
    expect(await page({ clusterSize: { min: 4 } })).toEqual([]);
  });

  test("a live pass keeps its state fresh; one whose process stopped is reported stopped with a way forward", async () => {
    const { datasetId } = await datasetWith([randomText(300, words, rand), randomText(300, words, rand)]);
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    const backdate = () => db.$executeRaw`update "DedupeState" set "updatedAt" = now() - interval '5 minutes' where "datasetId" = ${datasetId}::uuid`;

    // Abandoned (no process beats for it): stopped, and a new pass may start.
    await backdate();
    const stopped = await dedupeStatus(db, datasetId);
    expect(stopped.status).toBe("failed");
    expect(stopped.error).toMatch(/stopped before it finished: run it again/);

    // A pass still working in this process (long phases without progress writes) stays running.
    let finish!: () => void;
    const work = new Promise<void>((r) => (finish = r));
    keepPassAlive(db, datasetId, work, 20);
    await until(async () => (await dedupeStatus(db, datasetId)).status === "running", { timeoutMs: 5000, intervalMs: 20 });
    await expect(prepareDedupePass(db, { datasetId, fields: ["story"] })).rejects.toThrow(/already running/);

    // Once the work settles the beat stops: the state can go stale again.
    finish();
    await work;
    await backdate();
    expect((await dedupeStatus(db, datasetId)).status).toBe("failed");
  });
});
