// `scale` group, api_page_ms_p95: one /api/v1 records page of 100 with a filter, at
// 100,000 records, through the real route handler (app/api/v1/datasets/[datasetId]/records)
// with a real Request and a real API token, as Next calls it: token check, query parsing,
// the dataset lookup, the page and its answer as JSON. Every page of two filters is walked
// (a field value and a review state together), from the first to the last, following the
// answer's `next` cursor, so later pages count as much as the first ones.
import pg from "pg";
import { GET as recordsGET } from "@/app/api/v1/datasets/[datasetId]/records/route";
import { createApiToken } from "@/lib/api/server/tokens";
import type { Db } from "@/lib/db/server/prisma";
import { indexDatasetFields, valueIndexBuildsSettled } from "@/lib/records/server/value-indexes";
import type { RecordFilter } from "@/lib/records/filter";
import { createSeedDataset, reviewSeeded, seedRecords } from "@/lib/testing/seed-records";

const N = 100_000;
const log = (s: string) => console.log(`[bench:scale-api] ${s}`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const round = (n: number) => Math.round(n * 10) / 10;

const FILTERS: { name: string; filter: RecordFilter }[] = [
  { name: "unreviewed, topic = music", filter: { reviewState: ["unreviewed"], values: [{ field: "topic", op: "eq", value: "music" }] } },
  { name: "accepted, difficulty = hard", filter: { reviewState: ["accepted"], values: [{ field: "difficulty", op: "eq", value: "hard" }] } },
];

/** 100,000 seeded records, 30 % accepted and 10 % rejected, with the value indexes a landing builds. */
export async function seedApiDataset(db: Db, sql: pg.Client): Promise<string> {
  log(`seeding ${N.toLocaleString("en-US")} records ...`);
  const ds = await createSeedDataset(sql, `API bench ${new Date().toISOString()}`, 2);
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, N / 2);
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[1] }, N / 2);
  // A reviewed dataset, as bench/review.ts: 30 % accepted, 10 % rejected.
  await reviewSeeded(sql, ds.datasetId);
  await sql.query(`vacuum analyze "Record"`);
  // The value indexes records landing in bulk build (lib/records/server/value-indexes.ts);
  // seeded straight in SQL here, so the landing is signalled by hand.
  await indexDatasetFields(db, ds.datasetId);
  await valueIndexBuildsSettled();
  return ds.datasetId;
}

export async function benchScaleApi(db: Db, databaseUrl: string): Promise<Record<string, number>> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const datasetId = await seedApiDataset(db, sql);
    const { token } = await createApiToken(db, null, "bench");
    const ctx = { params: Promise.resolve({ datasetId: datasetId }) };
    const page = async (filter: RecordFilter, cursor: string | null) => {
      const q = new URLSearchParams({ filter: JSON.stringify(filter), limit: "100" });
      if (cursor) q.set("cursor", cursor);
      const req = new Request(`http://127.0.0.1:3000/api/v1/datasets/${datasetId}/records?${q}`, { headers: { authorization: `Bearer ${token}` } });
      const t = performance.now();
      const res = await recordsGET(req, ctx);
      const { data: body, error } = (await res.json()) as { data?: { records: { id: string }[]; next: string | null }; error?: { message: string } };
      const ms = performance.now() - t;
      if (res.status !== 200 || !body) throw new Error(`API page failed (${res.status}): ${error?.message}`);
      return { ms, records: body.records, next: body.next };
    };

    // Warm-up: the first requests pay for module and plan caches, not the page.
    for (let i = 0; i < 3; i++) await page(FILTERS[0].filter, null);
    const times: number[] = [];
    for (const { name, filter } of FILTERS) {
      const [{ n }] = (await sql.query<{ n: number }>(
        `select count(*)::int as n from "Record" where "datasetId" = $1 and "reviewState" = $2 and values->>$3 = $4`,
        [datasetId, filter.reviewState![0], filter.values![0].field, filter.values![0].value],
      )).rows;
      const own: number[] = [];
      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const p = await page(filter, cursor);
        own.push(p.ms);
        for (const r of p.records) seen.add(r.id);
        cursor = p.next;
      } while (cursor);
      if (seen.size !== n) throw new Error(`"${name}": walked ${seen.size} distinct records, ${n} match`);
      log(`"${name}": ${n} records in ${own.length} pages, p50 ${round(quantile(own, 0.5))} ms, p95 ${round(quantile(own, 0.95))} ms, last page ${round(own[own.length - 1])} ms`);
      times.push(...own);
    }
    const out = { api_page_ms_p50: round(quantile(times, 0.5)), api_page_ms_p95: round(quantile(times, 0.95)), api_pages: times.length };
    log(`${out.api_pages} pages: p50 ${out.api_page_ms_p50} ms, p95 ${out.api_page_ms_p95} ms`);
    return out;
  } finally {
    await sql.end();
  }
}
