// Health benchmarks (issue 14, item 3):
//   health_1m_ms            the health page's data (datasetHealth) for 1,000,000 records, median of 7 views
//   health_1m_first_ms      the first view, which also computes and stores each run's diversity figures
//   health_backfill_1m_ms   counting a newly tracked field over 1M records already there (once per field)
// and the write paths on 100,000 records with their tallies (medians of 3; --writes-only
// skips the 1M figures, whose seeding takes minutes):
//   bulk_accept_100k_ms, bulk_undo_100k_ms
//   insert_100k_batched_ms   100k records in statements of 500, as a run writes them
//   import_rows_per_s        a 100k-row CSV through the import's COPY
import pg from "pg";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { createPrisma } from "@/lib/db/server/prisma";
import { importRecords } from "@/lib/import/server/import";
import { datasetHealth, syncHealthFields } from "@/lib/quality/health/server/health";
import { trackedFields } from "@/lib/quality/health/shape";
import { bulkDecide, undoAction } from "@/lib/review/server/decisions";
import { createSeedDataset, SEED_BLUEPRINT, seedRecords } from "@/lib/testing/seed-records";
import type { Blueprint } from "@/lib/blueprints/schema";

const log = (s: string) => console.log(`[bench:health] ${s}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const ROUNDS = 3;

// The seeded records' blueprint with the answer written by a model: two categories and a
// number counted by value, the answer by token length, diversity on the answer.
const BLUEPRINT = {
  fields: [
    ...SEED_BLUEPRINT.fields.slice(0, 4),
    { id: "f5", kind: "llm", name: "answer", system: "", prompt: "{{ question }}", model: "fake-small", params: {}, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
  ],
} as unknown as Blueprint;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await f();
  return [performance.now() - t, r];
}

export async function benchHealth(ctx: { databaseUrl: string; million?: number; writesOnly?: boolean }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const sql = new pg.Client({ connectionString: ctx.databaseUrl });
  await sql.connect();
  const db = createPrisma(ctx.databaseUrl);
  const pool = createRawPool(ctx.databaseUrl, 2);
  try {
    // --- The health page's data on 1M records (skipped with --writes-only).
    if (!ctx.writesOnly) {
      const M = ctx.million ?? 1_000_000;
      // Four runs of 250k: the seed fixture's word choice overflows int4 beyond ~270k per run.
      const ds = await createSeedDataset(sql, `Health bench 1M`, 4);
      await sql.query(`update "Dataset" set draft = $2 where id = $1`, [ds.datasetId, JSON.stringify(BLUEPRINT)]);
      // Fields counted from the start except the number, counted afterwards: the backfill figure.
      const late = { ...BLUEPRINT, fields: BLUEPRINT.fields.filter((f) => f.name !== "n") };
      await syncHealthFields(db, ds.datasetId, trackedFields(late));
      log(`seeding ${M.toLocaleString("en-US")} records ...`);
      const [seedMs] = await timed(async () => {
        for (const runId of ds.runIds) {
          for (let i = 0; i < M / 4; i += 125_000) await seedRecords(sql, { datasetId: ds.datasetId, runId }, Math.min(125_000, M / 4 - i), i);
        }
      });
      out.seed_1m_ms = Math.round(seedMs);
      await sql.query(`vacuum analyze "Record"`);
      const [backfill] = await timed(() => syncHealthFields(db, ds.datasetId, trackedFields(BLUEPRINT)));
      out.health_backfill_1m_ms = Math.round(backfill);
      const [first, h] = await timed(() => datasetHealth(db, ds.datasetId));
      if (h.total !== M) throw new Error(`health counted ${h.total} records, expected ${M}`);
      out.health_1m_first_ms = Math.round(first);
      const views: number[] = [];
      for (let i = 0; i < 7; i++) views.push((await timed(() => datasetHealth(db, ds.datasetId)))[0]);
      log(`health views: first ${Math.round(first)} ms, then ${views.map(Math.round).join(", ")} ms`);
      out.health_1m_ms = Math.round(median(views));
      const { rows } = await sql.query(`select count(*)::int n from "HealthTally" where "datasetId" = $1`, [ds.datasetId]);
      out.tally_rows_1m = rows[0].n;
      log(JSON.stringify(out));
      await db.dataset.delete({ where: { id: ds.datasetId } });
    }
    // --- Write paths on 100,000 records, each counting its own tally change (no INSERT or
    // UPDATE trigger since *_health_tally_in_statement). Compare with the figures without
    // health: review.bulk_accept_100k_ms, and the README's table (measured in alternation).
    const N = 100_000;
    const runs: Record<string, number[]> = { insert: [], bulk: [], undo: [], import: [] };
    const csv = "topic,answer\n" + Array.from({ length: N }, (_, i) => `${["law", "music", "art"][i % 3]},imported answer ${i} ${"lorem ipsum dolor sit amet ".repeat(30)}`).join("\n") + "\n";
    for (let round = 0; round < ROUNDS; round++) {
      const ds = await createSeedDataset(sql, `Health bench writes ${round}`, 1);
      await sql.query(`update "Dataset" set draft = $2 where id = $1`, [ds.datasetId, JSON.stringify(BLUEPRINT)]);
      await syncHealthFields(db, ds.datasetId, trackedFields(BLUEPRINT));
      let [ms] = await timed(async () => {
        for (let i = 0; i < N; i += 500) await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, 500, i);
      });
      runs.insert.push(ms);
      await sql.query(`vacuum analyze "Record"`);
      const [b, r] = await timed(() => bulkDecide(db, { datasetId: ds.datasetId, target: { filter: { reviewState: ["unreviewed"] } }, reviewer: "bench", decision: "accept" }));
      if (r.count !== N) throw new Error(`bulk accept changed ${r.count}`);
      runs.bulk.push(b);
      [ms] = await timed(() => undoAction(db, { datasetId: ds.datasetId, reviewer: "bench", actionId: r.actionId! }));
      runs.undo.push(ms);
      const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(new TextEncoder().encode(csv)); c.close(); } });
      [ms] = await timed(() => importRecords(db, pool, { datasetId: ds.datasetId, fileName: "bench.csv", format: "csv", mapping: { topic: "topic", answer: "answer" }, body }));
      runs.import.push(N / (ms / 1000));
      log(`round ${round}: insert ${Math.round(runs.insert.at(-1)!)} ms, bulk accept ${Math.round(b)} ms, undo ${Math.round(runs.undo.at(-1)!)} ms, import ${Math.round(runs.import.at(-1)!)} rows/s`);
      await db.dataset.delete({ where: { id: ds.datasetId } });
    }
    out.insert_100k_batched_ms = Math.round(median(runs.insert));
    out.bulk_accept_100k_ms = Math.round(median(runs.bulk));
    out.bulk_undo_100k_ms = Math.round(median(runs.undo));
    out.import_rows_per_s = Math.round(median(runs.import));

    return out;
  } finally {
    await pool.end();
    await db.$disconnect();
    await sql.end();
  }
}
