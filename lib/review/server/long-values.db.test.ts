// A long value travels whole only when asked: the record detail cuts it and says so, and
// recordValue (the panel's "Show all") returns it whole.
import { afterAll, describe, expect, test } from "vitest";
import { PREVIEW_CHARS } from "@/lib/records/long-values";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { recordDetail, recordValue } from "./records";

const db = testDb();
const sql = testPgClient();
afterAll(() => db.$disconnect());

describe("long values in the record detail", () => {
  test("are cut with their full length stated, and fetched whole one at a time", async () => {
    const ds = await createSeedDataset(sql, uniqueName("Long"), 1);
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 1);
    const r = await db.record.findFirstOrThrow({ where: { datasetId: ds.datasetId } });
    const answer = "a".repeat(1_234_567);
    const json = { items: Array.from({ length: 5000 }, (_, i) => `item ${i}`) };
    await db.record.update({ where: { id: r.id }, data: { values: { ...(r.values as object), answer, json } } });

    const d = await recordDetail(db, r.id);
    expect(d.values.answer).toBe("a".repeat(PREVIEW_CHARS));
    expect(d.long).toEqual({ answer: 1_234_567, json: JSON.stringify(json).length });
    expect((d.values.json as string).length).toBe(PREVIEW_CHARS);
    expect(d.values.question).toBe((r.values as Record<string, unknown>).question);

    expect((await recordValue(db, r.id, "answer")).value).toBe(answer);
    expect((await recordValue(db, r.id, "json")).value).toEqual(json);
    await expect(recordValue(db, r.id, "nope")).rejects.toThrow(/The value was not found/);
  });
});
