// The tallies must equal a direct count after every kind of write: runs (insert), imports
// (COPY), single and bulk review decisions, labels, edits, undo, deletes. Each test
// compares the kept HealthTally (tally-sql.ts, the DELETE trigger) with a count over the records themselves.
import { afterAll, describe, expect, test } from "vitest";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { deleteImport, importRecords } from "@/lib/import/server/import";
import { bulkDecide, bulkLabel, decide, editField, saveLabelSchema, setLabels, undoAction } from "@/lib/review/server/decisions";
import { createSeedDataset, SEED_BLUEPRINT, seedRecords } from "@/lib/testing/seed-records";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { datasetHealth, syncHealthFields } from "./health";
import { trackedFields } from "../shape";

const db = testDb();
const sql = testPgClient();
const pool = createRawPool(process.env.DATABASE_URL!, 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

// The seeded blueprint with its answer written by a model, so token lengths are counted too.
const BLUEPRINT = {
  fields: [
    ...SEED_BLUEPRINT.fields.slice(0, 4),
    { id: "f5", kind: "llm", name: "answer", system: "", prompt: "{{ question }}", model: "fake-small", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
  ],
};

async function dataset(n: number, runs = 1) {
  const ds = await createSeedDataset(sql, uniqueName("Health"), runs);
  await sql.query(`update "Dataset" set draft = $2 where id = $1`, [ds.datasetId, JSON.stringify(BLUEPRINT)]);
  // Counted fields registered before the records land: the writes do all the counting.
  await syncHealthFields(db, ds.datasetId, trackedFields(BLUEPRINT as never));
  const per = Math.ceil(n / runs);
  for (const [i, runId] of ds.runIds.entries()) await seedRecords(sql, { datasetId: ds.datasetId, runId }, Math.min(per, n - i * per), i * per);
  await saveLabelSchema(db, ds.datasetId, { labels: [{ name: "quality", kind: "single", options: ["good", "bad"] }, { name: "tags", kind: "multi", options: ["math", "typo"] }] });
  return ds;
}

type Row = { kind: string; field: string; value: string; count: number };
const sorted = (rows: Row[]) => rows.map((r) => `${r.kind}|${r.field}|${r.value}|${r.count}`).sort();

async function kept(datasetId: string) {
  const { rows } = await sql.query<Row>(`select kind, field, value, count from "HealthTally" where "datasetId" = $1 and count <> 0`, [datasetId]);
  return sorted(rows);
}

/** The same counts straight from the records, written independently of datawright_health_keys. */
async function direct(datasetId: string) {
  const { rows } = await sql.query<Row>(
    `with r as (select * from "Record" where "datasetId" = $1)
     select 'status' kind, '' field, status::text value, count(*)::int count from r group by 3
     union all select 'review', '', "reviewState"::text, count(*)::int from r group by 3
     union all select 'run', '', coalesce("runId"::text, 'imported'), count(*)::int from r group by 3
     union all select 'label', l.key, l.value #>> '{}', count(*)::int from r, jsonb_each(r.labels) l where jsonb_typeof(l.value) in ('string', 'number', 'boolean') group by 2, 3
     union all select 'label', l.key, e, count(*)::int from r, jsonb_each(r.labels) l, jsonb_array_elements_text(case when jsonb_typeof(l.value) = 'array' then l.value end) e group by 2, 3
     union all select 'value', f, r.values->>f, count(*)::int from r, unnest(array['topic', 'difficulty', 'n']) f where r.values ? f group by 2, 3
     union all select 'tokens', 'answer', (8 * floor(case when r.edits ? 'answer' or r.provenance->'llm'->'answer' is null
         then ceil(length(r.values->>'answer') / 4.0) else (r.provenance->'llm'->'answer'->>'tokensOut')::int end / 8))::int::text, count(*)::int
       from r where r.values ? 'answer' group by 3`,
    [datasetId],
  );
  return sorted(rows);
}

async function expectInStep(datasetId: string) {
  expect(await kept(datasetId)).toEqual(await direct(datasetId));
}

describe("health tallies follow every write", () => {
  test("run inserts, single decisions, labels, edits and their undo", async () => {
    const { datasetId } = await dataset(300, 2);
    await expectInStep(datasetId);
    expect((await kept(datasetId)).some((k) => k.startsWith("tokens|answer|"))).toBe(true);

    const [a, b] = await db.record.findMany({ where: { datasetId }, orderBy: { index: "asc" }, take: 2 });
    await decide(db, { recordId: a.id, revision: 0, reviewer: "Ana", decision: "accept" });
    await decide(db, { recordId: b.id, revision: 0, reviewer: "Ana", decision: "reject" });
    await setLabels(db, { recordId: a.id, revision: 1, reviewer: "Ana", labels: { quality: "good", tags: ["math", "typo"] } });
    await expectInStep(datasetId);

    await editField(db, { recordId: b.id, revision: 1, reviewer: "Ana", field: "topic", value: "astronomy" });
    await editField(db, { recordId: b.id, revision: 2, reviewer: "Ana", field: "answer", value: "A much shorter answer." });
    await expectInStep(datasetId);
    expect(await kept(datasetId)).toContain("value|topic|astronomy|1");

    await undoAction(db, { datasetId, reviewer: "Ana" });
    await undoAction(db, { datasetId, reviewer: "Ana" });
    await undoAction(db, { datasetId, reviewer: "Ana" });
    await expectInStep(datasetId);
    expect((await kept(datasetId)).some((k) => k.includes("astronomy"))).toBe(false);
  });

  test("bulk accept, bulk label and their undo", async () => {
    const { datasetId } = await dataset(500);
    await bulkDecide(db, { datasetId, reviewer: "Ana", decision: "accept", target: { filter: { values: [{ field: "topic", op: "eq", value: "music" }] } } });
    await bulkLabel(db, { datasetId, reviewer: "Ana", label: "quality", value: "bad", target: { filter: { reviewState: ["unreviewed"] } } });
    await expectInStep(datasetId);
    expect(await kept(datasetId)).toContain(`review||accepted|${Math.ceil((500 - 5) / 8)}`);
    await undoAction(db, { datasetId, reviewer: "Ana" });
    await expectInStep(datasetId);
    await undoAction(db, { datasetId, reviewer: "Ana" });
    await expectInStep(datasetId);
    expect(await kept(datasetId)).toContain("review||unreviewed|500");
  });

  test("imports through COPY, deleting an import, deleting a run's failed records, deleting the dataset", async () => {
    const { datasetId, runIds } = await dataset(120);
    const csv = "topic,answer\n" + Array.from({ length: 40 }, (_, i) => `${i % 2 ? "music" : "law"},imported answer number ${i}`).join("\n") + "\n";
    const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode(csv)); c.close(); } });
    const res = await importRecords(db, pool, { datasetId, fileName: "real.csv", format: "csv", mapping: { topic: "topic", answer: "answer" }, body });
    await expectInStep(datasetId);
    expect(await kept(datasetId)).toContain("run||imported|40");
    expect(await kept(datasetId)).toContain("value|topic|law|20");

    await deleteImport(db, datasetId, res.importId);
    await sql.query(`delete from "Record" where "runId" = $1 and status = 'failed'`, [runIds[0]]);
    await expectInStep(datasetId);
    expect(await kept(datasetId)).toContain("run||" + runIds[0] + "|118");

    await db.dataset.delete({ where: { id: datasetId } });
    expect(await kept(datasetId)).toEqual([]);
  });

  test("a field counted for the first time is filled in from the records already there, once", async () => {
    const ds = await createSeedDataset(sql, uniqueName("Health late"), 1);
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 200);
    await sql.query(`update "Dataset" set draft = $2 where id = $1`, [ds.datasetId, JSON.stringify(BLUEPRINT)]);
    await Promise.all([datasetHealth(db, ds.datasetId), datasetHealth(db, ds.datasetId)]);
    await expectInStep(ds.datasetId);
    // A field dropped from the blueprint is no longer counted.
    await sql.query(`update "Dataset" set draft = $2 where id = $1`, [ds.datasetId, JSON.stringify({ fields: BLUEPRINT.fields.filter((f) => f.name !== "n") })]);
    await datasetHealth(db, ds.datasetId);
    expect((await kept(ds.datasetId)).some((k) => k.startsWith("value|n|"))).toBe(false);
  });
});

