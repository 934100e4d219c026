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

  test("saved prompts, sampled values and the edit history are cut the same way", async () => {
    const ds = await createSeedDataset(sql, uniqueName("Long"), 1);
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 1);
    const r = await db.record.findFirstOrThrow({ where: { datasetId: ds.datasetId } });
    const row = "r".repeat(300_000);
    const prompt = `Write about this:\n${row}`;
    const llm = { model: "m", params: {}, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: prompt }], tokensIn: 1, tokensOut: 1, costUsd: 0, latencyMs: 1, attempts: 1 };
    await db.record.update({
      where: { id: r.id },
      data: {
        provenance: { sampled: { row, topic: "sea" }, llm: { answer: llm } },
        edits: { answer: [{ from: row, to: "short", by: "Ana", at: new Date().toISOString() }] },
      },
    });
    const d = await recordDetail(db, r.id);
    const [system, user] = d.provenance.llm!.answer.messages;
    expect(system).toEqual({ role: "system", content: "Be brief." });
    expect(user).toEqual({ role: "user", content: prompt.slice(0, PREVIEW_CHARS), length: prompt.length });
    expect(d.provenance.sampled).toEqual({ row: row.slice(0, PREVIEW_CHARS), topic: "sea" });
    expect(d.edits.answer[0]).toMatchObject({ from: row.slice(0, PREVIEW_CHARS), to: "short", by: "Ana" });
    expect(JSON.stringify(d).length).toBeLessThan(5 * PREVIEW_CHARS);
  });
});
