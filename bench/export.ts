// Export and import benchmarks: 1,000,000 records of ~1 KB in PostgreSQL.
//
//   export_jsonl_rows_per_s    JSONL download, database to bytes, through startExport (the route's code)
//   export_parquet_rows_per_s  the same as Parquet (zstd)
//   export_peak_rss_mb         peak resident memory of the process doing the Parquet export
//   export_copy_floor_rows_per_s  the same rows only read (COPY, parsed, not encoded): what
//                              PostgreSQL alone allows on this machine at this moment; the
//                              *_floor_ratio figures divide each format by it round by round,
//                              so they hold still when the shared machine slows down
//   import_rows_per_s          CSV import (rows of ~1 KB), file to committed records, through importRecords
//   import_copy_floor_rows_per_s  PostgreSQL's own binary COPY of the same rows (the import's
//                              bytes, prepared before the clock starts) into the same table
//   import_floor_ratio         the import's rows/s over that floor, median of rounds that
//                              alternate floor and import, each from the same table state
//
// Every measurement runs in a child process (`--child`), the way the studio runs the code:
// the same modules, Prisma client and pg pool, started with the same Node flags. The
// child's peak memory is the kernel's own high-water mark (getrusage maxrss), and its
// memory before the export started is reported beside it.
//
// `npm run bench -- export` runs it inside bench/run.ts; `node --import tsx
// bench/export-standalone.ts [records]` starts its own embedded PostgreSQL.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { SERVER_NODE_FLAGS } from "../scripts/prepare";

const ROOT = path.resolve(import.meta.dirname, "..");
const RECORDS = 1_000_000;
const IMPORT_ROWS = 200_000;
const RUNS = 3;
/** The exported fields: every value the benchmark records hold (seedExportBench), one of them a number. */
const FIELDS = ["topic", "difficulty", "n", "question", "answer"];

const WORDS = (
  "the of river bright quiet sample model answer careful student teacher lamp window garden number simple planet ocean " +
  "mountain forest reason method result because between measure example pattern signal winter summer village market " +
  "letter silver copper engine motion café naïve résumé “quoted” \"plain\" déjà-vu 東京 —"
).split(" ");

/**
 * One dataset with `count` accepted records: values of ~1.1 KB (a category, a difficulty,
 * a number, a question and a multi-line answer with quotes and non-ASCII text) and
 * provenance like a run writes it. In SQL from a pool of 2,000 sentences: ~60 s per million here.
 */
export async function seedExportBench(c: Pick<pg.Client, "query">, count: number): Promise<{ datasetId: string; runId: string }> {
  const { rows: p } = await c.query(`insert into "Project" (id, name, "updatedAt") values (gen_random_uuid(), 'Export bench', now()) returning id`);
  const { rows: d } = await c.query(`insert into "Dataset" (id, "projectId", name, draft, "updatedAt") values (gen_random_uuid(), $1, 'Export bench', '{"fields":[]}', now()) returning id`, [p[0].id]);
  const { rows: v } = await c.query(`insert into "BlueprintVersion" (id, "datasetId", version, blueprint, hash) values (gen_random_uuid(), $1, 1, '{"fields":[]}', 'bench') returning id`, [d[0].id]);
  const { rows: r } = await c.query(
    `insert into "Run" (id, "datasetId", "blueprintVersionId", status, requested, seed, settings, succeeded) values (gen_random_uuid(), $1, $2, 'completed', $3, 1, '{}', $3) returning id`,
    [d[0].id, v[0].id, count],
  );
  await c.query(
    `with pool as (
       select array_agg(sentence order by k) as s from (
         select k, string_agg(($1::text[])[1 + ((k * 7919 + j * 104729) % array_length($1::text[], 1))], ' ' order by j) as sentence
         from generate_series(0, 1999) k, generate_series(1, 16) j group by k) x)
     insert into "Record" (id, "datasetId", "runId", index, source, status, values, "nonTextFields", provenance, "reviewState", labels, "tokensIn", "tokensOut", "costUsd", "latencyMs", "createdAt", "updatedAt")
     select gen_random_uuid(), $2::uuid, $3::uuid, i, 'generated', 'succeeded',
       jsonb_build_object('topic', (array['algebra','biology','chemistry','geography','history','music','physics','poetry'])[1 + i % 8],
         'difficulty', (array['easy','medium','hard'])[1 + i % 3], 'n', i % 1000,
         'question', 'Q' || i || ': ' || s[1 + i % 2000] || ' ' || s[1 + (i * 13) % 2000] || '?',
         'answer', s[1 + (i * 7) % 2000] || '. ' || s[1 + (i * 11) % 2000] || E'.\\n' || s[1 + (i * 17) % 2000] || '. ' ||
           s[1 + (i * 19) % 2000] || '. ' || s[1 + (i * 23) % 2000] || E'.\\n\\n' || s[1 + (i * 29) % 2000] || '. ' || s[1 + (i * 31) % 2000] || '.'),
       '{n}', -- what the run writes (lib/records/values.ts): n is the one value that is not a string
       jsonb_build_object('blueprintVersion', 1, 'sampled', jsonb_build_object('topic', (array['algebra','biology','chemistry','geography','history','music','physics','poetry'])[1 + i % 8]),
         'llm', jsonb_build_object('answer', jsonb_build_object('model', 'gpt-4o-mini', 'params', jsonb_build_object('temperature', 0.7),
           'messages', jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Answer: ' || s[1 + i % 2000])),
           'tokensIn', 40 + i % 17, 'tokensOut', 150 + i % 61, 'costUsd', 0.0002, 'latencyMs', 300, 'attempts', 1, 'reasks', 0, 'cached', false))),
       'accepted', jsonb_build_object('quality', (array['good','ok','poor'])[1 + i % 3]),
       40 + i % 17, 150 + i % 61, 0.0002, 300, now() + make_interval(secs => (i / 500)::int), now()
     from pool, generate_series(0, $4::int - 1) i`,
    [WORDS, d[0].id, r[0].id, count],
  );
  return { datasetId: d[0].id, runId: r[0].id };
}

