// Review benchmarks (issue: review), on 100,000 seeded records of ~1 KB values:
//   grid_page_ms_p95         server time for one grid page with a filter and a sort, as the grid reads
//                            the first ten (grid_page_offset_ms_p95: the same pages counted by offset)
//   grid_first_rows_ms       navigation to the records page until rows are visible (Chromium, production build)
//   grid_scroll_frame_p95_ms main-thread time per frame while scrolling the grid at a steady rate, from a
//                            Chromium trace (bench/scroll-trace.ts, lib/perf/frame-trace.ts), with the share of
//                            dropped frames; grid_scroll_raf_p95_ms keeps the requestAnimationFrame deltas
//   decide_ms_p50            one record's decision (a keystroke), audit event included
//   bulk_accept_100k_ms      accept every record matching a filter, undo snapshot included
// Needs `{ databaseUrl }` (migrated) and optionally `{ baseUrl }` of a `next start` on the
// same database; without it, it builds if needed and starts one itself.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { chromium, type Browser } from "@playwright/test";
import { createPrisma, type Db } from "@/lib/db/server/prisma";
import { DEFAULT_SORT, PAGE_SIZE, type PageQuery } from "@/lib/review/schemas";
import { bulkDecide, decide, saveLabelSchema, undoAction } from "@/lib/review/server/decisions";
import { getDataset } from "@/lib/datasets/server/datasets";
import { TALLY_RETURNING, tallyUpsert } from "@/lib/quality/health/server/tally-sql";
import { countRecords, recordPage, reviewSetup, reviewStats } from "@/lib/review/server/records";
import { indexDatasetFields, valueIndexBuildsSettled } from "@/lib/records/server/value-indexes";
import { buildIfStale, freePort } from "../scripts/prepare";
import { createSeedDataset, reviewSeeded, seedRecords } from "@/lib/testing/seed-records";
import { scrollFigures, traceScroll } from "./scroll-trace";

const ROOT = path.resolve(import.meta.dirname, "..");
const N = 100_000;
const log = (s: string) => console.log(`[bench:review] ${s}`);
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const round = (n: number) => Math.round(n * 10) / 10;

