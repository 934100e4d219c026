// The count the "Keep one per cluster" confirmation names before anything changes.
import { afterAll, beforeAll, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { prepareDedupePass, runDedupePass } from "@/lib/quality/server/dedupe";
import { keepOnePerCluster } from "@/lib/quality/server/keep-one";
import { testDb, uniqueName } from "@/lib/testing/db";
import { decide } from "./decisions";
import { keepOnePreview } from "./records";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!);
let projectId: string;
beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Keep one preview") })).id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const story = (n: number) => `Record ${n} tells of a ${["fox", "owl", "bee", "cat"][n % 4]} that walked ${n * 7} miles to the ${["sea", "hill"][n % 2]} and back again before dark. `.repeat(3);

test("names what keep one per cluster leaves rejected, whichever record is kept; none before any detection", async () => {
  const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
  // {0, 1, 2}: the same story, a case change and a one-word change; {3, 4}: the same story; 5 alone.
  const texts = [story(1), story(1).toUpperCase(), story(1).replace("back again", "home again"), story(2), story(2), story(3)];
  const ids: string[] = [];
  for (const [index, text] of texts.entries()) {
    ids.push((await db.record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values: { story: text } } })).id);
  }
  expect(await keepOnePreview(db, datasetId)).toBeNull();
  await prepareDedupePass(db, { datasetId, fields: ["story"] });
  await runDedupePass(db, pool, datasetId);
  expect(await keepOnePreview(db, datasetId)).toEqual({ clusters: 2, toReject: 3 });

  // A record already rejected is still one of those left rejected; the action changes the others.
  await decide(db, { recordId: ids[1], revision: 0, reviewer: "Ana", decision: "reject" });
  expect(await keepOnePreview(db, datasetId)).toEqual({ clusters: 2, toReject: 3 });
  const done = await keepOnePerCluster(db, { datasetId, reviewer: "Ana", policy: "longest" });
  expect(done.count).toBe(2);
  const rejected = await db.record.count({ where: { datasetId, reviewState: "rejected" } });
  expect(rejected).toBe(3);
});