type ChildResult = { rows: number; seconds: number; bytes: number; peakRssMb: number; baselineRssMb: number };

// The studio's own server flags, so memory is measured as the studio would use it.
function child(args: string[], env: Record<string, string>, nodeFlags: string[] = SERVER_NODE_FLAGS): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...nodeFlags, "--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench/export.ts"), "--child", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.on("error", reject);
    p.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench child ${args[0]} exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").pop()!));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchExport({ databaseUrl, baseUrl, records = RECORDS, log = console.log }: { databaseUrl: string; baseUrl?: string; records?: number; log?: (s: string) => void }): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  let datasetId: string;
  try {
    log(`[bench export] seeding ${records.toLocaleString("en-US")} records ...`);
    const t = performance.now();
    ({ datasetId } = await seedExportBench(c, records));
    // As after any real run: visibility map and hint bits set, statistics known.
    await c.query(`vacuum (analyze) "Record"`);
    log(`[bench export] seeded in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  } finally {
    await c.end();
  }
  const env = { DATABASE_URL: databaseUrl };
  const results: Record<string, number> = { export_records: records };

  // Rounds of floor, JSONL, Parquet back to back, so each ratio compares runs seconds apart.
  const kinds = ["floor", "jsonl", "parquet"] as const;
  for (const k of kinds) await child(["export", k, datasetId], env); // warm-up: caches and JIT as in a running studio
  const runs: Record<(typeof kinds)[number], ChildResult[]> = { floor: [], jsonl: [], parquet: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const k of kinds) {
      const r = await child(["export", k, datasetId], env);
      if (r.rows !== records) throw new Error(`${k} export wrote ${r.rows} rows, expected ${records}`);
      runs[k].push(r);
      log(`[bench export] ${k}: ${Math.round(r.rows / r.seconds).toLocaleString("en-US")} rows/s, ${(r.bytes / 1e6).toFixed(0)} MB, peak RSS ${r.peakRssMb} MB (${r.baselineRssMb} MB before)`);
    }
  }
  const rate = (r: ChildResult) => r.rows / r.seconds;
  results.export_copy_floor_rows_per_s = Math.round(median(runs.floor.map(rate)));
  for (const format of ["jsonl", "parquet"] as const) {
    results[`export_${format}_rows_per_s`] = Math.round(median(runs[format].map(rate)));
    results[`export_${format}_floor_ratio`] = Number(median(runs[format].map((r, i) => rate(r) / rate(runs.floor[i]))).toFixed(2));
    results[`export_${format}_mb`] = Math.round(runs[format][0].bytes / 1e6);
  }
  results.export_jsonl_peak_rss_mb = Math.max(...runs.jsonl.map((r) => r.peakRssMb));
  results.export_peak_rss_mb = Math.max(...runs.parquet.map((r) => r.peakRssMb));
  results.export_baseline_rss_mb = Math.max(...runs.parquet.map((r) => r.baselineRssMb));

  if (baseUrl) {
    // Through the running studio's route (its own DATABASE_URL must be this database).
    const { encodeRequestParam } = await import("../lib/export/schemas");
    const q = encodeRequestParam({ format: "jsonl", fields: FIELDS });
    const t = performance.now();
    const res = await fetch(`${baseUrl}/api/datasets/${datasetId}/export?request=${q}`);
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) for (const b of chunk) if (b === 10) lines++;
    results.export_jsonl_http_rows_per_s = Math.round(lines / ((performance.now() - t) / 1000));
  }

  const csv = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "datawright-import-")), "bench.csv");
  await writeCsv(csv, IMPORT_ROWS);
  // Each round: the floor, then the import, each followed by deleting what it wrote and a
  // vacuum, so both start from the same table (the million exported records, free space
  // where the last round's rows were) and both commit.
  const floorFile = path.join(path.dirname(csv), "bench.copy");
  const imports: ChildResult[] = [];
  const floors: ChildResult[] = [];
  const cleanUp = async () => {
    const c2 = new pg.Client({ connectionString: databaseUrl });
    await c2.connect();
    try {
      await c2.query(`delete from "Record" where "datasetId" = $1 and source = 'imported'`, [datasetId]);
      await c2.query(`vacuum "Record"`);
    } finally {
      await c2.end();
    }
  };
  for (let i = 0; i < RUNS; i++) {
    const f = await child(["importfloor", csv, datasetId, floorFile], env);
    if (f.rows !== IMPORT_ROWS) throw new Error(`the floor's COPY wrote ${f.rows} rows, expected ${IMPORT_ROWS}`);
    floors.push(f);
    await cleanUp();
    const r = await child(["import", csv, datasetId], env);
    if (r.rows !== IMPORT_ROWS) throw new Error(`the import wrote ${r.rows} rows, expected ${IMPORT_ROWS}`);
    imports.push(r);
    await cleanUp();
    log(`[bench export] import: ${Math.round(r.rows / r.seconds).toLocaleString("en-US")} rows/s (${(r.bytes / 1e6).toFixed(0)} MB CSV); PostgreSQL's binary COPY of the same rows: ${Math.round(f.rows / f.seconds).toLocaleString("en-US")} rows/s`);
  }
  fs.rmSync(path.dirname(csv), { recursive: true, force: true });
  results.import_rows = IMPORT_ROWS;
  results.import_rows_per_s = Math.round(median(imports.map((r) => r.rows / r.seconds)));
  results.import_copy_floor_rows_per_s = Math.round(median(floors.map((r) => r.rows / r.seconds)));
  results.import_floor_ratio = Number(median(imports.map((r, i) => r.rows / r.seconds / (floors[i].rows / floors[i].seconds))).toFixed(2));
  return results;
}

