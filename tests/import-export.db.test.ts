// Journeys across features (an import, then an export of what it brought in): they live
// here rather than in either feature, so neither feature's tests import the other.
import { afterAll, expect, test } from "vitest";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { ExportRequest } from "@/lib/export/schemas";
import { startExport } from "@/lib/export/server/export";
import { importRecords } from "@/lib/import/server/import";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!, 4);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

test("an import's JSONL, with keys that appear late, exports beside generated records", async () => {
  const p = await createProject(db, { name: uniqueName("Import then export") });
  const id = (await createDataset(db, { projectId: p.id, name: "Real tickets" })).id;
  const jsonl = '{"q": "one", "n": 1}\n\n{"q": "two", "a": "second", "extra": {"deep": true}}\r\n';
  const body = new Blob([jsonl]).stream();
  const r = await importRecords(db, pool, { datasetId: id, fileName: "data.jsonl", format: "jsonl", mapping: { q: "question", a: "answer", extra: "extra" }, body });
  expect(r.rows).toBe(2);
  const d = await startExport(db, pool, id, ExportRequest.parse({ format: "jsonl", fields: ["question", "answer", "extra"], filter: { source: "imported" }, provenance: true }));
  let out = "";
  for await (const c of d.body as unknown as AsyncIterable<Uint8Array>) out += new TextDecoder().decode(c);
  // Exports stream in storage order (no ORDER BY), which free space left by other tests can shuffle.
  const lines = out.trim().split("\n").map((l) => JSON.parse(l)).sort((x, y) => x.question.localeCompare(y.question));
  expect(lines.map((l) => [l.question, l.answer, l.extra, l._source, l._run_id])).toEqual([
    ["one", "", "", "imported", null],
    ["two", "second", '{"deep":true}', "imported", null],
  ]);
});
