import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset } from "@/lib/datasets/server/datasets";
import { previewBlueprint } from "@/lib/datasets/server/preview";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { PREVIEW_CHARS } from "@/lib/records/long-values";
import { deleteSeedTable, importSeedTable, listSeedTables, seedTableRows, seedTableValue } from "./seed-tables";

const db = testDb();
let datasetId: string;
beforeAll(async () => {
  const p = await createProject(db, { name: uniqueName("Seeds") });
  datasetId = (await createDataset(db, { projectId: p.id, name: "d" })).id;
});
afterAll(() => db.$disconnect());

function streamOf(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(typeof ch === "string" ? new TextEncoder().encode(ch) : ch);
      c.close();
    },
  });
}

describe("seed tables", () => {
  test("a CSV upload is stored with its columns and rows in order", async () => {
    const t = await importSeedTable(db, { datasetId, name: "qa.csv", format: "csv", body: streamOf("question,answer\n", '"What, exactly?",42\nWhy,"because\nreasons"\n') });
    expect(t).toMatchObject({ columns: ["question", "answer"], rowCount: 2 });
    const { rows } = await seedTableRows(db, t.id, 0, 10);
    expect(rows).toEqual([
      { question: "What, exactly?", answer: "42" },
      { question: "Why", answer: "because\nreasons" },
    ]);
  });

  test("long cells are cut in the rows with their full length, and fetched whole one at a time", async () => {
    const long = "é".repeat(300_000);
    const t = await importSeedTable(db, { datasetId, name: "long.jsonl", format: "jsonl", body: streamOf(JSON.stringify({ id: "1", text: "short" }) + "\n" + JSON.stringify({ id: "2", text: long }) + "\n") });
    const { rows, long: lengths } = await seedTableRows(db, t.id, 0, 10);
    expect(rows).toEqual([{ id: "1", text: "short" }, { id: "2", text: "é".repeat(PREVIEW_CHARS) }]);
    expect(lengths).toEqual([{}, { text: 300_000 }]);
    expect(await seedTableValue(db, t.id, 1, "text")).toBe(long);
    await expect(seedTableValue(db, t.id, 1, "nope")).rejects.toThrow(/The value was not found/);
    await expect(seedTableValue(db, t.id, 9, "text")).rejects.toThrow(/The value was not found/);
  });

  test("a large JSONL upload streams in batches", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: i, text: `row ${i}` }) + "\n");
    const t = await importSeedTable(db, { datasetId, name: "big.jsonl", format: "jsonl", body: streamOf(...lines) });
    expect(t.rowCount).toBe(5000);
    expect((await seedTableRows(db, t.id, 4999, 5)).rows).toEqual([{ id: "4999", text: "row 4999" }]);
  });

  test("a malformed file late in the stream leaves nothing half-saved", async () => {
    const before = (await listSeedTables(db, datasetId)).length;
    const good = Array.from({ length: 3000 }, (_, i) => `${i},ok\n`).join("");
    await expect(
      importSeedTable(db, { datasetId, name: "bad.csv", format: "csv", body: streamOf("a,b\n", good, '1,"unterminated\n') }),
    ).rejects.toThrow(/Nothing was saved: .*line 3002/is);
    expect((await listSeedTables(db, datasetId)).length).toBe(before);
    expect(await db.seedTable.count({ where: { datasetId, name: "bad.csv" } })).toBe(0);
  });

  test("stalled uploads hold no transaction, are not seen half-way, and are given up when idle", async () => {
    const enc = new TextEncoder();
    // Twenty uploads that send a header and some rows, then nothing.
    const stalls = Array.from({ length: 20 }, (_, k) => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const body = (async function* () {
        yield enc.encode("a,b\n" + Array.from({ length: 600 }, (_, i) => `${k},${i}\n`).join(""));
        await gate;
      })();
      const upload = importSeedTable(db, { datasetId, name: `stalled-${k}.csv`, format: "csv", body, idleMs: 1500 }).then(
        () => null,
        (e: Error) => e,
      );
      return { release, upload };
    });
    // Meanwhile the rest of the studio works: a read, and the pool has no open transactions from them.
    await until(async () => (await db.seedTable.count({ where: { datasetId, complete: false } })) === 20, { timeoutMs: 10_000, intervalMs: 50 });
    expect((await listSeedTables(db, datasetId)).some((t) => t.name.startsWith("stalled-"))).toBe(false);
    const idleInTx = await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`;
    expect(idleInTx[0].n).toBe(0);
    for (const s of stalls) expect((await s.upload)?.message).toMatch(/upload stalled \(nothing arrived for 2 s\)/);
    for (const s of stalls) s.release();
    expect(await db.seedTable.count({ where: { datasetId, name: { startsWith: "stalled-" } } })).toBe(0);
  });

  test("non-UTF-8 and empty uploads get clear messages", async () => {
    await expect(importSeedTable(db, { datasetId, name: "latin1.csv", format: "csv", body: streamOf("name\n", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a])) })).rejects.toThrow(/UTF-8/);
    await expect(importSeedTable(db, { datasetId, name: "empty.csv", format: "csv", body: streamOf("") })).rejects.toThrow(/empty/i);
  });

  test("seed fields read one row per record in preview, paired across columns", async () => {
    const t = await importSeedTable(db, { datasetId, name: "pairs.csv", format: "csv", body: streamOf("q,a\n", ...Array.from({ length: 50 }, (_, i) => `q${i},a${i}\n`)) });
    const bp: Blueprint = {
      fields: [
        { id: "1", kind: "seed", name: "q", seedTableId: t.id, column: "q", order: "random" },
        { id: "2", kind: "seed", name: "a", seedTableId: t.id, column: "a", order: "random" },
      ],
    };
    const recs = await previewBlueprint(db, datasetId, bp, 7, 10);
    for (const r of recs) expect(String(r.values.a)).toBe(String(r.values.q).replace("q", "a"));
    expect(new Set(recs.map((r) => r.values.q)).size).toBeGreaterThan(3);
    await deleteSeedTable(db, t.id);
    await expect(deleteSeedTable(db, t.id)).rejects.toThrow(/not found/);
  });
});