export async function benchReview(ctx: { databaseUrl: string; baseUrl?: string }): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const sql = new pg.Client({ connectionString: ctx.databaseUrl });
  await sql.connect();
  const db = createPrisma(ctx.databaseUrl);
  let server: { baseUrl: string; child: ChildProcess } | undefined;
  try {
    log(`seeding ${N.toLocaleString("en-US")} records ...`);
    const ds = await createSeedDataset(sql, `Review bench ${new Date().toISOString()}`, 2);
    let t = performance.now();
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, N / 2);
    await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[1] }, N / 2);
    out.seed_100k_ms = Math.round(performance.now() - t);
    await markReviewed(sql, db, ds.datasetId);
    await sql.query(`vacuum analyze "Record"`);
    const stats = await reviewStats(db, ds.datasetId);
    if (stats.total !== N || stats.accepted !== (3 * N) / 10 || stats.rejected !== N / 10) throw new Error(`review tallies are off: ${JSON.stringify(stats)}`);

    // 1. One page with a filter and a sort, at offsets across the whole result.
    const queries: { name: string; q: Omit<PageQuery, "offset" | "limit"> }[] = [
      { name: "unreviewed, in order", q: { filter: { reviewState: ["unreviewed"] }, sort: DEFAULT_SORT } },
      { name: "accepted, newest first", q: { filter: { reviewState: ["accepted"] }, sort: { by: "position", dir: "desc" } } },
      { name: "succeeded, by cost", q: { filter: { status: ["succeeded"] }, sort: { by: "cost", dir: "desc" } } },
      { name: "label good, by tokens", q: { filter: { labels: { quality: ["good"] } }, sort: { by: "tokens", dir: "asc" } } },
      { name: "topic = music, by n", q: { filter: { values: [{ field: "topic", op: "eq", value: "music" }] }, sort: { by: "field", field: "n", dir: "asc" } } },
    ];
    // The first ten pages (where a reviewer works through a filter) give the headline figure;
    // pages anywhere (a jump by the scrollbar) cost O(offset) and are reported apart.
    // A sort or "field is" filter on a value uses that field's index, built in the background
    // once records land in bulk (lib/records/server/value-indexes.ts; seeded straight in SQL
    // here, so the landing is signalled by hand). A page before it answers without
    // (reported apart); the figures below are with it, as every page after a run is.
    t = performance.now();
    await recordPage(db, ds.datasetId, { ...queries[4].q, offset: 0, limit: PAGE_SIZE });
    out.grid_page_before_value_index_ms = round(performance.now() - t);
    t = performance.now();
    await indexDatasetFields(db, ds.datasetId);
    await valueIndexBuildsSettled();
    out.value_index_build_ms = Math.round(performance.now() - t);
    log(`value indexes (topic, difficulty, n, question) built in ${out.value_index_build_ms} ms; the page before them took ${out.grid_page_before_value_index_ms} ms`);

    // Pages as the grid reads them while a reviewer scrolls: the first by offset, each next
    // one after the last row of the page before (PageQuery.after, lib/review/server/page-order.ts).
    // The same pages counted by offset alone, as the grid read them before, are reported
    // beside them (grid_page_offset_*), measured in the same loop.
    const top: number[] = [];
    const byOffset: number[] = [];
    const deep: number[] = [];
    for (const { name, q } of queries) {
      const total = await countRecords(db, ds.datasetId, q.filter);
      const times: number[] = [];
      const offsetTimes: number[] = [];
      let after: string | undefined;
      for (let i = 0; i < 30; i++) {
        const offset = (i % 10) * PAGE_SIZE;
        t = performance.now();
        const rows = await recordPage(db, ds.datasetId, { ...q, offset, limit: PAGE_SIZE, after: offset ? after : undefined });
        times.push(performance.now() - t);
        after = rows.at(-1)?.id;
        t = performance.now();
        await recordPage(db, ds.datasetId, { ...q, offset, limit: PAGE_SIZE });
        offsetTimes.push(performance.now() - t);
      }
      const far: number[] = [];
      for (let i = 0; i < 6; i++) {
        const page = Math.floor(Math.random() * Math.ceil(total / PAGE_SIZE));
        t = performance.now();
        await recordPage(db, ds.datasetId, { ...q, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        far.push(performance.now() - t);
      }
      log(
        `page "${name}" (${total} match): first pages p50 ${round(quantile(times, 0.5))} ms, p95 ${round(quantile(times, 0.95))} ms ` +
          `(by offset: p50 ${round(quantile(offsetTimes, 0.5))}, p95 ${round(quantile(offsetTimes, 0.95))}); anywhere p50 ${round(quantile(far, 0.5))} ms`,
      );
      top.push(...times.slice(2));
      byOffset.push(...offsetTimes.slice(2));
      deep.push(...far);
    }
    out.grid_page_ms_p50 = round(quantile(top, 0.5));
    out.grid_page_ms_p95 = round(quantile(top, 0.95));
    out.grid_page_offset_ms_p50 = round(quantile(byOffset, 0.5));
    out.grid_page_offset_ms_p95 = round(quantile(byOffset, 0.95));
    log(`pages: p50 ${out.grid_page_ms_p50} ms, p95 ${out.grid_page_ms_p95} ms (by offset: p50 ${out.grid_page_offset_ms_p50}, p95 ${out.grid_page_offset_ms_p95})`);
    out.grid_page_anywhere_ms_p50 = round(quantile(deep, 0.5));
    out.grid_page_anywhere_ms_p95 = round(quantile(deep, 0.95));
    const search: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      await recordPage(db, ds.datasetId, { filter: { search: `record ${i * 997} says` }, sort: DEFAULT_SORT, offset: 0, limit: PAGE_SIZE });
      search.push(performance.now() - t);
    }
    out.grid_search_ms_p50 = round(quantile(search, 0.5));
    const counts: number[] = [];
    for (const { q } of queries) {
      t = performance.now();
      await countRecords(db, ds.datasetId, q.filter);
      counts.push(performance.now() - t);
    }
    out.grid_count_ms_max = round(Math.max(...counts));

    // One keystroke's decision (the grid's `a`/`r`): one statement that changes the record,
    // logs the undoable action, its snapshot, the health tallies and the audit event.
    const { rows: targets } = await sql.query<{ id: string; revision: number }>(
      `select id, revision from "Record" where "datasetId" = $1 and index % 10 >= 4 order by index limit 300`,
      [ds.datasetId],
    );
    const decideTimes: number[] = [];
    for (const [i, r] of targets.entries()) {
      t = performance.now();
      await decide(db, { recordId: r.id, revision: r.revision, reviewer: "bench", decision: i % 2 ? "accept" : "reject" }, { userId: "bench", name: "bench" });
      if (i >= 50) decideTimes.push(performance.now() - t);
    }
    out.decide_ms_p50 = round(quantile(decideTimes, 0.5));
    out.decide_ms_p95 = round(quantile(decideTimes, 0.95));

    // What the records page reads before its HTML (app/datasets/[datasetId]/records/page.tsx
    // and the dataset layout), each part alone, medians of 5.
    const parts: Record<string, () => Promise<unknown>> = {
      dataset: () => getDataset(db, ds.datasetId),
      setup: () => reviewSetup(db, ds.datasetId),
      firstPage: () => recordPage(db, ds.datasetId, { filter: {}, sort: DEFAULT_SORT, offset: 0, limit: PAGE_SIZE }),
      count: () => countRecords(db, ds.datasetId, {}),
      stats: () => reviewStats(db, ds.datasetId),
    };
    const partMs: string[] = [];
    for (const [name, read] of Object.entries(parts)) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        t = performance.now();
        await read();
        times.push(performance.now() - t);
      }
      partMs.push(`${name} ${round(quantile(times, 0.5))}`);
    }
    log(`records page reads, ms: ${partMs.join(", ")}`);

    // 2 and 3. The browser figures, against the production build (`--server-only` skips
    // them, and the bulk accept, to measure the server's pages quickly).
    if (process.argv.includes("--server-only")) return out;
    let baseUrl = ctx.baseUrl;
    if (!baseUrl) {
      server = await startStudio(ctx.databaseUrl);
      baseUrl = server.baseUrl;
    }
    Object.assign(out, await browserFigures(baseUrl, ds.datasetId));

    // 4. Bulk accept of every record matching a filter (all 100,000 after a reset), three times.
    await sql.query(
      `with upd as (
         update "Record" set "reviewState" = 'unreviewed', "reviewedBy" = null, "reviewedAt" = null where "datasetId" = $1 returning ${TALLY_RETURNING}
       ), tally as (${tallyUpsert("upd")})
       select count(*) from upd`,
      [ds.datasetId],
    );
    await sql.query(`vacuum analyze "Record"`);
    const bulk: number[] = [];
    const undo: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sql.query("checkpoint"); // the worst case: every page written since needs a full-page image
      t = performance.now();
      const r = await bulkDecide(db, { datasetId: ds.datasetId, target: { filter: { reviewState: ["unreviewed"] } }, reviewer: "bench", decision: "accept" });
      bulk.push(performance.now() - t);
      if (r.count !== N) throw new Error(`bulk accept changed ${r.count} records, expected ${N}`);
      t = performance.now();
      const u = await undoAction(db, { datasetId: ds.datasetId, reviewer: "bench", actionId: r.actionId! });
      undo.push(performance.now() - t);
      if (u.restored !== N) throw new Error(`undo restored ${u.restored} records, expected ${N}`);
    }
    log(`bulk accept: ${bulk.map(Math.round).join(", ")} ms; undo: ${undo.map(Math.round).join(", ")} ms`);
    out.bulk_accept_100k_ms = Math.round(quantile(bulk, 0.5));
    out.bulk_accept_100k_ms_max = Math.round(Math.max(...bulk));
    out.bulk_undo_100k_ms = Math.round(quantile(undo, 0.5));
    return out;
  } finally {
    server?.child.kill("SIGTERM");
    await db.$disconnect();
    await sql.end();
  }
}

