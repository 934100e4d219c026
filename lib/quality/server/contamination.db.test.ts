import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import { recordPage } from "@/lib/review/server/records";
import { checkContamination } from "./contamination";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!);
let projectId: string;

beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Contamination") })).id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const QUESTION = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did she sell altogether?";
async function* body(text: string) {
  yield new TextEncoder().encode(text);
}
const reference = [{ question: QUESTION, answer: "72" }, { question: "A short one.", answer: "1" }].map((r) => JSON.stringify(r)).join("\n");

describe("contamination check", () => {
  test("flags the records sharing a 13-word run with the reference set, and replaces the flags on the next check", async () => {
    const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
    const stories = [`Here is a puzzle. ${QUESTION.toLowerCase()} Think step by step.`, "Natalia sold clips to 48 of her friends in April and went home.", "Something else entirely."];
    const ids: string[] = [];
    for (const [index, q] of stories.entries()) ids.push((await db.record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values: { q } } })).id);
    const res = await checkContamination(db, pool, { datasetId, fields: ["q"], format: "jsonl", body: body(reference) });
    expect(res).toMatchObject({ referenceRows: 2, records: 3, flagged: 1 });
    const matches = await db.contaminationMatch.findMany({ where: { datasetId } });
    expect(matches.map((m) => m.recordId)).toEqual([ids[0]]);
    expect(matches[0].overlap).toBeGreaterThan(5);
    const page = async (contaminated: boolean) =>
      (await recordPage(db, datasetId, { filter: { contaminated }, sort: { by: "position", dir: "asc" }, offset: 0, limit: 10 })).map((r) => ids.indexOf(r.id));
    expect(await page(true)).toEqual([0]);
    expect(await page(false)).toEqual([1, 2]);

    await checkContamination(db, pool, { datasetId, fields: ["q"], format: "csv", body: body("question\nnothing in common with these records at all and not even one run of thirteen words") });
    expect(await db.contaminationMatch.count({ where: { datasetId } })).toBe(0);
  });

  test("clear errors: too large, no usable text, empty dataset", async () => {
    const datasetId = (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
    await expect(checkContamination(db, pool, { datasetId, fields: ["q"], format: "jsonl", body: body(reference), maxBytes: 100 })).rejects.toThrow(
      /The reference set is larger than/,
    );
    await expect(checkContamination(db, pool, { datasetId, fields: ["q"], format: "jsonl", body: body('{"a":"too short"}') })).rejects.toThrow(/no text of 13 words/);
    await expect(checkContamination(db, pool, { datasetId, fields: ["q"], format: "jsonl", body: body(reference) })).rejects.toThrow(/no records to check yet/);
  });
});
