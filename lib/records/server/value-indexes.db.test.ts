import { createHash } from "node:crypto";
import { afterAll, describe, expect, test } from "vitest";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { deleteDataset } from "@/lib/datasets/server/datasets";
import { saveLabelSchema } from "@/lib/review/server/decisions";
import { inlineSql } from "@/lib/db/server/sql-literal";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { countRecords, recordPage } from "@/lib/review/server/records";
import type { PageQuery } from "@/lib/review/schemas";
import { recordFilterSql } from "./filter-sql";
import { buildValueIndex, indexDatasetFields, MIN_RECORDS, sortableFields, valueIndexBuildsSettled, valueIndexName } from "./value-indexes";
import { valueKeySql } from "./value-key";

const db = testDb();
const sql = testPgClient();
afterAll(() => db.$disconnect());

async function seeded(n: number) {
  const ds = await createSeedDataset(sql, uniqueName("Value index"));
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, n);
  return ds;
}

const indexExists = async (name: string) =>
  (await sql.query(`select 1 from pg_class c join pg_index i on i.indexrelid = c.oid where c.relname = $1 and i.indisvalid`, [name])).rowCount === 1;

const musicByN: Omit<PageQuery, "offset" | "limit"> = {
  filter: { values: [{ field: "topic", op: "eq", value: "music" }] },
  sort: { by: "field", field: "n", dir: "desc" },
};