/**
 * A reviewed dataset: a label schema, 30 % accepted, 10 % rejected, every 7th labelled. Written with the
 * tally change in the same statement, as the studio's own writes are
 * (lib/quality/health/server/tally-sql.ts): the grid's review progress reads the tallies.
 */
export async function markReviewed(sql: pg.Client, db: Db, datasetId: string) {
  await saveLabelSchema(db, datasetId, { labels: [{ name: "quality", kind: "single", options: ["good", "bad"], key: "q" }] });
  await reviewSeeded(sql, datasetId, true);
}

/**
 * The production build (built first when the sources changed) on a free port, on
 * `databaseUrl`; or another checkout's build, as it is (`root`: an A/B against a copy).
 */
export async function startStudio(databaseUrl: string, root: string = ROOT): Promise<{ baseUrl: string; child: ChildProcess }> {
  if (root === ROOT) buildIfStale(log);
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: "1", DATAWRIGHT_WORKERS: "0" },
    stdio: "ignore",
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(baseUrl).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  return { baseUrl, child };
}

// No frame-rate flags: headless Chromium keeps its 60 Hz tick with --disable-frame-rate-limit
// and --disable-gpu-vsync too, and the scroll figure no longer reads the tick (bench/scroll-trace.ts).
export const launchChromium = () =>
  chromium.launch({
    executablePath: [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && fs.existsSync(p)),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update"],
  });

