import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { executeRun } from "@/lib/runs/server/executor";
import { launchRun } from "@/lib/runs/server/runs";
import { importRecords } from "@/lib/import/server/import";
import { testDb, uniqueName } from "@/lib/testing/db";
import { until } from "@/lib/testing/until";
import { bucketBits, bucketOf } from "../band-buckets";
import { fingerprint } from "../fingerprint";
import { chooseBanding } from "../lsh";
import { nearDuplicate, prng, randomText, vocabulary } from "../synthetic";
import { checkLandedRecords, clusterMembers, dedupeStatus, prepareDedupePass, runDedupePass } from "./dedupe";

const db = testDb();
const pool = createRawPool(process.env.DATABASE_URL!);
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;
const rand = prng(3);
const words = vocabulary(2000, rand);

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test"] });
  projectId = (await createProject(db, { name: uniqueName("Dedupe") })).id;
});
afterAll(async () => {
  await fake.close();
  await pool.end();
  await db.$disconnect();
});

/** Three topics and a fixed model seed: every record of a topic gets the same story. */
const BLUEPRINT: Blueprint = {
  fields: [
    { id: "a", kind: "category", name: "topic", options: ["space", "sea", "forest"].map((value) => ({ value, weight: 1 })) },
    {
      id: "c",
      kind: "llm",
      name: "story",
      system: "",
      prompt: "Write a story about {{ topic }}.",
      model: "gpt-4o-mini",
      params: { temperature: 1, max_tokens: 120, seed: 7 },
      output: { type: "text" },
      fewShot: { examples: [], k: 0, mode: "turns" },
    },
  ],
};

async function dataset() {
  return (await createDataset(db, { projectId, name: uniqueName("ds") })).id;
}

async function addRecords(datasetId: string, stories: string[]) {
  const ids: string[] = [];
  for (const story of stories) {
    const r = await db.record.create({ data: { datasetId, index: ids.length + 1000, source: "imported", status: "succeeded", values: { story } } });
    ids.push(r.id);
  }
  return ids;
}

/** A dataset of these stories after a full pass on the story field. */
async function passedDataset(stories: string[], threshold?: number) {
  const datasetId = await dataset();
  const ids = await addRecords(datasetId, stories);
  await prepareDedupePass(db, { datasetId, fields: ["story"], threshold });
  await runDedupePass(db, pool, datasetId);
  return { datasetId, ids };
}

async function clustersOf(datasetId: string) {
  const cs = await db.duplicateCluster.findMany({ where: { datasetId } });
  const out: { exact: boolean; size: number; members: string[] }[] = [];
  for (const c of cs) out.push({ exact: c.exact, size: c.size, members: (await clusterMembers(db, c.id)).map((m) => m.id).sort() });
  return out.sort((a, b) => a.members[0].localeCompare(b.members[0]));
}

