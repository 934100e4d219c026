// A run reads its frozen blueprint and settings back from the database. A row that no
// longer parses (written by an older version, edited by hand) must fail the run with a
// message naming it, not crash the job somewhere inside generation.
import { afterAll, expect, test } from "vitest";
import { getDataset, listDatasets } from "@/lib/datasets/server/datasets";
import { testDb } from "@/lib/testing/db";
import { launchedTestRun } from "@/lib/testing/runs";
import { executeRun } from "./executor";

const db = testDb();
afterAll(() => db.$disconnect());

test("a damaged stored blueprint fails the run with a message naming the version and the path", async () => {
  const { run } = await launchedTestRun(db, "Stored");
  await db.blueprintVersion.update({
    where: { id: run.blueprintVersionId },
    data: { blueprint: { fields: [{ id: "a", kind: "dice", name: "n" }] } },
  });
  await expect(executeRun(db, run.id)).resolves.toBeUndefined();
  const after = await db.run.findUniqueOrThrow({ where: { id: run.id }, include: { blueprintVersion: true } });
  expect(after.status).toBe("failed");
  expect(after.stopReason).toMatch(new RegExp(`^The blueprint of version ${after.blueprintVersion.version} of this dataset cannot be read: fields\\.0\\.kind: `));
  expect(await db.record.count({ where: { runId: run.id } })).toBe(0);
});

test("damaged stored run settings fail the run the same way", async () => {
  const { run } = await launchedTestRun(db, "Stored");
  await db.run.update({ where: { id: run.id }, data: { settings: { concurrency: "lots" } } });
  await executeRun(db, run.id);
  const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(after.status).toBe("failed");
  expect(after.stopReason).toMatch(/^The settings of this run cannot be read: concurrency: /);
});

test("a damaged draft: the editor's read says which row, the dataset list still shows the dataset", async () => {
  const { projectId, datasetId } = await launchedTestRun(db, "Stored");
  await db.dataset.update({ where: { id: datasetId }, data: { draft: { fields: "none" } } });
  await expect(getDataset(db, datasetId)).rejects.toMatchObject({ code: "unreadable", message: expect.stringMatching(/^The blueprint of this dataset's draft cannot be read: fields: /) });
  expect((await listDatasets(db, projectId)).map((d) => [d.id, d.fieldCount])).toEqual([[datasetId, 0]]);
});
