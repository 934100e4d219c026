import { afterAll, describe, expect, test } from "vitest";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { deleteDataset } from "@/lib/datasets/server/datasets";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { buildValueIndex, MIN_RECORDS, valueIndexName } from "./value-indexes";
import { KEY_CHARS, valueEqualsSql, valueKeySql } from "./value-key";

const db = testDb();
const sql = testPgClient();
afterAll(() => db.$disconnect());

/** How many times an SQL text reads the field `field` out of the stored values. */
const reads = (text: string, field: string) => text.split(`"values" -> '${field}'`).length - 1 + text.split(`"values"->'${field}'`).length - 1;

describe("value key", () => {
  test("numbers and short text are their own key; long text and lists are cut to a text prefix; a missing field has none", async () => {
    const long = "é".repeat(KEY_CHARS + 50);
    const cases: [unknown, unknown][] = [
      [{ f: 9 }, 9],
      [{ f: "music" }, "music"],
      [{ f: true }, true],
      [{ f: null }, null],
      [{ f: long }, "é".repeat(KEY_CHARS)],
      [{ f: [1, "a"] }, '[1, "a"]'],
      [{ f: { b: 1, a: [2] } }, '{"a": [2], "b": 1}'],
      [{ f: ["x".repeat(300)] }, `["${"x".repeat(KEY_CHARS - 2)}`],
    ];
    for (const [values, key] of cases) {
      const { rows } = await sql.query(`select ${valueKeySql("f", "r")} as key from (select $1::jsonb as "values") r`, [JSON.stringify(values)]);
      expect(rows[0].key, JSON.stringify(values)).toEqual(key);
    }
    const { rows } = await sql.query(`select ${valueKeySql("f", "r")} is null as none from (select '{}'::jsonb as "values") r`);
    expect(rows[0].none).toBe(true);
  });

  test("the sort, the filter and the index read the value once per record (values are stored compressed)", async () => {
    expect(reads(valueKeySql("topic", "r"), "topic")).toBe(1);
    expect(reads(valueEqualsSql("topic", "music"), "topic")).toBe(1);
    const ds = await createSeedDataset(sql, uniqueName("Value key"));
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, MIN_RECORDS);
    expect(await buildValueIndex(db, ds.datasetId, "topic", { analyze: false })).toBe(true);
    const { rows } = await sql.query<{ def: string }>(`select pg_get_indexdef(c.oid) as def from pg_class c where c.relname = $1`, [valueIndexName(ds.datasetId, "topic")]);
    expect(reads(rows[0].def, "topic")).toBe(1);
    await deleteDataset(db, ds.datasetId);
  });
});