describe("duplicate detection", () => {
  test("a full pass after a run clusters the records with the same story, and a later run's records join them as they land", async () => {
    const datasetId = await dataset();
    await saveDraft(db, datasetId, BLUEPRINT, 0);
    const conn = await createConnection(
      db,
      ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: "sk-test", defaultModel: "gpt-4o-mini", maxConcurrency: 16 }),
    );
    const launch = (records: number) => launchRun(db, { datasetId, connectionId: conn.id, records, settings: { concurrency: 8 } }, async () => {});
    const first = await launch(30);
    await executeRun(db, first.id);

    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    await runDedupePass(db, pool, datasetId);
    const records = await db.record.findMany({ where: { datasetId }, select: { id: true, values: true } });
    const byStory = new Map<string, string[]>();
    for (const r of records) {
      const s = (r.values as { story: string }).story;
      byStory.set(s, [...(byStory.get(s) ?? []), r.id]);
    }
    const expected = [...byStory.values()].filter((g) => g.length > 1).map((g) => g.sort());
    expect(expected.length).toBeGreaterThan(0);
    const found = await clustersOf(datasetId);
    expect(found.map((c) => c.members).sort()).toEqual(expected.sort());
    expect(found.every((c) => c.exact && c.size === c.members.length)).toBe(true);
    const status = await dedupeStatus(db, datasetId);
    expect(status).toMatchObject({ status: "completed", processed: 30, total: 30, fields: ["story"], threshold: 0.8 });

    // A second run lands records with the same stories: the executor checks each as it lands.
    const second = await launch(12);
    await executeRun(db, second.id);
    expect(await db.recordSignature.count({ where: { datasetId } })).toBe(42);
    const after = await clustersOf(datasetId);
    expect(after.reduce((n, c) => n + c.size, 0)).toBe(42);
    expect(after.length).toBe(byStory.size);

    // Records whose check was missed (no fingerprint: the check failed, or the process
    // stopped) are picked up by the sweep of their run that ends every execution.
    await db.$executeRaw`delete from "RecordSignature" s using "Record" r where r.id = s."recordId" and r."runId" = ${second.id}::uuid`;
    await db.$executeRaw`update "DuplicateCluster" c set size = (select count(*) from "RecordSignature" s where s."clusterId" = c.id) where c."datasetId" = ${datasetId}::uuid`;
    expect(await checkLandedRecords(pool, datasetId, { runId: second.id })).toBe(12);
    expect(await clustersOf(datasetId)).toEqual(after);
  });

  test("incremental detection: a near-duplicate joins its original's cluster, an exact copy after normalisation makes an exact cluster", async () => {
    const datasetId = await dataset();
    const a = randomText(1000, words, rand);
    const b = randomText(1000, words, rand);
    const [idA, idB] = await addRecords(datasetId, [a, b, randomText(1000, words, rand)]);
    await prepareDedupePass(db, { datasetId, fields: ["story"], threshold: 0.8 });
    await runDedupePass(db, pool, datasetId);
    expect(await clustersOf(datasetId)).toEqual([]);

    const near = nearDuplicate(a, 0.88, words, rand);
    expect(near.jaccard).toBeGreaterThan(0.8);
    const [idNear, idCopy] = await addRecords(datasetId, [near.text, `  ${b.toUpperCase().replace(/ /g, "  ")}!!`]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [idNear, idCopy] })).toBe(2);
    const clusters = await clustersOf(datasetId);
    expect(clusters).toEqual(
      [
        { exact: false, size: 2, members: [idA, idNear].sort() },
        { exact: true, size: 2, members: [idB, idCopy].sort() },
      ].sort((x, y) => x.members[0].localeCompare(y.members[0])),
    );

    // Unrelated text stays alone; checking the same record again changes nothing.
    const [idOther] = await addRecords(datasetId, [randomText(1000, words, rand)]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [idOther, idNear] })).toBe(0);
    expect((await clustersOf(datasetId)).length).toBe(2);

    // A text that shares a band hash with the original (a candidate) but whose exact
    // similarity is under the threshold stays out: the candidate was verified.
    const banding = chooseBanding(0.8, 128);
    const bandsOfA = new Set(fingerprint([a], banding).bands);
    let far = nearDuplicate(a, 0.76, words, rand);
    while (far.jaccard >= 0.8 || !fingerprint([far.text], banding).bands.some((h) => bandsOfA.has(h))) far = nearDuplicate(a, 0.76, words, rand);
    const [idFar] = await addRecords(datasetId, [far.text]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [idFar] })).toBe(0);
    expect((await db.recordSignature.findUniqueOrThrow({ where: { recordId: idFar } })).clusterId).toBeNull();
  });

  test("a landed record that bridges two clusters merges them into one (the other is deleted) in the same batch as an unrelated match", async () => {
    const datasetId = await dataset();
    // At threshold 0.6, "x y" and "y z" (a third of their 5-grams shared) stay apart, and
    // "x y z" is near both (two thirds).
    const [x, y, z, b] = [0, 1, 2, 3].map(() => randomText(400, words, rand));
    const ids = await addRecords(datasetId, [`${x} ${y}`, `${x} ${y} one`, `${y} ${z}`, `${y} ${z} two`]);
    await prepareDedupePass(db, { datasetId, fields: ["story"], threshold: 0.6 });
    await runDedupePass(db, pool, datasetId);
    expect((await clustersOf(datasetId)).map((c) => c.size)).toEqual([2, 2]);
    const [lone] = await addRecords(datasetId, [b]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [lone] })).toBe(0);
    // One batch: a text near both clusters, and a near-duplicate of b (stored just before).
    const [bridge, nearB] = await addRecords(datasetId, [`${x} ${y} ${z}`, nearDuplicate(b, 0.9, words, rand).text]);
    const bridging = await checkLandedRecords(pool, datasetId, { ids: [bridge, nearB] });
    const clusters = await clustersOf(datasetId);
    expect(bridging).toBe(2);
    expect(clusters.map((c) => ({ size: c.size, members: c.members })).sort((x, y) => y.size - x.size)).toEqual([
      { size: 5, members: [...ids, bridge].sort() },
      { size: 2, members: [lone, nearB].sort() },
    ]);
    expect(await db.duplicateCluster.count({ where: { datasetId } })).toBe(2);
  });

  test("band hashes: a full pass stores each record's once in its bucket, a landed record adds its own, a deleted record's are skipped, a deleted dataset's go", async () => {
    const datasetId = await dataset();
    const a = randomText(800, words, rand);
    const b = randomText(800, words, rand);
    const near = nearDuplicate(a, 0.9, words, rand).text;
    const [idA, idB, idNear] = await addRecords(datasetId, [a, b, near]);
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    await runDedupePass(db, pool, datasetId);
    const banding = chooseBanding(0.8, 128);
    const stored = async () => {
      const rows = await db.recordBand.findMany({ where: { datasetId } });
      return rows.flatMap((r) => r.hashes.map((h, i) => ({ ok: bucketOf(h, bucketBits(3, banding.bands)) === r.bucket, entry: `${h}:${r.records[i]}` })));
    };
    const want = (id: string, text: string) => Array.from(fingerprint([text], banding).bands, (h) => `${h}:${id}`);
    let entries = await stored();
    expect(entries.every((e) => e.ok)).toBe(true);
    expect(entries.map((e) => e.entry).sort()).toEqual([...want(idA, a), ...want(idNear, near), ...want(idB, b)].sort());

    // The original goes; a near-duplicate of the remaining one lands and finds it by its bands.
    await db.record.delete({ where: { id: idA } });
    const later = nearDuplicate(near, 0.95, words, rand).text;
    const [idLater] = await addRecords(datasetId, [later]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [idLater] })).toBe(1);
    const mine = await db.recordSignature.findUniqueOrThrow({ where: { recordId: idLater } });
    expect(mine.clusterId).toBe((await db.recordSignature.findUniqueOrThrow({ where: { recordId: idNear } })).clusterId);
    entries = await stored();
    expect(entries.every((e) => e.ok)).toBe(true);
    expect(entries.map((e) => e.entry).filter((e) => e.endsWith(idLater)).sort()).toEqual(want(idLater, later).sort());

    // Deleting the dataset deletes its buckets (a trigger: RecordBand has no foreign key).
    await db.dataset.delete({ where: { id: datasetId } });
    expect(await db.recordBand.count({ where: { datasetId } })).toBe(0);
  });

  test("fingerprinting in worker threads gives the clusters, keys and band hashes of the pass's own thread", async () => {
    const datasetId = await dataset();
    const stories: string[] = [];
    for (let k = 0; k < 240; k++) {
      const r = rand();
      const earlier = stories[Math.floor(rand() * stories.length)];
      if (k > 10 && r < 0.2) stories.push(nearDuplicate(earlier, 0.85 + rand() * 0.1, words, rand).text);
      else if (k > 10 && r < 0.3) stories.push(earlier.toUpperCase());
      else if (r < 0.33) stories.push(`Crème brûlée ${randomText(300, words, rand)}`);
      else if (r < 0.34) stories.push("");
      else stories.push(randomText(300 + Math.floor(rand() * 900), words, rand));
    }
    await db.record.createMany({ data: stories.map((story, index) => ({ datasetId, index, source: "imported", status: "succeeded", values: { story } })) });
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    const result = async () => ({
      clusters: (await clustersOf(datasetId)).map((c) => ({ exact: c.exact, members: c.members })),
      keys: (await db.recordSignature.findMany({ where: { datasetId }, orderBy: { recordId: "asc" } })).map((s) => `${s.recordId}:${s.exactKey}`),
      bands: (await db.recordBand.findMany({ where: { datasetId } })).flatMap((b) => b.hashes.map((h, i) => `${b.bucket}:${h}:${b.records[i]}`)).sort(),
    });
    expect((await runDedupePass(db, pool, datasetId, { workers: 0, blockBytes: 8_192 })).workers).toBe(0);
    const alone = await result();
    expect(alone.clusters.length).toBeGreaterThan(20);
    expect(alone.keys).toHaveLength(240);
    // Two workers and blocks of a few records: blocks shared between the workers and this thread, returned out of order.
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    const shared = await runDedupePass(db, pool, datasetId, { workers: 2, blockBytes: 8_192 });
    expect(shared.workers).toBe(2);
    expect(shared.workerBlocks).toBeGreaterThan(0);
    expect(await result()).toEqual(alone);
    // The same rows read in other orders (written back shuffled): the same clusters.
    const rows = await db.record.findMany({ where: { datasetId } });
    for (let round = 0; round < 4; round++) {
      for (let i = rows.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [rows[i], rows[j]] = [rows[j], rows[i]];
      }
      await db.record.deleteMany({ where: { datasetId } });
      await db.record.createMany({ data: rows.map((r) => ({ id: r.id, datasetId, index: r.index, source: r.source, status: r.status, values: r.values as object })) });
      await prepareDedupePass(db, { datasetId, fields: ["story"] });
      await runDedupePass(db, pool, datasetId, { workers: 0 });
      expect(await result()).toEqual(alone);
    }
  });

  test("imported records are checked as the import lands them", async () => {
    const a = randomText(600, words, rand);
    const { datasetId, ids } = await passedDataset([a, randomText(600, words, rand)]);
    const idA = ids[0];
    const near = nearDuplicate(a, 0.9, words, rand).text;
    const file = [{ story: near }, { story: randomText(600, words, rand) }].map((r) => JSON.stringify(r)).join("\n");
    async function* body() {
      yield new TextEncoder().encode(file);
    }
    await importRecords(db, pool, { datasetId, fileName: "more.jsonl", format: "jsonl", mapping: { story: "story" }, body: body() });
    await until(async () => (await db.recordSignature.count({ where: { datasetId } })) === 4, { timeoutMs: 20_000, intervalMs: 50 });
    const clusters = await clustersOf(datasetId);
    expect(clusters).toHaveLength(1);
    expect(clusters[0].members).toContain(idA);
    expect(clusters[0].size).toBe(2);
  });

  test("a record's fingerprint goes with it: one deleted, a run's deleted in one statement, a dataset deleted", async () => {
    const { datasetId, ids } = await passedDataset([0, 1, 2, 3].map(() => randomText(600, words, rand)));
    const signed = async () => (await db.recordSignature.findMany({ where: { datasetId }, select: { recordId: true } })).map((s) => s.recordId).sort();
    expect(await signed()).toEqual([...ids].sort());
    // No foreign key to "Record": the statement-level delete trigger does the cascade.
    await db.record.delete({ where: { id: ids[0] } });
    expect(await signed()).toEqual(ids.slice(1).sort());
    await db.record.deleteMany({ where: { id: { in: ids.slice(1, 3) } } });
    expect(await signed()).toEqual([ids[3]]);
    await db.dataset.delete({ where: { id: datasetId } });
    expect(await db.recordSignature.count({ where: { recordId: ids[3] } })).toBe(0);
  });

  test("band bucket rows of a full pass stay inline (not TOASTed), so a landed record's lookup reads one row per band", async () => {
    // 120 records of 17 bands in 16 buckets: ~130 entries, ~3.5 KB a row, as at 1M records.
    const { datasetId } = await passedDataset(Array.from({ length: 120 }, () => randomText(300, words, rand)));
    const [row] = await db.$queryRaw<{ rows: number; entries: number; toasted: number }[]>`
      select count(*)::int as rows, min(cardinality(hashes))::int as entries,
             count(*) filter (where pg_column_toast_chunk_id(records) is not null or pg_column_toast_chunk_id(hashes) is not null)::int as toasted
      from "RecordBand" where "datasetId" = ${datasetId}::uuid`;
    expect(row.rows).toBe(16);
    expect(row.entries).toBeGreaterThan(100);
    expect(row.toasted).toBe(0);
  });

  test("records that land while a pass runs (one new, one retried from failed) are checked against its result when it ends", async () => {
    const datasetId = await dataset();
    const a = randomText(800, words, rand);
    const b = randomText(800, words, rand);
    const [idA, idB] = await addRecords(datasetId, [a, b]);
    const retried = await db.record.create({ data: { datasetId, index: 5000, source: "imported", status: "failed", values: { story: nearDuplicate(b, 0.9, words, rand).text } } });
    await prepareDedupePass(db, { datasetId, fields: ["story"] });
    // Hold the dataset's dedupe lock: the pass reads, then waits for it before it writes.
    const holder = await pool.connect();
    await holder.query("begin");
    await holder.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`dedupe:${datasetId}`]);
    const pass = runDedupePass(db, pool, datasetId);
    try {
      await until(
        async () =>
          (
            await db.$queryRaw<{ n: number }[]>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
              and ((classid::int8 << 32) | objid::int8) = hashtextextended(${`dedupe:${datasetId}`}, 0)`
          )[0].n > 0,
        { timeoutMs: 20_000, intervalMs: 20 },
      );
      // The pass has read without these two: a near-duplicate of A lands, the failed record succeeds.
      const [idNear] = await addRecords(datasetId, [nearDuplicate(a, 0.9, words, rand).text]);
      await db.record.update({ where: { id: retried.id }, data: { status: "succeeded" } });
      expect(await checkLandedRecords(pool, datasetId, { ids: [idNear] })).toBe(0);
      expect(await checkLandedRecords(pool, datasetId, { ids: [retried.id] })).toBe(0);
      await holder.query("commit");
      await pass;
      expect((await clustersOf(datasetId)).map((c) => c.members)).toEqual([[idA, idNear].sort(), [idB, retried.id].sort()].sort((x, y) => x[0].localeCompare(y[0])));
      expect(await db.recordSignature.count({ where: { datasetId } })).toBe(4);
      expect((await db.dedupeState.findUniqueOrThrow({ where: { datasetId } })).landedDuringPass).toEqual([]);
    } finally {
      await holder.query("rollback").catch(() => {});
      holder.release();
      await pass.catch(() => {});
    }
  });

  test("a check that reuses the settings it saw before finds a pass started since (its request is left to the pass) or completed on other fields (which it then compares)", async () => {
    const a = randomText(800, words, rand);
    const passed = await passedDataset([a, randomText(800, words, rand)]);
    const { datasetId } = passed;
    const [idFirst] = await addRecords(datasetId, [randomText(800, words, rand)]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [idFirst] })).toBe(0);

    // A pass starts: a check with the settings seen above leaves its request to the pass.
    await prepareDedupePass(db, { datasetId, fields: ["story"], threshold: 0.7 });
    const [idNear] = await addRecords(datasetId, [nearDuplicate(a, 0.9, words, rand).text]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [idNear] })).toBe(0);
    expect((await db.dedupeState.findUniqueOrThrow({ where: { datasetId } })).landedDuringPass).toEqual([{ ids: [idNear] }]);
    await runDedupePass(db, pool, datasetId);
    const idA = passed.ids[0];
    expect((await clustersOf(datasetId)).map((c) => c.members)).toEqual([[idA, idNear].sort()]);

    // A pass on another field completes: the next check compares that field.
    await db.record.update({ where: { id: idA }, data: { values: { story: a, title: "The same title" } } });
    await prepareDedupePass(db, { datasetId, fields: ["title"] });
    await runDedupePass(db, pool, datasetId);
    const [idTitle] = await addRecords(datasetId, [randomText(800, words, rand)]);
    await db.record.update({ where: { id: idTitle }, data: { values: { story: "other", title: "the same title!" } } });
    expect(await checkLandedRecords(pool, datasetId, { ids: [idTitle] })).toBe(1);
    expect((await clustersOf(datasetId)).map((c) => c.members)).toContainEqual([idA, idTitle].sort());
  });

  test("clear errors: unknown dataset, empty dataset, unknown field, threshold outside (0, 1]", async () => {
    await expect(prepareDedupePass(db, { datasetId: crypto.randomUUID(), fields: ["story"] })).rejects.toThrow(/dataset was not found/);
    const empty = await dataset();
    await expect(prepareDedupePass(db, { datasetId: empty, fields: ["story"] })).rejects.toThrow(/no records to compare yet/);
    const datasetId = await dataset();
    await addRecords(datasetId, ["one story", "another"]);
    await expect(prepareDedupePass(db, { datasetId, fields: ["story", "nope"] })).rejects.toThrow(/No record has a field called "nope"/);
    for (const threshold of [0, -0.5, 1.01]) {
      await expect(prepareDedupePass(db, { datasetId, fields: ["story"], threshold })).rejects.toThrow(/more than 0 and at most 1/);
    }
    await expect(prepareDedupePass(db, { datasetId, fields: [] })).rejects.toThrow(/at least one field/);
    // Until a pass has completed, landing records are not checked (no settings to check them with).
    const [id] = await addRecords(datasetId, ["another"]);
    expect(await checkLandedRecords(pool, datasetId, { ids: [id] })).toBe(0);
    expect(await db.recordSignature.count({ where: { datasetId } })).toBe(0);
  });
});
