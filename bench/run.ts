// `npm run bench [-- generation|review|export|export-abort|quality|validators|health|scale ...]`: starts a throwaway embedded
// PostgreSQL (and, for the browser figures, the production server), runs the chosen
// benchmark groups and merges their figures into bench/results.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../lib/db/server/embedded-postgres";
import { migrate } from "../lib/db/server/migrate";
import { freePort, generatePrismaClient } from "../scripts/prepare";
import { machineInfo } from "./machine";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS = path.join(ROOT, "bench/results.json");
const groups = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const want = (g: string) => groups.length === 0 || groups.includes(g);

generatePrismaClient();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "datawright-bench-"));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), port: await freePort(), database: "datawright_bench" });
process.env.DATABASE_URL = pg.url;
await migrate(pg.url);
const { createPrisma } = await import("../lib/db/server/prisma");
const db = createPrisma(pg.url);

const previous = fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, "utf8")) : {};
const results: Record<string, unknown> = { ...previous };
const machine = machineInfo();
console.log(`[bench] machine speed_ms ${machine.speed_ms} (a fixed workload: lower is faster), load ${machine.load_average_at_start}`);

try {
  if (want("generation")) {
    const { benchGeneration } = await import("./generation");
    results.generation = { ...(await benchGeneration(db, pg.url)), machine };
  }
  if (want("faults")) {
    const { benchFaults } = await import("./faults");
    results.faults = { ...(await benchFaults(db)), machine };
  }
  if (want("review")) {
    const { benchReview } = await import("./review");
    results.review = { ...(await benchReview({ databaseUrl: pg.url })), machine };
  }
  if (want("export")) {
    const { benchExport } = await import("./export");
    results.export = { ...(await benchExport({ databaseUrl: pg.url })), machine };
  }
  if (want("quality")) {
    const { benchQuality } = await import("./quality");
    results.quality = { ...(await benchQuality({ databaseUrl: pg.url })), machine };
  }
  if (want("health")) {
    const { benchHealth } = await import("./health");
    results.health = { ...results.health as object, ...(await benchHealth({ databaseUrl: pg.url, writesOnly: process.argv.includes("--writes-only") })), machine };
  }
  if (want("export-abort")) {
    const { benchExportAbort } = await import("./export-abort");
    results.exportAbort = { ...(await benchExportAbort({ databaseUrl: pg.url })), machine };
  }
  if (want("judges")) {
    const { benchJudges } = await import("./judges");
    results.judges = { ...(results.judges as object), ...(await benchJudges(db, { databaseUrl: pg.url, agreementOnly: process.argv.includes("--agreement-only") })), machine };
  }
  if (want("recipes")) results.recipes = { ...(await (await import("./recipes")).benchRecipes()), machine };
  if (want("validators")) {
    const { benchValidators } = await import("./validators");
    results.validators = { ...(await benchValidators({ databaseUrl: pg.url })), machine };
  }
  if (want("scale")) {
    // Each part in its own file: batch mode (scale-batch.ts), adaptive concurrency (scale-aimd.ts)
    // and API pages (scale-api.ts), several worker processes on one run (scale-workers.ts).
    // `--batch-only` / `--aimd-only` / `--api-only` / `--workers-only` measure one part alone.
    const only = (part: string) => !process.argv.some((a) => a.endsWith("-only")) || process.argv.includes(`--${part}-only`);
    const { benchScaleBatch } = await import("./scale-batch");
    const { benchScaleAimd } = await import("./scale-aimd");
    const { benchScaleApi } = await import("./scale-api");
    const { benchScaleWorkers } = await import("./scale-workers");
    results.scale = {
      ...(results.scale as object),
      ...(only("batch") ? await benchScaleBatch(db) : {}),
      ...(only("aimd") ? await benchScaleAimd() : {}),
      ...(only("api") ? await benchScaleApi(db, pg.url) : {}),
      ...(only("workers") ? await benchScaleWorkers(db) : {}),
      machine,
    };
  }
  // Last: its accounts turn the bench database's studio to sign-in for what would follow.
  if (want("team")) {
    const { benchTeam } = await import("./team");
    results.team = { ...(await benchTeam(db, { databaseUrl: pg.url })), machine };
  }
} finally {
  await db.$disconnect();
  await pg.stop().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
}
fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
console.log(JSON.stringify(results, null, 2));
process.exit(0);