describe("value indexes", () => {
  test("no read builds an index: paging and counting by a field filter and sort leave the catalog as it was", async () => {
    const { datasetId } = await seeded(MIN_RECORDS);
    const indexes = async () => (await sql.query(`select count(*)::int as n from pg_class where relkind = 'i' and relname like 'manual_rv_%'`)).rows[0].n;
    const before = await indexes();
    await recordPage(db, datasetId, { ...musicByN, offset: 40, limit: 60 });
    await recordPage(db, datasetId, { filter: {}, sort: { by: "field", field: "difficulty", dir: "asc" }, offset: 0, limit: 100 });
    await countRecords(db, datasetId, musicByN.filter);
    await valueIndexBuildsSettled();
    expect(await indexes()).toBe(before);
    expect(await indexExists(valueIndexName(datasetId, "topic"))).toBe(false);
    expect(await indexExists(valueIndexName(datasetId, "n"))).toBe(false);
  });

  test("records landing in bulk index the dataset's short fields; answers are the same and the planner uses them", async () => {
    const { datasetId } = await seeded(MIN_RECORDS);
    const before = await recordPage(db, datasetId, { ...musicByN, offset: 40, limit: 60 });
    expect(await sortableFields(db, datasetId)).toEqual(["topic", "difficulty", "n", "question"]); // not the long answer

    await indexDatasetFields(db, datasetId); // queues the builds (callers do not wait for that either)
    await valueIndexBuildsSettled();
    for (const f of ["topic", "difficulty", "n", "question"]) expect(await indexExists(valueIndexName(datasetId, f))).toBe(true);
    expect(await indexExists(valueIndexName(datasetId, "answer"))).toBe(false);
    const after = await recordPage(db, datasetId, { ...musicByN, offset: 40, limit: 60 });
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    expect(after.every((r) => r.values.topic === "music")).toBe(true);
    const ns = after.map((r) => r.values.n as number);
    expect(ns).toEqual([...ns].sort((a, b) => b - a));
    const { rows } = await sql.query<{ "QUERY PLAN": string }>(
      `explain select r.id from "Record" r where ${inlineSql(recordFilterSql(datasetId, musicByN.filter))}
       order by ${valueKeySql("n", "r")} desc,
         r."createdAt" desc, r.index desc, r.id desc limit 100`,
    );
    // Walking the n index or looking up the music rows in the topic index: which one depends
    // on statistics shared with the other tests' datasets; either way not a scan.
    expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(new RegExp(`${valueIndexName(datasetId, "n")}|${valueIndexName(datasetId, "topic")}`));
    await deleteDataset(db, datasetId); // its four indexes would slow the builds of the tests below
  }, 120_000); // four concurrent index builds: seconds on a loaded machine

  test("a small dataset gets none, and a deleted dataset's indexes are dropped", async () => {
    await expect(buildValueIndex(db, 'x"; drop table "Record"; --', "topic")).rejects.toThrow(/Not a dataset id/);
    const small = await seeded(50);
    expect(await buildValueIndex(db, small.datasetId, "topic")).toBe(false);
    expect(await indexExists(valueIndexName(small.datasetId, "topic"))).toBe(false);

    const big = await seeded(MIN_RECORDS);
    expect(await buildValueIndex(db, big.datasetId, "difficulty")).toBe(true);
    expect(await indexExists(valueIndexName(big.datasetId, "difficulty"))).toBe(true);
    await deleteDataset(db, big.datasetId);
    expect(await indexExists(valueIndexName(big.datasetId, "difficulty"))).toBe(false);
  });

  test("only the dataset's fields are indexed; a full quota evicts the least recently used index and its statistics", async () => {
    const { datasetId } = await seeded(MIN_RECORDS);
    // A GET for a name no record has builds nothing.
    expect(await buildValueIndex(db, datasetId, "no_such_field_" + datasetId.slice(0, 8))).toBe(false);
    expect(await indexExists(valueIndexName(datasetId, "no_such_field_" + datasetId.slice(0, 8)))).toBe(false);

    const statsOf = async (field: string) =>
      (await sql.query(`select 1 from pg_statistic_ext where stxname = $1`, [`manual_rs_${createHash("sha256").update(field).digest("hex").slice(0, 16)}`])).rowCount;
    // Fields only this test's datasets have, so their statistics are not shared with others.
    const own = ["evict_a", "evict_b", "evict_c"].map((f) => `${f}_${datasetId.slice(0, 8)}`);
    await sql.query(`update "Record" set values = values || jsonb_build_object($2::text, 1, $3::text, 2, $4::text, 3) where "datasetId" = $1`, [datasetId, ...own]);
    expect(await buildValueIndex(db, datasetId, own[0], { maxPerDataset: 2 })).toBe(true);
    await new Promise((r) => setTimeout(r, 5)); // a later use
    expect(await buildValueIndex(db, datasetId, own[1], { maxPerDataset: 2 })).toBe(true);
    expect(await statsOf(own[0])).toBe(1);
    // The third takes the slot of the one used least recently.
    expect(await buildValueIndex(db, datasetId, own[2], { maxPerDataset: 2 })).toBe(true);
    expect(await indexExists(valueIndexName(datasetId, own[0]))).toBe(false);
    expect(await indexExists(valueIndexName(datasetId, own[1]))).toBe(true);
    expect(await indexExists(valueIndexName(datasetId, own[2]))).toBe(true);
    expect(await statsOf(own[0])).toBe(0);
  });

  test("saving a label schema gives each label statistics, so the planner knows how common a label value is", async () => {
    const { datasetId } = await seeded(MIN_RECORDS);
    const label = `tone_${datasetId.slice(0, 8)}`;
    await sql.query(`update "Record" set labels = jsonb_build_object($2::text, case when index % 7 = 0 then 'good' else 'bad' end) where "datasetId" = $1`, [datasetId, label]);
    const estimate = async (value: string) => {
      const { rows } = await sql.query<{ "QUERY PLAN": string }>(
        `explain select 1 from "Record" r where ${inlineSql(recordFilterSql(datasetId, { labels: { [label]: [value] } }))}`,
      );
      return Number(/rows=(\d+)/.exec(rows[0]["QUERY PLAN"])![1]);
    };
    // "bad" is six times as common as "good". Other test files share the table and change its
    // size while this runs, so the figures compared are the two values' estimates from one
    // ANALYZE: without statistics the planner gives every value the same fixed guess.
    await sql.query(`analyze "Record"`);
    expect(await estimate("bad")).toBe(await estimate("good"));
    await saveLabelSchema(db, datasetId, { labels: [{ name: label, kind: "single", options: ["good", "bad"], key: "q" }] });
    await sql.query(`analyze "Record"`);
    const [good, bad] = [await estimate("good"), await estimate("bad")];
    expect(bad).toBeGreaterThan(good * 3);
  });

  test('"field is" matches text, the number or list it spells, long text and quotes', async () => {
    const { datasetId } = await seeded(3);
    const ids = (await recordPage(db, datasetId, { filter: {}, sort: { by: "position", dir: "asc" }, offset: 0, limit: 3 })).map((r) => r.id);
    const long = "x".repeat(250);
    const values = [
      { n: 5, tags: ["a", "b"], text: long + "1", odd: `it's a \\ "quote"` },
      { n: "5", tags: ["a"], text: long + "2", odd: "plain" },
      { n: 6, tags: ["a", "b"], text: long + "1", odd: "%" },
    ];
    for (const [i, v] of values.entries()) await sql.query(`update "Record" set values = $2 where id = $1`, [ids[i], JSON.stringify(v)]);
    const count = (field: string, value: string) => countRecords(db, datasetId, { values: [{ field, op: "eq", value }] });
    expect(await count("n", "5")).toBe(2); // the number and the text
    expect(await count("tags", '["a", "b"]')).toBe(2);
    expect(await count("tags", '["a","b"]')).toBe(2);
    expect(await count("text", long + "1")).toBe(2); // keys are cut at 200 characters; the whole value decides
    expect(await count("text", long)).toBe(0);
    expect(await count("odd", `it's a \\ "quote"`)).toBe(1);
    expect(await count("odd", "%")).toBe(1);
    expect(await count("missing", "5")).toBe(0);
  });
});
