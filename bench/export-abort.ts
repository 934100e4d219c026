// Cancelled downloads and the database: `npm run bench -- export-abort`.
//
//   export_abort_leaked_connections  server sessions of the export pool still open 5 s after
//                                    50 exports cancelled at random moments (target 0)
//   export_abort_pool_busy_after     connections the pool still counts as checked out then
//   export_abort_next_export_ms      a whole export of the same dataset right after (the pool serves again)
//
// 20,000 records of ~1.1 KB (seedExportBench), the studio's pool (6 connections), five
// exports at a time. Each is cancelled one of three ways, as a browser does: the request's
// signal before anything was read (the response never sent), the signal after a random
// number of chunks, or the body cancelled after a random number of chunks; the signal ones
// also at a random delay of 0-150 ms. The five-second wait is the figure's definition.
import pg from "pg";
import { seedExportBench } from "./export";

const EXPORTS = 50;
const AT_ONCE = 5;
const RECORDS = 20_000;

/** mulberry32: the same "random" moments on every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchExportAbort({ databaseUrl, log = console.log }: { databaseUrl: string; log?: (s: string) => void }): Promise<Record<string, number>> {
  const { createPrisma } = await import("../lib/db/server/prisma");
  const { createRawPool } = await import("../lib/db/copy/server/raw-pg");
  const { startExport } = await import("../lib/export/server/export");
  const { ExportRequest } = await import("../lib/export/schemas");
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const db = createPrisma(databaseUrl);
  const name = `dw_bench_abort_${process.pid}`;
  const url = new URL(databaseUrl);
  url.searchParams.set("application_name", name);
  const pool = createRawPool(url.toString());
  try {
    log(`[bench export-abort] seeding ${RECORDS.toLocaleString("en-US")} records ...`);
    const { datasetId } = await seedExportBench(admin, RECORDS);
    const request = ExportRequest.parse({ format: "jsonl", fields: ["topic", "difficulty", "n", "question", "answer"] });
    const rnd = random(13);
    const ways = { signalBeforeResponse: 0, signalAfterResponse: 0, bodyCancelled: 0 };

    // 0: the signal at a random moment (often before the response exists, with five at once
    // on two cores), the body then read until it ends; 1: the signal just after the response,
    // nothing read; 2: the body cancelled after a random number of chunks.
    async function one() {
      const way = Math.floor(rnd() * 3);
      const chunks = Math.floor(rnd() * 40);
      const delayMs = rnd() * 150;
      const ac = new AbortController();
      if (way === 0) setTimeout(() => ac.abort(), delayMs);
      let d;
      try {
        d = await startExport(db, pool, datasetId, request, { signal: ac.signal });
      } catch {
        ways.signalBeforeResponse++;
        return;
      }
      const reader = d.body.getReader();
      if (way === 1) {
        ways.signalAfterResponse++;
        ac.abort(); // the response is dropped unread, as when the browser left before it
        return;
      }
      if (way === 0) ways.signalAfterResponse++;
      else ways.bodyCancelled++;
      try {
        for (let i = 0; way === 0 || i < chunks; i++) if ((await reader.read()).done) return;
        await reader.cancel();
      } catch {
        // the stream ended by the signal
      }
    }

    for (let i = 0; i < EXPORTS; i += AT_ONCE) await Promise.all(Array.from({ length: Math.min(AT_ONCE, EXPORTS - i) }, one));
    await new Promise((r) => setTimeout(r, 5_000));
    const { rows } = await admin.query<{ n: string }>(`select count(*) as n from pg_stat_activity where application_name = $1`, [name]);
    const leaked = Number(rows[0].n) - pool.idleCount; // idle pooled connections are not leaks
    const busy = pool.totalCount - pool.idleCount;
    const t = performance.now();
    const whole = await startExport(db, pool, datasetId, request);
    let lines = 0;
    for await (const c of whole.body as unknown as AsyncIterable<Uint8Array>) for (const b of c) if (b === 10) lines++;
    const nextMs = Math.round(performance.now() - t);
    if (lines !== RECORDS) throw new Error(`the export after the cancelled ones wrote ${lines} lines, expected ${RECORDS}`);
    log(`[bench export-abort] ${JSON.stringify(ways)}; sessions left after 5 s: ${leaked}, pool busy: ${busy}; next export ${nextMs} ms`);
    return { export_abort_leaked_connections: leaked, export_abort_pool_busy_after: busy, export_abort_next_export_ms: nextMs, export_abort_exports: EXPORTS };
  } finally {
    await pool.end();
    await db.$disconnect();
    await admin.end();
  }
}
