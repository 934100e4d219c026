// Duplicate-detection benchmarks (issue 14), on N records of ~1 KB of random prose in
// PostgreSQL, 5% of them planted near-duplicates of an earlier record (random word edits
// keeping the 5-gram Jaccard similarity between 0.85 and 0.95) and 1% exact duplicates
// (a copy with case, spacing and punctuation changed):
//   dedupe_1m_s                a full pass read from PostgreSQL, clusters written back
//   dedupe_recall              planted pairs (near and exact) found in one cluster
//   dedupe_precision           pairs in a cluster whose exact Jaccard is >= 0.7
//   dedupe_incremental_ms_p95  one new record checked against all of them
// and the comparison of one-permutation hashing with 128 independent hashes on a sample.
import { once } from "node:events";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { createPrisma } from "@/lib/db/server/prisma";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { joinedText } from "@/lib/quality/fingerprint";
import { classicSignature, estimateJaccard, ophSignature } from "@/lib/quality/minhash";
import { normalizeText } from "@/lib/quality/normalize";
import { checkLandedRecords, prepareDedupePass, runDedupePass, type LandedTimings } from "@/lib/quality/server/dedupe";
import { jaccard, shingleHashes, shingleSet } from "@/lib/quality/shingles";
import { nearDuplicate, prng, randomText, vocabulary } from "@/lib/quality/synthetic";
import { createSeedDataset } from "@/lib/testing/seed-records";

