import { afterAll, describe, expect, test } from "vitest";
import { createSeedDataset, SEED_BLUEPRINT, seedRecords } from "@/lib/testing/seed-records";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { datasetFields, RECENT_RECORDS } from "./fields";

const db = testDb();
const sql = testPgClient();
afterAll(() => db.$disconnect());

const setDraft = (datasetId: string, draft: unknown) => sql.query(`update "Dataset" set draft = $2 where id = $1`, [datasetId, JSON.stringify(draft)]);

describe("datasetFields", () => {
  test("before any record: the draft's fields in its order", async () => {
    const { datasetId } = await createSeedDataset(sql, uniqueName("Fields"));
    expect(await datasetFields(db, datasetId)).toEqual(["topic", "difficulty", "n", "question", "answer"]);
  });

  test("with records: the draft's fields they have, in its order, then their other keys sorted; a draft field no record has is left out", async () => {
    const ds = await createSeedDataset(sql, uniqueName("Fields"));
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 10);
    // An import added keys the blueprint does not have; the draft gained a field not generated yet.
    await sql.query(`update "Record" set values = values || '{"zeta": 1, "alpha": 2}' where "datasetId" = $1 and index = 3`, [ds.datasetId]);
    const draft = { fields: [{ id: "f0", kind: "expression", name: "later", template: "x" }, ...[...SEED_BLUEPRINT.fields].reverse()] };
    await setDraft(ds.datasetId, draft);
    expect(await datasetFields(db, ds.datasetId)).toEqual(["answer", "question", "n", "difficulty", "topic", "alpha", "zeta"]);
  });

  test("keys of the newest records count, not of records long gone from view", async () => {
    const ds = await createSeedDataset(sql, uniqueName("Fields"));
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, RECENT_RECORDS + 5);
    await sql.query(`update "Record" set values = values || '{"old_key": 1}', "createdAt" = now() - interval '1 day' where "datasetId" = $1 and index = 0`, [ds.datasetId]);
    await sql.query(`update "Record" set values = values || '{"new_key": 1}', "createdAt" = now() + interval '1 day' where "datasetId" = $1 and index = 1`, [ds.datasetId]);
    const fields = await datasetFields(db, ds.datasetId);
    expect(fields).toContain("new_key");
    expect(fields).not.toContain("old_key");
  });

  test("a damaged draft fails with a message naming it; a missing dataset is not found", async () => {
    const { datasetId } = await createSeedDataset(sql, uniqueName("Fields"));
    await setDraft(datasetId, { fields: [{ id: "f1", kind: "nonsense", name: "x" }] });
    await expect(datasetFields(db, datasetId)).rejects.toThrow(/The blueprint of this dataset's draft cannot be read: fields\.0/);
    await expect(datasetFields(db, crypto.randomUUID())).rejects.toThrow(/dataset/i);
  });
});
