import { afterAll, describe, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import type { ImportMapping } from "../mapping";
import { deleteImport, importRecords, listImports } from "./import";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!, 4);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

async function newDataset() {
  const p = await createProject(db, { name: uniqueName("Import") });
  return (await createDataset(db, { projectId: p.id, name: "Real tickets" })).id;
}

function stream(text: string | Uint8Array, chunk = 7): ReadableStream<Uint8Array> {
  const bytes = typeof text === "string" ? new TextEncoder().encode(text) : text;
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

const run = (datasetId: string, fileName: string, body: string | Uint8Array, mapping: ImportMapping, maxBytes?: number) =>
  importRecords(db, pool, { datasetId, fileName, format: fileName.endsWith(".csv") ? "csv" : "jsonl", mapping, body: stream(body), maxBytes });

const count = (datasetId: string) => db.record.count({ where: { datasetId } });

describe("import", () => {
  test("a body that ends before its announced length (a cancelled upload) imports nothing", async () => {
    const datasetId = await newDataset();
    const csv = "q,a\n" + Array.from({ length: 50 }, (_, i) => `question ${i},answer ${i}`).join("\n") + "\n";
    const cut = csv.slice(0, 300); // ends inside a row, which alone would parse as a short row
    const mapping = { q: "q", a: "a" };
    await expect(
      importRecords(db, pool, { datasetId, fileName: "t.csv", format: "csv", mapping, body: stream(cut), expectedBytes: Buffer.byteLength(csv) }),
    ).rejects.toThrow(`Nothing was imported: the upload stopped after 300 of ${Buffer.byteLength(csv).toLocaleString("en-US")} bytes.`);
    expect(await count(datasetId)).toBe(0);
    const whole = await importRecords(db, pool, { datasetId, fileName: "t.csv", format: "csv", mapping, body: stream(csv), expectedBytes: Buffer.byteLength(csv) });
    expect(whole.rows).toBe(50);
  });

  test("CSV: mapped columns become fields; records are imported, unreviewed, numbered in file order", async () => {
    const id = await newDataset();
    const csv = 'Question,Answer,internal\n"What is 2+2?","It is ""4"".\nReally.",x\n"Café 東京?\tC:\\temp\\n",,y\n';
    const r = await run(id, "tickets.csv", csv, { Question: "question", Answer: "answer" });
    expect(r).toMatchObject({ rows: 2, fields: ["question", "answer"], fileName: "tickets.csv" });
    const recs = await db.record.findMany({ where: { datasetId: id }, orderBy: { index: "asc" } });
    expect(recs.map((x) => [x.index, x.source, x.status, x.reviewState, x.runId, x.values])).toEqual([
      [0, "imported", "succeeded", "unreviewed", null, { question: "What is 2+2?", answer: 'It is "4".\nReally.' }],
      [1, "imported", "succeeded", "unreviewed", null, { question: "Café 東京?\tC:\\temp\\n", answer: "" }],
    ]);
    expect(recs[0].provenance).toMatchObject({ import: { id: r.importId, file: "tickets.csv", row: 1 } });
    expect(recs.map((x) => x.nonTextFields)).toEqual([[], []]); // imported values are all text
    expect(recs[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  test("imports take the dataset's next record numbers; a failed import gives its numbers back", async () => {
    const id = await newDataset();
    const rows = (from: number, k: number) => "q\n" + Array.from({ length: k }, (_, i) => `row ${from + i}`).join("\n") + "\n";
    await run(id, "a.csv", rows(0, 3), { q: "q" });
    await expect(run(id, "bad.csv", rows(0, 2), { nope: "q" })).rejects.toThrow(/Nothing was imported/);
    await run(id, "b.csv", rows(3, 2), { q: "q" });
    const recs = await db.record.findMany({ where: { datasetId: id }, orderBy: { index: "asc" } });
    expect(recs.map((r) => [r.index, (r.values as { q: string }).q])).toEqual([
      [0, "row 0"],
      [1, "row 1"],
      [2, "row 2"],
      [3, "row 3"],
      [4, "row 4"],
    ]);
    expect((await db.dataset.findUniqueOrThrow({ where: { id } })).nextRecordIndex).toBe(5);
  });

  test("malformed line: the message names it and nothing is half-imported", async () => {
    const id = await newDataset();
    const good = Array.from({ length: 12_000 }, (_, i) => `q${i},a${i}`).join("\n");
    await expect(run(id, "bad.csv", `question,answer\n${good}\n"unterminated,quote\n`, { question: "question" })).rejects.toThrow(/Nothing was imported: .*line 12002/i);
    await expect(run(id, "bad.jsonl", '{"q": 1}\n{"q": 2}\n{"q": oops}\n', { q: "question" })).rejects.toThrow(/Nothing was imported: Line 3 is not valid JSON/);
    expect(await count(id)).toBe(0);
  });

  test("mis-encoded, missing mapped columns, too large: clear messages, nothing saved", async () => {
    const id = await newDataset();
    const latin1 = new Uint8Array([...new TextEncoder().encode("question\nok\n"), 0x63, 0x61, 0x66, 0xe9, 0x0a]);
    await expect(run(id, "latin1.csv", latin1, { question: "question" })).rejects.toThrow(/not valid UTF-8 text: invalid bytes on line 3/);
    await expect(run(id, "cols.csv", "question,answer\na,b\n", { question: "question", Answer: "answer" })).rejects.toThrow(/header row \(line 1\) has no column "Answer" \(for the field "answer"\).*"question", "answer"/);
    await expect(run(id, "cols.jsonl", '{"q": "a"}\n', { q: "question", a: "answer" })).rejects.toThrow(/No line of the file has the key "a"/);
    await expect(run(id, "big.csv", "question\n" + "x\n".repeat(5000), { question: "question" }, 4096)).rejects.toThrow(/larger than 4 KB/);
    expect(await count(id)).toBe(0);
  });

  test("imports are listed and can be deleted as a whole", async () => {
    const id = await newDataset();
    const a = await run(id, "a.csv", "q\n1\n2\n3\n", { q: "q" });
    await run(id, "b.csv", "q\n4\n", { q: "q" });
    const list = await listImports(db, id);
    expect(list.map((x) => [x.fileName, x.rows]).sort()).toEqual([["a.csv", 3], ["b.csv", 1]]);
    expect(await deleteImport(db, id, a.importId)).toBe(3);
    expect(await count(id)).toBe(1);
    await expect(deleteImport(db, id, a.importId)).rejects.toThrow(/not found/);
  });
});