/** The grid's viewport and reviewer, as the browser figures open it. */
export async function openGridPage(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  await context.addInitScript(() => localStorage.setItem("datawright.reviewer", "bench"));
  return context.newPage();
}

// ~3 rows of 36 px a frame, 240 frames (4 s at 60 Hz, 800 rows, 8 pages): a fast, steady
// scroll, at the rate the rAF figure used.
export const SCROLL_PX_PER_FRAME = 120;
export const SCROLL_FRAMES = 240;

async function browserFigures(baseUrl: string, datasetId: string) {
  const browser = await launchChromium();
  try {
    const page = await openGridPage(browser);
    const url = `${baseUrl}/datasets/${datasetId}/records`;
    // The server's part of the first rows: the records page's HTML, read whole (it holds the
    // first page of rows), apart from what the browser then does with it.
    const html: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      const res = await fetch(url);
      await res.text();
      if (i > 0) html.push(performance.now() - t);
    }
    log(`records page HTML: ${html.map(Math.round).join(", ")} ms`);
    const firstRows: number[] = [];
    const phases: number[][] = [];
    for (let i = 0; i < 6; i++) {
      await page.goto("about:blank");
      const t = performance.now();
      await page.goto(url, { waitUntil: "commit" });
      await page.locator('[data-testid="record-row"]').first().waitFor({ state: "visible" });
      if (i > 0) firstRows.push(performance.now() - t); // the first visit warms the server
      if (i > 0) {
        const nav = (await page.evaluate(`(() => { const n = performance.getEntriesByType("navigation")[0]; const p = performance.getEntriesByName("first-contentful-paint")[0]; return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, p ? p.startTime : -1].map(Math.round); })()`)) as number[];
        phases.push(nav);
      }
    }
    log(`first rows phases (first byte, HTML read, DOMContentLoaded, first paint), ms: ${phases.map((p) => p.join("/")).join(", ")}`);
    log(`first rows: ${firstRows.map(Math.round).join(", ")} ms`);

    await page.locator('[data-testid="records-grid"]').focus();
    const scroll = await traceScroll(browser, page, { selector: '[data-testid="records-grid"]', pxPerFrame: SCROLL_PX_PER_FRAME, frames: SCROLL_FRAMES });
    const f = scrollFigures(scroll);
    log(`scroll: ${f.frames} frames, main thread per frame p50 ${f.cpu_p50} ms, p95 ${f.cpu_p95} ms (wall p95 ${f.wall_p95}), ${Math.round(f.dropped_share * 100)} % of ${scroll.report.ticks} ticks dropped; rAF deltas p50 ${f.raf_p50}, p95 ${f.raf_p95} ms; ${scroll.maxRows} rows in the DOM at most, scrolled ${Math.round(scroll.scrolledTo)} px`);
    log(`scroll main-thread time by activity, ms: ${JSON.stringify(scroll.report.activity)}; top functions: ${scroll.report.functions.slice(0, 8).map((x) => `${x.name} ${x.ms}`).join("; ")}`);
    return {
      grid_first_rows_ms: Math.round(quantile(firstRows, 0.5)),
      grid_first_rows_ms_max: Math.round(Math.max(...firstRows)),
      grid_page_html_ms: Math.round(quantile(html, 0.5)),
      grid_scroll_frame_p95_ms: f.cpu_p95,
      grid_scroll_frame_p50_ms: f.cpu_p50,
      grid_scroll_frame_wall_p95_ms: f.wall_p95,
      grid_scroll_dropped_share: f.dropped_share,
      grid_scroll_raf_p95_ms: f.raf_p95,
      grid_scroll_raf_p50_ms: f.raf_p50,
      grid_scroll_dom_rows_max: scroll.maxRows,
    };
  } finally {
    await browser.close();
  }
}