/**
 * The binary COPY stream the import sends for a CSV: the same parser, the same row writer,
 * values and provenance built as importRecords builds them, fresh time-ordered ids.
 */
async function writeImportCopy(csv: string, datasetId: string, out: string): Promise<number> {
  const { Readable } = await import("node:stream");
  const { parseSeedTable } = await import("../lib/tabular/parse");
  const { ImportRowWriter } = await import("../lib/import/copy-rows");
  const { createUuidV7 } = await import("../lib/db/uuid-v7");
  const mapping: Record<string, string> = { topic: "topic", difficulty: "difficulty", question: "question", answer: "answer" };
  const columns = Object.keys(mapping);
  const keys = columns.map((c) => JSON.stringify(mapping[c]));
  const importId = crypto.randomUUID();
  const now = new Date();
  const uuid = createUuidV7();
  const writer = new ImportRowWriter(datasetId, now);
  const file = fs.openSync(out, "w");
  fs.writeSync(file, writer.header());
  let n = 0;
  const body = Readable.toWeb(fs.createReadStream(csv, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
  for await (const batch of parseSeedTable(body, { format: "csv", maxBytes: 1 << 30, maxColumns: 500, batchSize: 500, delimiter: "auto" })) {
    const rows = batch.rows.map((row) => {
      n++;
      const values = "{" + columns.map((c, k) => keys[k] + ":" + JSON.stringify(row[c] ?? "")).join(",") + "}";
      const provenance = `{"import":{"id":"${importId}","file":"bench.csv","row":${n},"importedAt":"${now.toISOString()}"}}`;
      return { id: uuid(), index: n, values, provenance };
    });
    fs.writeSync(file, writer.rows(rows));
  }
  fs.writeSync(file, writer.trailer());
  fs.closeSync(file);
  return n;
}

/** A CSV like a real export of question/answer data: ~1 KB per row, quoted fields with commas, quotes and newlines. */
async function writeCsv(file: string, rows: number) {
  const out = fs.createWriteStream(file);
  out.write("topic,difficulty,question,answer\n");
  for (let i = 0; i < rows; i++) {
    const w = (k: number, n: number) => Array.from({ length: n }, (_, j) => WORDS[(i * 31 + k * 7 + j * 13) % WORDS.length]).join(" ");
    const line = `topic ${i % 8},${["easy", "medium", "hard"][i % 3]},"Q${i}: ${w(1, 22).replace(/"/g, '""')}?","${w(2, 60).replace(/"/g, '""')}.\n${w(3, 60).replace(/"/g, '""')}, done."\n`;
    if (!out.write(line)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
}

// ---------------------------------------------------------------------------------------
// Child process: one measurement.
// ---------------------------------------------------------------------------------------

async function runChild(argv: string[]) {
  const [what, arg, datasetId] = argv;
  const url = process.env.DATABASE_URL!;
  const { createPrisma } = await import("../lib/db/server/prisma");
  const { createRawPool } = await import("../lib/db/copy/server/raw-pg");
  const db = createPrisma(url);
  const pool = createRawPool(url);
  await db.$queryRaw`select 1`;
  // Loaded before the clock starts: a running studio has its modules loaded already.
  const { selectSql, startExport } = await import("../lib/export/server/export");
  const { filterText } = await import("../lib/export/server/sql");
  const { ExportSession } = await import("../lib/export/server/session");
  const { planExport } = await import("../lib/export/formats");
  const { ExportRequest } = await import("../lib/export/schemas");
  const { importRecords } = await import("../lib/import/server/import");
  const { Readable } = await import("node:stream");
  const baselineRssMb = Math.round(process.memoryUsage().rss / 1e6);
  let rows = 0;
  let bytes = 0;
  const t = performance.now();
  if (what === "export" && arg === "floor") {
    // The JSONL export's query, read and parsed into batches, nothing encoded.
    const request = ExportRequest.parse({ format: "jsonl", fields: FIELDS });
    const plan = planExport(request);
    const session = await ExportSession.open(pool);
    for await (const batch of session.copy(selectSql(plan, filterText(datasetId, request.filter)), plan.kinds)) {
      rows += batch.rows;
      bytes += batch.buf.length;
    }
    await session.close(true);
  } else if (what === "export") {
    // Rows counted from progress reports, as the download route takes them for the page.
    const request = ExportRequest.parse({ format: arg, fields: FIELDS });
    const d = await startExport(db, pool, datasetId, request, { onProgress: (p) => (rows = p.rows) });
    for await (const chunk of d.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  } else if (what === "importfloor") {
    // Prepared before the clock, like psql's COPY of a file: the clock runs from BEGIN to
    // COMMIT while Node only hands PostgreSQL the bytes.
    await writeImportCopy(arg, datasetId, argv[3]);
    bytes = fs.statSync(argv[3]).size;
    const { from: copyFrom } = await import("pg-copy-streams");
    const { pipeline } = await import("node:stream/promises");
    const { IMPORT_COPY_COLUMNS } = await import("../lib/import/copy-rows");
    const client = await pool.connect();
    const t0 = performance.now();
    await client.query("begin");
    const copy = client.query(copyFrom(`copy "Record" (${IMPORT_COPY_COLUMNS}) from stdin (format binary)`));
    await pipeline(fs.createReadStream(argv[3], { highWaterMark: 1 << 20 }), copy);
    await client.query("commit");
    const seconds = (performance.now() - t0) / 1000;
    rows = Number(copy.rowCount);
    client.release();
    fs.rmSync(argv[3]);
    await pool.end();
    await db.$disconnect();
    process.stdout.write(JSON.stringify({ rows, seconds, bytes, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), baselineRssMb }) + "\n");
    return;
  } else {
    bytes = fs.statSync(arg).size;
    const body = Readable.toWeb(fs.createReadStream(arg, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
    const r = await importRecords(db, pool, {
      datasetId,
      fileName: "bench.csv",
      format: "csv",
      mapping: { topic: "topic", difficulty: "difficulty", question: "question", answer: "answer" },
      body,
    });
    rows = r.rows;
  }
  const seconds = (performance.now() - t) / 1000;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  await pool.end();
  await db.$disconnect();
  const result: ChildResult = { rows, seconds, bytes, peakRssMb, baselineRssMb };
  process.stdout.write(JSON.stringify(result) + "\n");
}

if (process.argv[2] === "--child") {
  runChild(process.argv.slice(3)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
