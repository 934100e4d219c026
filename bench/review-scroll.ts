// `node --conditions=react-server --import tsx bench/review-scroll.ts [rounds] [--records=N] [--modes=grid,empty,slow] [--root=DIR] [--other=DIR] [--css=TEXT] [--css2=TEXT] [--profile]`:
// the grid's scroll figure alone, for iterating on it: seeds records once (100,000 as the
// review bench; or uses a running studio's dataset), starts the production build once, then
// runs the modes in alternating rounds so noise from the shared machine falls on all of
// them alike, and prints each round and the medians. Touches no results file.
//   grid   the records grid, as bench/review.ts measures it (this checkout's build, or --root's)
//   other  the same grid served by another checkout's production build (--other=DIR, built
//          there beforehand) on the same database: before/after in the same minutes
//   empty  an empty page scrolled the same way: the measure's floor
//   css    the grid with the style sheet --css=TEXT added: trying a CSS change without a build
//          (css2 with --css2=TEXT, to try two in the same rounds)
//   slow   the grid with 10 ms added to every row render (bench/scroll-trace.ts, rowCostMs):
//          per frame the figure must move by the thread time injected into that frame (10 ms
//          × the row renders in it on an idle machine)
// --profile prints, for every mode, the scroll's main-thread time by activity, by trace event
// and by function; TRACE_OUT (bench/scroll-trace.ts) keeps the raw traces.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createPrisma } from "@/lib/db/server/prisma";
import { quantile } from "@/lib/perf/frame-trace";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { freePort, generatePrismaClient } from "../scripts/prepare";
import { launchChromium, markReviewed, openGridPage, SCROLL_FRAMES, SCROLL_PX_PER_FRAME, startStudio } from "./review";
import { scrollFigures, traceScroll, type ScrollTrace } from "./scroll-trace";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3);
const modes = (arg("modes") ?? "grid,empty,slow").split(",");
const ROW_COST_MS = 10;
const log = (s: string) => console.log(`[bench:review-scroll] ${s}`);

let stop = async () => {};
let baseUrl = "";
let otherUrl = "";
let datasetId = "";
{
  generatePrismaClient();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-bench-scroll-"));
  fs.chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), database: "datawright_bench" });
  await migrate(db.url);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const n = Number(arg("records") ?? 100_000);
  const ds = await createSeedDataset(sql, "Scroll bench", 2);
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, n / 2);
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[1] }, n / 2);
  const prisma = createPrisma(db.url);
  await markReviewed(sql, prisma, ds.datasetId);
  await prisma.$disconnect();
  await sql.query(`vacuum analyze "Record"`);
  await sql.end();
  const studio = await startStudio(db.url, arg("root") ? path.resolve(arg("root")!) : undefined);
  const other = arg("other") ? await startStudio(db.url, path.resolve(arg("other")!)) : undefined;
  log(`${n} records seeded; studio at ${studio.baseUrl}${other ? `, ${arg("other")}'s at ${other.baseUrl}` : ""}`);
  baseUrl = studio.baseUrl;
  otherUrl = other?.baseUrl ?? "";
  datasetId = ds.datasetId;
  stop = async () => {
    studio.child.kill("SIGTERM");
    other?.child.kill("SIGTERM");
    await db.stop().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

const browser = await launchChromium();
const results: Record<string, ReturnType<typeof scrollFigures>[]> = {};
try {
  const page = await openGridPage(browser);
  const GRID = '[data-testid="records-grid"]';
  const once = async (mode: string): Promise<ScrollTrace> => {
    if (mode === "empty") {
      await page.goto("about:blank");
      await page.setContent(`<div data-testid="records-grid" tabindex="0" style="height:900px;overflow:auto"><div style="height:3600000px"></div></div>`);
    } else {
      await page.goto(`${mode === "other" ? otherUrl : baseUrl}/datasets/${datasetId}/records`);
      await page.locator('[data-testid="record-row"]').first().waitFor({ state: "visible", timeout: 180_000 }); // a loaded machine
      if (mode.startsWith("css")) await page.addStyleTag({ content: arg(mode) ?? "" });
    }
    await page.locator(GRID).focus();
    return traceScroll(browser, page, { selector: GRID, pxPerFrame: SCROLL_PX_PER_FRAME, frames: SCROLL_FRAMES, rowCostMs: mode === "slow" ? ROW_COST_MS : 0 });
  };
  for (const mode of new Set(modes.map((m) => (m === "other" ? "other" : "grid")))) await once(mode); // warms the servers and the browser's cache
  for (let r = 0; r < rounds; r++) {
    for (const mode of modes) {
      const s = await once(mode);
      const f = scrollFigures(s);
      (results[mode] ??= []).push(f);
      let extra = "";
      if (mode === "slow") {
        // Each frame less the thread time injected into it: what the grid itself needed.
        const residual = s.report.frames.map((fr) => fr.cpuMs - fr.injectedCpuMs);
        const injected = s.report.frames.map((fr) => fr.injectedCpuMs);
        const r1 = (n: number) => Math.round(n * 10) / 10;
        extra = `; ${s.injected} row renders × ${ROW_COST_MS} ms waited, ${r1(s.report.frames.reduce((a, fr) => a + fr.injected, 0) / s.report.frames.length)} a frame; injected thread time per frame p50 ${r1(quantile(injected, 0.5))} ms, mean ${r1(injected.reduce((a, b) => a + b, 0) / injected.length)}; cpu less injected p50 ${r1(quantile(residual, 0.5))}, p95 ${r1(quantile(residual, 0.95))} ms`;
      }
      log(`round ${r + 1} ${mode}: ${JSON.stringify(f)}${extra}`);
      if (process.argv.includes("--profile")) {
        log(`  by activity, ms: ${JSON.stringify(s.report.activity)}`);
        log(`  by trace event, ms: ${s.report.events.slice(0, 20).map((e) => `${e.name} ${e.ms}`).join(", ")}`);
        for (const fn of s.report.functions.slice(0, 25)) log(`  ${fn.ms} ms  ${fn.name}`);
      }
    }
  }
  for (const [mode, fs_] of Object.entries(results)) {
    const med = (k: keyof ReturnType<typeof scrollFigures>) => quantile(fs_.map((f) => f[k]), 0.5);
    log(`median of ${fs_.length} ${mode}: cpu p50 ${med("cpu_p50")}, p95 ${med("cpu_p95")}; wall p95 ${med("wall_p95")}; dropped ${med("dropped_share")}; rAF p95 ${med("raf_p95")}`);
  }
} finally {
  await browser.close();
  await stop();
}
process.exit(0);
