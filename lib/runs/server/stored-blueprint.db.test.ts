// A run reads its frozen blueprint and settings back from the database. A row that no
// longer parses (written by an older version, edited by hand) must fail the run with a
// message naming it, not crash the job somewhere inside generation.
import { afterAll, expect, test } from "vitest";
import { createDataset, getDataset, listDatasets, saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { testDb, uniqueName } from "@/lib/testing/db";
import { executeRun } from "./executor";
import { launchRun } from "./runs";

const db = testDb();
afterAll(() => db.$disconnect());

async function launchedRun() {
  const project = await createProject(db, { name: uniqueName("Stored") });
  const dataset = await createDataset(db, { projectId: project.id, name: "stored" });
  await saveDraft(db, dataset.id, { fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 9, integer: true }] }, 0);
  // Never called: the run fails before it reaches the provider.
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("c"), preset: "custom", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-x", defaultModel: "m", maxConcurrency: 4 }));
  const run = await launchRun(db, { datasetId: dataset.id, connectionId: conn.id, records: 5, settings: {} }, async () => {});
  return { project, dataset, run };
}

test("a damaged stored blueprint fails the run with a message naming the version and the path", async () => {
  const { run } = await launchedRun();
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
  const { run } = await launchedRun();
  await db.run.update({ where: { id: run.id }, data: { settings: { concurrency: "lots" } } });
  await executeRun(db, run.id);
  const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
  expect(after.status).toBe("failed");
  expect(after.stopReason).toMatch(/^The settings of this run cannot be read: concurrency: /);
});

test("a damaged draft: the editor's read says which row, the dataset list still shows the dataset", async () => {
  const { project, dataset } = await launchedRun();
  await db.dataset.update({ where: { id: dataset.id }, data: { draft: { fields: "none" } } });
  await expect(getDataset(db, dataset.id)).rejects.toMatchObject({ code: "unreadable", message: expect.stringMatching(/^The blueprint of this dataset's draft cannot be read: fields: /) });
  expect((await listDatasets(db, project.id)).map((d) => [d.id, d.fieldCount])).toEqual([[dataset.id, 0]]);
});