const N = Number(process.env.BENCH_QUALITY_RECORDS ?? 1_000_000);
const log = (s: string) => console.log(`[bench:quality] ${s}`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

type Planted = { a: number; b: number; kind: "near" | "exact"; jaccard: number };

/** Shuffles case, spacing and punctuation: the same text after normalisation. */
function exactCopy(text: string, rand: () => number): string {
  return text
    .split(" ")
    .map((w) => (rand() < 0.1 ? w.toUpperCase() : w) + (rand() < 0.05 ? "," : ""))
    .join(rand() < 0.5 ? " " : "  ");
}

/** Writes N records through COPY, keeping the planted pairs; returns them. */
async function seed(sql: pg.Client, datasetId: string): Promise<Planted[]> {
  const rand = prng(2026);
  const words = vocabulary(5000, rand);
  const planted: Planted[] = [];
  const recent: string[] = [];
  const copy = sql.query(copyFrom(`copy "Record" (id, "datasetId", index, source, status, values, "nonTextFields", "updatedAt") from stdin`));
  const done = once(copy, "finish");
  let out = "";
  for (let i = 0; i < N; i++) {
    let text: string;
    const r = rand();
    if (i > 100 && r < 0.05) {
      // A near-duplicate of one of the last 10,000 originals, kept only inside the range.
      const a = i - 1 - Math.floor(rand() * Math.min(10_000, recent.length));
      const base = recent[a % recent.length];
      let nd = nearDuplicate(base, 0.85 + rand() * 0.1, words, rand);
      while (nd.jaccard < 0.85) nd = nearDuplicate(base, 0.9 + rand() * 0.05, words, rand);
      text = nd.text;
      planted.push({ a, b: i, kind: "near", jaccard: nd.jaccard });
    } else if (i > 100 && r < 0.06) {
      const a = i - 1 - Math.floor(rand() * Math.min(10_000, recent.length));
      text = exactCopy(recent[a % recent.length], rand);
      planted.push({ a, b: i, kind: "exact", jaccard: 1 });
    } else text = randomText(900 + Math.floor(rand() * 200), words, rand);
    recent[i % 10_000] = text;
    out += `${crypto.randomUUID()}\t${datasetId}\t${i}\timported\tsucceeded\t${JSON.stringify({ text }).replace(/\\/g, "\\\\")}\t{}\tnow\n`;
    if (out.length > 1 << 20) {
      if (!copy.write(out)) await once(copy, "drain");
      out = "";
    }
    if (i % 200_000 === 0 && i) log(`  ${i.toLocaleString("en-US")} records written`);
  }
  copy.end(out);
  await done;
  return planted;
}

export async function benchQuality(ctx: { databaseUrl: string }): Promise<Record<string, number>> {
  const out: Record<string, number> = { dedupe_records: N };
  const sql = new pg.Client({ connectionString: ctx.databaseUrl });
  await sql.connect();
  const db = createPrisma(ctx.databaseUrl);
  const pool = createRawPool(ctx.databaseUrl, 4);
  try {
    const ds = await createSeedDataset(sql, `Quality bench ${new Date().toISOString()}`, 0);
    const datasetId = ds.datasetId;
    log(`seeding ${N.toLocaleString("en-US")} records ...`);
    let t = performance.now();
    const planted = await seed(sql, datasetId);
    await sql.query(`vacuum analyze "Record"`);
    log(`seeded in ${round((performance.now() - t) / 1000)} s; ${planted.length.toLocaleString("en-US")} planted pairs`);

    // Full pass.
    t = performance.now();
    await prepareDedupePass(db, { datasetId, fields: ["text"], threshold: 0.8 });
    const phases = await runDedupePass(db, pool, datasetId);
    out.dedupe_1m_s = round((performance.now() - t) / 1000);
    for (const [k, v] of Object.entries(phases)) out[`dedupe_pass_${k}${k === "pairs" ? "" : "_s"}`] = k === "pairs" ? v : round(v / 1000);
    log(`full pass: ${out.dedupe_1m_s} s (${JSON.stringify(phases)})`);
    await sql.query(`vacuum analyze "RecordSignature"`);

    // Recall on the planted pairs; precision over every pair inside a cluster.
    const { rows } = await sql.query<{ index: number; clusterId: string; text: string }>(
      `select r.index, s."clusterId", r.values->>'text' as text from "RecordSignature" s join "Record" r on r.id = s."recordId"
       where s."datasetId" = $1 and s."clusterId" is not null`,
      [datasetId],
    );
    const cluster = new Map(rows.map((r) => [r.index, r.clusterId]));
    const found = (p: Planted) => cluster.get(p.a) !== undefined && cluster.get(p.a) === cluster.get(p.b);
    const near = planted.filter((p) => p.kind === "near");
    out.dedupe_recall = round(planted.filter(found).length / planted.length, 4);
    out.dedupe_recall_near = round(near.filter(found).length / near.length, 4);
    const members = new Map<string, string[]>();
    for (const r of rows) members.set(r.clusterId, [...(members.get(r.clusterId) ?? []), r.text]);
    let pairs = 0;
    let good = 0;
    for (const texts of members.values()) {
      const sets = texts.slice(0, 20).map((x) => shingleSet(normalizeText(x)));
      for (let i = 0; i < sets.length; i++)
        for (let j = i + 1; j < sets.length; j++) {
          pairs++;
          if (jaccard(sets[i], sets[j]) >= 0.7) good++;
        }
    }
    out.dedupe_precision = round(good / pairs, 4);
    out.dedupe_clusters = members.size;
    log(`recall ${out.dedupe_recall} (near ${out.dedupe_recall_near}), precision ${out.dedupe_precision} over ${pairs} pairs`);

    // Incremental: one new record at a time (half near-duplicates, half new text).
    const rand = prng(99);
    const words = vocabulary(5000, prng(2026));
    const times: number[] = [];
    const landedPhases: LandedTimings[] = [];
    for (let k = 0; k < 200; k++) {
      const base = rows[Math.floor(rand() * rows.length)].text;
      const text = k % 2 ? nearDuplicate(base, 0.9, words, rand).text : randomText(1000, words, rand);
      const { rows: ins } = await sql.query<{ id: string }>(
        `insert into "Record" (id, "datasetId", index, source, status, values, "nonTextFields", "updatedAt")
         values (gen_random_uuid(), $1, $2, 'imported', 'succeeded', $3, '{}', now()) returning id`,
        [datasetId, N + k, JSON.stringify({ text })],
      );
      const phase: LandedTimings = { settings: 0, connect: 0, read: 0, lookup: 0, plan: 0, write: 0, candidates: 0 };
      const t0 = performance.now();
      await checkLandedRecords(pool, datasetId, { ids: [ins[0].id] }, phase);
      times.push(performance.now() - t0);
      landedPhases.push(phase);
    }
    // Where one check spends its time (medians of each phase) and the size of what it reads.
    for (const k of Object.keys(landedPhases[0]) as (keyof LandedTimings)[]) out[`dedupe_incremental_${k}${k === "candidates" ? "" : "_ms"}_p50`] = round(quantile(landedPhases.map((p) => p[k]), 0.5), 2);
    const { rows: buckets } = await sql.query<{ entries: number; bytes: number }>(
      `select avg(cardinality(hashes))::float8 as entries, avg(pg_column_size(hashes) + pg_column_size(records))::float8 as bytes from "RecordBand" where "datasetId" = $1`,
      [datasetId],
    );
    out.dedupe_bucket_entries = round(buckets[0].entries);
    out.dedupe_bucket_bytes = round(buckets[0].bytes, 0);
    log(`incremental phases (p50): ${JSON.stringify(Object.fromEntries(Object.keys(landedPhases[0]).map((k) => [k, out[`dedupe_incremental_${k}${k === "candidates" ? "" : "_ms"}_p50`]])))}; buckets ${out.dedupe_bucket_entries} entries, ${out.dedupe_bucket_bytes} bytes`);
    out.dedupe_incremental_ms_p50 = round(quantile(times, 0.5), 2);
    out.dedupe_incremental_ms_p95 = round(quantile(times, 0.95), 2);
    log(`incremental p50 ${out.dedupe_incremental_ms_p50} ms, p95 ${out.dedupe_incremental_ms_p95} ms`);

    // One-permutation hashing against 128 independent hashes, on planted pairs and random pairs.
    const sample = await sql.query<{ a: string; b: string }>(
      `select ra.values->>'text' as a, rb.values->>'text' as b from unnest($2::int[], $3::int[]) p(a, b)
       join "Record" ra on ra."datasetId" = $1 and ra.index = p.a join "Record" rb on rb."datasetId" = $1 and rb.index = p.b`,
      [datasetId, near.slice(0, 1000).map((p) => p.a).concat(Array.from({ length: 1000 }, (_, i) => i * 7)), near.slice(0, 1000).map((p) => p.b).concat(Array.from({ length: 1000 }, (_, i) => i * 7 + 3))],
    );
    const texts = sample.rows.map((r) => [joinedText([r.a]), joinedText([r.b])] as const);
    for (const [name, sign] of [
      ["oph", ophSignature],
      ["classic", classicSignature],
    ] as const) {
      let err = 0;
      const t1 = performance.now();
      const sigs = texts.map(([a, b]) => [sign(shingleHashes(a))!, sign(shingleHashes(b))!] as const);
      const perRecord = ((performance.now() - t1) * 1000) / (texts.length * 2);
      texts.forEach(([a, b], i) => (err += Math.abs(estimateJaccard(sigs[i][0], sigs[i][1]) - jaccard(shingleSet(a), shingleSet(b)))));
      out[`minhash_${name}_us_per_record`] = round(perRecord);
      out[`minhash_${name}_mean_abs_error`] = round(err / texts.length, 4);
    }
    log(`signature per record: oph ${out.minhash_oph_us_per_record} µs, classic ${out.minhash_classic_us_per_record} µs`);
  } finally {
    await pool.end();
    await db.$disconnect();
    await sql.end();
  }
  return out;
}