describe("the health page's data", () => {
  test("target next to observed with coverage, token histogram, balances, and diversity per run stored once", async () => {
    const { datasetId, runIds } = await dataset(400, 2);
    const h = await datasetHealth(db, datasetId, { sample: 100 });
    expect(h.total).toBe(400);
    const topic = h.samplers.find((s) => s.field === "topic")!;
    expect(topic.distribution).toMatchObject({ used: 8, possible: 8, total: 400 });
    expect(topic.distribution.rows.find((r) => r.value === "music")).toMatchObject({ observed: 50, expected: 50 });
    const n = h.samplers.find((s) => s.field === "n")!;
    expect(n.distribution).toMatchObject({ used: 400, possible: 1000 });
    expect(h.lengths[0].field).toBe("answer");
    expect(h.lengths[0].records).toBe(400);
    expect(h.review).toEqual([{ value: "unreviewed", count: 400 }, { value: "accepted", count: 0 }, { value: "rejected", count: 0 }]);
    expect(h.labels.map((l) => l.name)).toEqual(["quality", "tags"]);
    expect(h.diversity[0].rows.map((r) => [r.runId, r.sampleSize])).toEqual([[runIds[0], 100], [runIds[1], 100]]);
    expect(await db.textStats.count({ where: { datasetId } })).toBe(2);
    const again = await datasetHealth(db, datasetId, { sample: 100 });
    expect(again.diversity[0].rows.every((r) => r.stored)).toBe(true);
    expect(again.diversity).toEqual(h.diversity);
  });

  test("an empty dataset has zero records and no charts to draw; an unknown one is not found", async () => {
    const ds = await createSeedDataset(sql, uniqueName("Health empty"), 0);
    const h = await datasetHealth(db, ds.datasetId);
    expect(h.total).toBe(0);
    expect(h.diversity).toEqual([]);
    await expect(datasetHealth(db, "00000000-0000-4000-8000-000000000000")).rejects.toThrow(/not found/);
  });
});
