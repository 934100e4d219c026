import "server-only";
// Exact and near-duplicate detection over a dataset's records (lib/quality/README.md).
//
// A full pass reads the chosen fields of every succeeded record (generated and imported
// alike) through one COPY, fingerprints each (exact key + LSH band hashes), pairs records
// that share a band hash, checks each pair's exact 5-gram Jaccard on its text, joins the
// pairs that pass into clusters, and writes all fingerprints and clusters back in one
// transaction, so readers see the old result or the new one, never half. Records that land
// afterwards (runs, imports) are checked against the stored band hashes, grouped in
// RecordBand's buckets (`checkLandedRecords`, lib/quality/band-buckets.ts).
import { createHash } from "node:crypto";
import { once } from "node:events";
import { availableParallelism } from "node:os";
import { to as copyTo } from "pg-copy-streams";
import { startCopyIn } from "@/lib/db/copy/server/copy-in";
import type { Db } from "@/lib/db/server/prisma";
import { literal } from "@/lib/db/server/sql-literal";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import { connectRaw, type RawClient, type RawPool } from "@/lib/db/copy/server/raw-pg";
import { bandCopyPieces, bucketBits, bucketOf, groupBands, signatureCopyPieces, uuidBytes } from "../band-buckets";
import { candidatePairs, exactGroups } from "../candidates";
import { openRecords, UnionFind } from "../clusters";
import { fingerprintLines, type LineBatch } from "../copy-batch";
import { parseCopyLine } from "../copy-text";
import { fingerprint, joinedText } from "../fingerprint";
import { mergeLanded, planLanded, type Landed, type LandedPlan } from "../landed";
import { chooseBanding, type Banding } from "../lsh";
import { SIGNATURE_SIZE } from "../minhash";
import { DedupeSettingsInput } from "../schemas";
import { FingerprintWorkers } from "./fingerprint-workers";
import { jaccard, shingleSet } from "../shingles";

export type DedupeStatus = {
  status: "running" | "completed" | "failed" | "none";
  fields: string[];
  threshold: number;
  processed: number;
  total: number;
  error: string | null;
  clusters: number;
  duplicates: number;
};

/** A pass whose progress has not moved for this long was in a process that died. */
const STALE_PASS_MS = 60_000;
const PROGRESS_EVERY = 20_000;
/** Candidate pairs verified per round trip for their texts. */
const VERIFY_CHUNK = 20_000;

type State = { fields: string[]; threshold: number; bands: number; rows: number };

/** The chosen fields of records as text: `values->>field` gives a string as is and any other value as its JSON. */
function fieldsSql(fields: string[]): string {
  return fields.map((f) => `r.values->>${literal(f)}`).join(", ");
}

/** Checks the settings against the dataset: the messages a user sees for a bad request. */
async function checkSettings(db: Db, input: DedupeSettingsInput) {
  const parsed = DedupeSettingsInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues[0].message);
  const { datasetId, fields, threshold } = parsed.data;
  const ds = await db.dataset.findUnique({ where: { id: datasetId }, select: { id: true } });
  if (!ds) throw notFound("The dataset");
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`
    select count(*)::int as n from "Record" where "datasetId" = ${datasetId}::uuid and status = 'succeeded'`;
  if (n === 0) throw invalid("This dataset has no records to compare yet: generate or import some first.");
  // A field is known when some record has it (blueprint fields and imported columns alike).
  const unknown = await db.$queryRaw<{ f: string }[]>`
    select f from unnest(${fields}::text[]) f
    where not exists (select 1 from "Record" r where r."datasetId" = ${datasetId}::uuid and r.status = 'succeeded' and r.values ? f)`;
  if (unknown.length) {
    throw invalid(`No record has a field called ${unknown.map((u) => `"${u.f}"`).join(", ")}: pick fields the records have.`);
  }
  return { datasetId, fields, threshold, total: n, banding: chooseBanding(threshold, SIGNATURE_SIZE) };
}

/**
 * Starts a full pass in the background and returns at once; its progress is read with
 * `dedupeStatus`. Refuses while another pass on the dataset is alive.
 */
export async function startDedupePass(db: Db, pool: RawPool, input: DedupeSettingsInput): Promise<DedupeStatus> {
  const s = await prepareDedupePass(db, input);
  const work = runDedupePass(db, pool, s.datasetId);
  keepPassAlive(db, s.datasetId, work);
  void work.catch((e) => console.error("[datawright] dedupe pass failed:", e));
  return dedupeStatus(db, s.datasetId);
}

/** How often a live pass says so; well under STALE_PASS_MS. */
const HEARTBEAT_MS = 15_000;

/**
 * Touches the running pass's state every `everyMs` until `work` settles. Progress alone
 * moves `updatedAt` only while reading: finding candidates, verifying and writing 1M
 * records took minutes with no update (lib/quality/README.md), long enough for
 * `dedupeStatus` to call a live pass dead and let a second one start beside it. A pass
 * whose process died (a restart) stops beating and is reported stopped after
 * STALE_PASS_MS, so the UI offers to start again.
 */
export function keepPassAlive(db: Db, datasetId: string, work: Promise<unknown>, everyMs = HEARTBEAT_MS): void {
  const beat = setInterval(() => {
    db.$executeRaw`update "DedupeState" set "updatedAt" = now() where "datasetId" = ${datasetId}::uuid and status = 'running'`.catch(() => {});
  }, everyMs);
  beat.unref();
  const stop = () => clearInterval(beat);
  work.then(stop, stop);
}

/** Validates the settings and records them with a running state; `runDedupePass` does the work. */
export async function prepareDedupePass(db: Db, input: DedupeSettingsInput) {
  const s = await checkSettings(db, input);
  const current = await db.dedupeState.findUnique({ where: { datasetId: s.datasetId } });
  if (current?.status === "running" && Date.now() - current.updatedAt.getTime() < STALE_PASS_MS) {
    throw new DomainError("conflict", `Duplicate detection is already running on this dataset (${current.processed.toLocaleString("en-US")} of ${current.total.toLocaleString("en-US")} records).`);
  }
  const data = {
    fields: s.fields,
    threshold: s.threshold,
    bands: s.banding.bands,
    rows: s.banding.rows,
    status: "running",
    processed: 0,
    total: s.total,
    error: null,
    startedAt: new Date(),
    finishedAt: null,
    landedDuringPass: [],
  };
  await db.dedupeState.upsert({ where: { datasetId: s.datasetId }, create: { datasetId: s.datasetId, ...data }, update: data });
  return s;
}

export async function dedupeStatus(db: Db, datasetId: string): Promise<DedupeStatus> {
  const st = await db.dedupeState.findUnique({ where: { datasetId } });
  if (!st) return { status: "none", fields: [], threshold: 0.8, processed: 0, total: 0, error: null, clusters: 0, duplicates: 0 };
  const [{ clusters, duplicates }] = await db.$queryRaw<{ clusters: number; duplicates: number }[]>`
    select count(*)::int as clusters, coalesce(sum(size), 0)::int as duplicates from "DuplicateCluster" where "datasetId" = ${datasetId}::uuid`;
  const stale = st.status === "running" && Date.now() - st.updatedAt.getTime() > STALE_PASS_MS;
  return {
    status: stale ? "failed" : (st.status as DedupeStatus["status"]),
    fields: st.fields,
    threshold: st.threshold,
    processed: st.processed,
    total: st.total,
    error: stale ? "The process running duplicate detection stopped before it finished: run it again." : st.error,
    clusters,
    duplicates,
  };
}

/**
 * Every succeeded record's id and chosen fields, through one COPY (text format, rows split
 * where they arrive). `each` may return a promise (progress writes); the next rows wait for it.
 */
export async function readRecordTexts(pool: RawPool, datasetId: string, fields: string[], each: (id: string, parts: (string | null)[]) => void | Promise<void>) {
  await readRecordLines(pool, datasetId, fields, (buf, start, end) => {
    const cols = parseCopyLine(buf.toString("utf8", start, end));
    return each(cols[0]!, cols.slice(1));
  });
}

/** The same rows as byte ranges of the COPY stream (a line without its newline), not decoded. */
async function readRecordLines(pool: RawPool, datasetId: string, fields: string[], each: (buf: Buffer, start: number, end: number) => void | Promise<void>) {
  const client = await connectRaw(pool);
  try {
    const stream = client.query(
      copyTo(`copy (select r.id, ${fieldsSql(fields)} from "Record" r where r."datasetId" = ${literal(datasetId)}::uuid and r.status = 'succeeded') to stdout`),
    );
    let carry: Buffer | null = null;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
        const wait = each(buf, start, nl);
        start = nl + 1;
        if (wait) await wait;
      }
      carry = start < buf.length ? buf.subarray(start) : null;
    }
  } finally {
    client.release();
  }
}

/** Bytes the pass hands to a fingerprint in one block of whole rows (~1,000 records of 1 KB). */
const BLOCK_BYTES = 1 << 20;

/** The same rows in blocks of whole rows of about BLOCK_BYTES (each row ends with its newline), not decoded. */
async function readRecordBlocks(pool: RawPool, datasetId: string, fields: string[], blockBytes: number, each: (block: Buffer) => Promise<void>) {
  const client = await connectRaw(pool);
  try {
    const stream = client.query(
      copyTo(`copy (select r.id, ${fieldsSql(fields)} from "Record" r where r."datasetId" = ${literal(datasetId)}::uuid and r.status = 'succeeded') to stdout`),
    );
    let held: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      held.push(chunk);
      bytes += chunk.length;
      if (bytes < blockBytes) continue;
      const buf = Buffer.concat(held, bytes);
      const cut = buf.lastIndexOf(10) + 1;
      held = cut < buf.length ? [buf.subarray(cut)] : [];
      bytes = buf.length - cut;
      if (cut) await each(buf.subarray(0, cut));
    }
    if (bytes) await each(Buffer.concat(held, bytes));
  } finally {
    client.release();
  }
}

/** Texts of the given records' chosen fields, normalised and joined, by id. */
async function textsById(pool: RawPool | RawClient, datasetId: string, fields: string[], ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const res = await pool.query<{ id: string; t: (string | null)[] }>(
    // A lookup per id (by the primary key): with "r.id = any($2)" the planner may scan the dataset.
    `select u.id, (select array[${fieldsSql(fields)}] from "Record" r where r.id = u.id and r."datasetId" = $1::uuid) as t from unnest($2::uuid[]) u(id)`,
    [datasetId, ids],
  );
  for (const row of res.rows) if (row.t) out.set(row.id, joinedText(row.t));
  return out;
}

/**
 * The full pass (see the top of this file). Writes progress to DedupeState as it reads,
 * and the final state (completed, or failed with the reason) at the end.
 */
export async function runDedupePass(db: Db, pool: RawPool, datasetId: string, opts: PassOptions = {}): Promise<PassTimings> {
  const st = await db.dedupeState.findUnique({ where: { datasetId } });
  if (!st) throw notFound("Duplicate detection settings for this dataset");
  try {
    return await fullPass(db, pool, datasetId, st, opts);
  } catch (e) {
    const message = e instanceof DomainError ? e.message : "Duplicate detection failed; the previous result, if any, is kept. Try again.";
    if (!(e instanceof DomainError)) console.error("[datawright] dedupe pass failed:", e);
    await db.dedupeState.update({ where: { datasetId }, data: { status: "failed", error: message, finishedAt: new Date() } }).catch(() => {});
    throw e;
  }
}

/**
 * Where a full pass spent its time (ms), for the benchmark. The write starts with the
 * verification and runs beside it: `write` and `copy` count from the end of verification
 * (to the end, and to the commit before the check of records that landed meanwhile),
 * `signatures` and `bands` are the COPYs' own times wherever they fell, and `waited` the
 * time the write, done with what needs no verdict, waited for verification; `workers` the
 * threads that fingerprinted the rows (0: the pass's own) and `workerBlocks` the blocks of
 * rows they did (the pass's thread did the rest).
 */
export type PassTimings = { read: number; candidates: number; verify: number; write: number; pairs: number; copy: number; signatures: number; bands: number; waited: number; workers: number; workerBlocks: number };

/** Records from which a pass fingerprints in worker threads; starting them (tsx) takes about a second. */
const WORKERS_FROM = 50_000;
const MAX_WORKERS = 4;

/**
 * `workers`: threads that fingerprint the rows (0: the pass's own); by default one per core
 * from WORKERS_FROM records. `blockBytes`: rows handed out at once (tests use small blocks
 * to have many in flight).
 */
export type PassOptions = { workers?: number; blockBytes?: number };

async function fullPass(db: Db, pool: RawPool, datasetId: string, st: State & { total: number }, opts: PassOptions): Promise<PassTimings> {
  const t0 = performance.now();
  const timings: PassTimings = { read: 0, candidates: 0, verify: 0, write: 0, pairs: 0, copy: 0, signatures: 0, bands: 0, waited: 0, workers: 0, workerBlocks: 0 };
  const banding: Banding = { bands: st.bands, rows: st.rows };
  const B = banding.bands;
  const ids: string[] = [];
  const keys: string[] = [];
  let bands = new Int32Array(1 << 16);
  let hasBands = new Uint8Array(1 << 13);

  // 1. Read and fingerprint every record: blocks of rows go to worker threads and to this
  // one, or all to this one for a small dataset, where starting the workers would cost more
  // than they save.
  const append = (b: LineBatch) => {
    const i = ids.length;
    if ((i + b.count) * B > bands.length) {
      const grown = new Int32Array(Math.max(bands.length * 2, (i + b.count) * B));
      grown.set(bands);
      bands = grown;
    }
    if (i + b.count > hasBands.length) {
      const grown = new Uint8Array(Math.max(hasBands.length * 2, i + b.count));
      grown.set(hasBands);
      hasBands = grown;
    }
    bands.set(b.bands, i * B);
    hasBands.set(b.hasBands, i);
    for (let r = 0; r < b.count; r++) {
      ids.push(b.ids.slice(r * 36, r * 36 + 36));
      keys.push(b.keys.slice(r * 16, r * 16 + 16));
    }
  };
  let reported = 0;
  const progress = async () => {
    if (ids.length - reported < PROGRESS_EVERY) return;
    reported = ids.length;
    await db.dedupeState.update({ where: { datasetId }, data: { processed: reported } });
  };
  const workerCount = opts.workers ?? (st.total >= WORKERS_FROM ? Math.min(MAX_WORKERS, availableParallelism()) : 0);
  const workers = workerCount > 0 ? new FingerprintWorkers(workerCount, banding) : null;
  timings.workers = workerCount;
  try {
    // A block goes to a worker that has none, else this thread fingerprints it: the stream
    // never waits for a busy worker, nor for workers still starting (tsx takes seconds under
    // load), and nothing piles up in memory. Each batch carries its records' ids, so batches
    // may be appended in any order.
    const jobs: Promise<void>[] = [];
    let failed: { error: unknown } | null = null;
    await readRecordBlocks(pool, datasetId, st.fields, opts.blockBytes ?? BLOCK_BYTES, async (block) => {
      if (failed) throw failed.error;
      if (workers && workers.inFlight < workerCount) {
        timings.workerBlocks++;
        jobs.push(workers.run(block).then(append, (error) => void (failed ??= { error })));
      } else append(fingerprintLines(block, banding));
      return progress();
    });
    await Promise.all(jobs);
    if (failed) throw (failed as { error: unknown }).error;
  } finally {
    await workers?.close();
  }
  const n = ids.length;
  await db.dedupeState.update({ where: { datasetId }, data: { processed: n, total: Math.max(n, 0) } });

  timings.read = performance.now() - t0;
  // 2. Exact duplicates join at once; LSH candidates join when their exact Jaccard passes.
  const uf = new UnionFind(n);
  const groups = exactGroups(keys);
  for (const g of groups) for (let k = 1; k < g.length; k++) uf.union(g[0], g[k]);
  // Each run of a band hash is compared with its member of least id (see candidatePairs), so
  // the clusters do not depend on the order the rows were read or the workers returned them.
  const idHead = new Uint32Array(n);
  for (let i = 0; i < n; i++) idHead[i] = parseInt(ids[i].slice(0, 8), 16);
  const byId = (a: number, b: number) => (idHead[a] !== idHead[b] ? idHead[a] < idHead[b] : ids[a] < ids[b]);
  const pairs = [...candidatePairs(bands, n, B, hasBands, { before: byId }).values()].filter(([a, b]) => keys[a] !== keys[b]);
  timings.candidates = performance.now() - t0 - timings.read;
  timings.pairs = pairs.length;

  // 3. Verification (Node's CPU) and the write (PostgreSQL's) run side by side: the band
  // hashes and the fingerprints of the records no pair or exact group touches (~90%) need
  // no verdict, so they are written while the pairs are checked; the clusters and their
  // members follow once it ends. The write takes the dataset's lock before it deletes.
  const open = openRecords(n, pairs, groups);
  let stop = false;
  let clustersReady!: { resolve: (c: Map<number, PassCluster>) => void; reject: (e: unknown) => void };
  const clusters = new Promise<Map<number, PassCluster>>((resolve, reject) => (clustersReady = { resolve, reject }));
  clusters.catch(() => {}); // the writer awaits it; a failed verification must not go unhandled before then
  // Verification's connection is taken before the write starts: the write's synchronous
  // steps (ids to bytes, grouping 17M band hashes) hold this thread for seconds, and a new
  // connection asked for meanwhile timed out (pg-pool's timer fires before the socket's
  // callback runs), failing a 1M pass at load 27.
  const reader = await connectRaw(pool);
  const writing = writeBack(pool, datasetId, { ids, keys, bands, hasBands, B, n, open, uf, clusters, timings, t0 });
  writing.catch(() => (stop = true));
  try {
    await verifyPairs(reader, datasetId, st, ids, pairs, uf, () => stop);
  } catch (e) {
    clustersReady.reject(e);
    await writing.catch(() => {});
    throw e;
  } finally {
    reader.release();
  }
  timings.verify = performance.now() - t0 - timings.read - timings.candidates;
  clustersReady.resolve(clustersFrom(uf, keys, n));
  const landedMeanwhile = await writing;
  // Records that landed while the pass ran are checked against the new fingerprints: those
  // whose check was asked for meanwhile, not a scan of the dataset for records without a
  // fingerprint (13 s at 1M records, bench/README.md).
  for (const landed of mergeLanded(landedMeanwhile)) await checkLandedRecords(pool, datasetId, landed);
  timings.write = performance.now() - t0 - timings.read - timings.candidates - timings.verify;
  return timings;
}

type PassCluster = { id: string; size: number; exact: boolean; key: string };

/** Clusters: the roots with two or more members, with a new id and whether all share one exact key. */
function clustersFrom(uf: UnionFind, keys: readonly string[], n: number): Map<number, PassCluster> {
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[uf.find(i)]++;
  const clusterOf = new Map<number, PassCluster>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (size[r] < 2) continue;
    const c = clusterOf.get(r);
    if (!c) clusterOf.set(r, { id: crypto.randomUUID(), size: size[r], exact: true, key: keys[i] });
    else if (c.key !== keys[i]) c.exact = false;
  }
  return clusterOf;
}

/** Longest stretch of verification between yields, so the write's COPY streams keep flowing. */
const VERIFY_SLICE_MS = 10;

/**
 * Checks each candidate pair's exact Jaccard on its texts (read back in chunks) and joins
 * those at or above the threshold. Yields to the event loop every few milliseconds: the
 * write runs meanwhile on another connection and needs its turns to send its COPYs.
 */
async function verifyPairs(pool: RawClient, datasetId: string, st: State, ids: readonly string[], pairs: readonly [number, number][], uf: UnionFind, stopped: () => boolean) {
  let slice = performance.now();
  for (let c = 0; c < pairs.length; c += VERIFY_CHUNK) {
    if (stopped()) return;
    const chunk = pairs.slice(c, c + VERIFY_CHUNK);
    const need = new Set<number>();
    for (const [a, b] of chunk) if (uf.find(a) !== uf.find(b)) need.add(a).add(b);
    const texts = await textsById(pool, datasetId, st.fields, [...need].map((i) => ids[i]));
    const sets = new Map<number, Uint32Array>();
    const setOf = (i: number) => {
      let s = sets.get(i);
      if (!s) sets.set(i, (s = shingleSet(texts.get(ids[i]) ?? "")));
      return s;
    };
    for (let k = 0; k < chunk.length; k++) {
      const [a, b] = chunk[k];
      if (uf.find(a) !== uf.find(b) && jaccard(setOf(a), setOf(b)) >= st.threshold) uf.union(a, b);
      if ((k & 63) === 63 && performance.now() - slice > VERIFY_SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (stopped()) return;
        slice = performance.now();
      }
    }
  }
}

type WriteInput = {
  ids: readonly string[];
  keys: readonly string[];
  bands: Int32Array;
  hasBands: Uint8Array;
  B: number;
  n: number;
  /** Records verification may put in a cluster (`openRecords`): written once `clusters` settles. */
  open: Uint8Array;
  uf: UnionFind;
  clusters: Promise<Map<number, PassCluster>>;
  timings: PassTimings;
  t0: number;
};

/**
 * Writes the pass's result in one transaction under the dataset's advisory lock (records
 * landing meanwhile wait for it: checkLandedRecords takes the same lock): the band hashes
 * grouped by bucket and the fingerprints of records in no cluster while verification runs,
 * then the clusters and the fingerprints of the rest. Returns the landed checks that asked,
 * while the pass ran, to be done after it.
 */
async function writeBack(pool: RawPool, datasetId: string, x: WriteInput): Promise<Landed[]> {
  const { ids, keys, n, open, timings } = x;
  return withClient(pool, async (w) => {
    await w.query("begin");
    await w.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`dedupe:${datasetId}`]);
    await w.query(`delete from "RecordSignature" where "datasetId" = $1::uuid`, [datasetId]);
    await w.query(`delete from "RecordBand" where "datasetId" = $1::uuid`, [datasetId]);
    await w.query(`delete from "DuplicateCluster" where "datasetId" = $1::uuid`, [datasetId]);
    const idBytes = new Uint8Array(n * 16);
    for (let i = 0; i < n; i++) uuidBytes(ids[i], idBytes, i * 16);
    const copyIn = async (sql: string, pieces: Iterable<Buffer>) => {
      const t = performance.now();
      const c = startCopyIn(w, sql);
      for (const piece of pieces) if (!c.stream.write(piece)) await once(c.stream, "drain");
      c.stream.end();
      await c.done;
      return performance.now() - t;
    };
    const SIGNATURES = `copy "RecordSignature" ("recordId", "datasetId", "exactKey", "clusterId") from stdin with (format binary)`;
    // The band hashes grouped by bucket and sent in primary-key order, and the fingerprints
    // no verdict can change, both as binary COPY.
    timings.bands = await copyIn(
      `copy "RecordBand" ("datasetId", bucket, hashes, records) from stdin with (format binary)`,
      bandCopyPieces(datasetId, groupBands(x.bands, n, x.B, x.hasBands, bucketBits(n, x.B)), idBytes),
    );
    timings.signatures = await copyIn(SIGNATURES, signatureCopyPieces(datasetId, idBytes, keys, () => null, undefined, (i) => open[i] === 0));
    const waitFrom = performance.now();
    const clusterOf = await x.clusters;
    timings.waited = performance.now() - waitFrom;
    const cl = [...clusterOf.values()];
    await w.query(
      `insert into "DuplicateCluster" (id, "datasetId", size, exact) select unnest($2::uuid[]), $1::uuid, unnest($3::int[]), unnest($4::bool[])`,
      [datasetId, cl.map((c) => c.id), cl.map((c) => c.size), cl.map((c) => c.exact)],
    );
    const clusterBytes = new Map<number, Uint8Array>();
    for (const [root, c] of clusterOf) {
      const b = new Uint8Array(16);
      uuidBytes(c.id, b, 0);
      clusterBytes.set(root, b);
    }
    timings.signatures += await copyIn(SIGNATURES, signatureCopyPieces(datasetId, idBytes, keys, (i) => clusterBytes.get(x.uf.find(i)) ?? null, undefined, (i) => open[i] === 1));
    // The checks that found this pass running asked to be done after it (checkLandedRecords);
    // the row lock makes any still arriving wait, see "completed" and check for themselves.
    const { rows: asked } = await w.query<{ l: Landed[] }>(`select "landedDuringPass" as l from "DedupeState" where "datasetId" = $1::uuid for update`, [datasetId]);
    await w.query(
      `update "DedupeState" set status = 'completed', processed = $2, total = $2, error = null, "finishedAt" = now(), "updatedAt" = now(), "landedDuringPass" = '[]' where "datasetId" = $1::uuid`,
      [datasetId, n],
    );
    await w.query("commit");
    timings.copy = performance.now() - x.t0 - timings.read - timings.candidates - timings.verify;
    return asked[0]?.l ?? [];
  });
}

export type { Landed };

function landedSql(datasetId: string, landed: Landed): string {
  const base = `r."datasetId" = ${literal(datasetId)}::uuid and r.status = 'succeeded'`;
  if ("ids" in landed) return `${base} and r.id = any(${uuids(landed.ids)})`;
  if ("runId" in landed) {
    const run = `${base} and r."runId" = ${literal(landed.runId)}::uuid`;
    return landed.indexes ? `${run} and r.index = any(${ints(landed.indexes)})` : run;
  }
  return `${base} and r.source = 'imported' and r.provenance->'import'->>'id' = ${literal(landed.importId)}`;
}

const uuids = (xs: readonly string[]) => (xs.length ? `${literal(xs)}::uuid[]` : `'{}'::uuid[]`);
const ints = (xs: ArrayLike<number>) => `'{${Array.from(xs).join(",")}}'::int4[]`;

/** Landed records checked per transaction: an import of 200,000 holds the dataset's lock a chunk at a time. */
const LANDED_CHUNK = 1_000;

/**
 * Checks records that have just landed against everything already fingerprinted in their
 * dataset (and against each other), and stores their fingerprints and clusters. Does
 * nothing until a full pass has completed on the dataset: that pass chose the fields and
 * the threshold. Only records without a fingerprint are checked, so calling it again (or
 * with `{ runId }` alone, a sweep of a whole run) picks up what an earlier call missed.
 *
 * A chunk of up to 1,000 records costs three round trips, whatever its size: the dataset's
 * advisory lock (so two batches landing at once cannot both miss each other) with its
 * settings, compared with those this process last saw (read once more when they differ),
 * and the records' texts; one lookup of every candidate (equal exact key, or a shared band
 * hash in RecordBand) with the candidates' texts; and one write of fingerprints and
 * cluster changes with the commit. The Prisma interactive transaction it replaces took
 * about eight round trips per record.
 * While a full pass runs, the request is stored for the pass to check after its commit
 * (DedupeState.landedDuringPass): the pass may have read the records before they landed.
 * Returns how many of the records joined a cluster.
 */
export async function checkLandedRecords(pool: RawPool, datasetId: string, landed: Landed, timings?: LandedTimings): Promise<number> {
  let joined = 0;
  // The settings this process last saw completed: checked again under the dataset's lock,
  // so reusing them saves a round trip per check and is never wrong.
  let st = seenSettings.get(datasetId) ?? null;
  for (;;) {
    if (!st) {
      const t = performance.now();
      st = await completedSettings(pool, datasetId, landed);
      if (timings) timings.settings += performance.now() - t;
      if (!st) return joined;
      seenSettings.set(datasetId, st);
    }
    const chunk = await checkChunk(pool, datasetId, landed, st, timings);
    if (chunk === null) {
      // A pass started or completed since: read the settings again (and, if it is running,
      // leave the request to it).
      seenSettings.delete(datasetId);
      st = null;
      continue;
    }
    joined += chunk.joined;
    if (chunk.read < LANDED_CHUNK) return joined;
  }
}

/** Per dataset, the settings of the last completed pass this process saw; bounded, as a cache. */
const seenSettings = new Map<string, State>();
const SEEN_SETTINGS_MAX = 1_000;

/**
 * The dataset's settings when its last pass completed. When a pass is running (and alive:
 * one that died keeps "running" and would collect requests forever), the request is added
 * to its list and null returned: the pass takes the row's lock before it reads the list, so
 * a request either lands in the list it reads or waits, sees it completed and is checked now.
 */
async function completedSettings(pool: RawPool, datasetId: string, landed: Landed): Promise<State | null> {
  const read = async () =>
    (
      await pool.query<State & { status: string; live: boolean }>(
        `select status, fields, threshold, bands, rows, "updatedAt" > now() - make_interval(secs => $2) as live from "DedupeState" where "datasetId" = $1::uuid`,
        [datasetId, STALE_PASS_MS / 1000],
      )
    ).rows[0];
  let st = await read();
  if (st?.status === "running" && st.live) {
    const stored = await pool.query(
      `update "DedupeState" set "landedDuringPass" = "landedDuringPass" || $2::jsonb
       where "datasetId" = $1::uuid and status = 'running' and "updatedAt" > now() - make_interval(secs => $3)`,
      [datasetId, JSON.stringify([landed]), STALE_PASS_MS / 1000],
    );
    if (stored.rowCount) return null;
    st = await read();
  }
  if (!st || st.status !== "completed") return null;
  if (seenSettings.size >= SEEN_SETTINGS_MAX) seenSettings.clear();
  return { fields: st.fields, threshold: st.threshold, bands: st.bands, rows: st.rows };
}

/** One transaction over the next chunk of unchecked landed records; null when the settings changed meanwhile. */
/** Where checks of landed records spent their time (ms, summed over calls), for the benchmark. */
export type LandedTimings = { settings: number; connect: number; read: number; lookup: number; plan: number; write: number; candidates: number };

async function checkChunk(pool: RawPool, datasetId: string, landed: Landed, st: State, timings?: LandedTimings): Promise<{ read: number; joined: number } | null> {
  let t = performance.now();
  const lap = (phase: Exclude<keyof LandedTimings, "candidates">) => {
    const now = performance.now();
    if (timings) timings[phase] += now - t;
    t = now;
  };
  return withClient(pool, async (client) => {
    lap("connect");
    const D = `${literal(datasetId)}::uuid`;
    // No sequential scans in this transaction: the planner has no statistics for the
    // literal lists below and, without this, could scan the dataset's signatures.
    // The commit does not wait for the disk (several ms here): a crash may lose the last
    // fingerprints, and a record without one is simply unchecked, which the run's sweep or
    // the next full pass checks.
    const res = (await client.query(
      `begin;
       set local enable_seqscan = off;
       set local synchronous_commit = off;
       select pg_advisory_xact_lock(hashtextextended(${literal(`dedupe:${datasetId}`)}, 0));
       select status, fields, threshold, bands, rows, total from "DedupeState" where "datasetId" = ${D};
       select r.id, array[${fieldsSql(st.fields)}] as t from "Record" r
       where ${landedSql(datasetId, landed)} and not exists (select 1 from "RecordSignature" s where s."recordId" = r.id)
       order by r.index limit ${LANDED_CHUNK}`,
    )) as unknown as { rows: Record<string, unknown>[] }[];
    lap("read");
    const now = res[4].rows[0] as (State & { status: string; total: number }) | undefined;
    // A full pass completed (or started) since the settings were read: the caller reads them again.
    if (!now || now.status !== "completed" || now.threshold !== st.threshold || now.bands !== st.bands || now.rows !== st.rows || now.fields.join("\0") !== st.fields.join("\0")) {
      await client.query("rollback");
      return null;
    }
    const landedRows = res[5].rows as { id: string; t: (string | null)[] }[];
    if (landedRows.length === 0) {
      await client.query("commit");
      return { read: 0, joined: 0 };
    }
    const banding = { bands: st.bands, rows: st.rows };
    const batch = landedRows.map((r) => ({ id: r.id, ...fingerprint(r.t, banding) }));
    const keys = [...new Set(batch.map((b) => b.key))];
    const allBands = [...new Set(batch.flatMap((b) => Array.from(b.bands)))];
    // Candidates: records with an equal exact key (by its btree), and records sharing a band
    // hash, from the buckets of the batch's hashes (a primary-key lookup each), with the
    // hashes they share (all planLanded needs of their bands). Each candidate's signature and,
    // unless its key equals one of the batch's (equal key, equal text), its texts by a lookup
    // per id: a join let the planner hash the dataset's records, 150 ms on 100,000. A record
    // deleted since its bands were stored has no signature and drops out.
    const bits = bucketBits(now.total, st.bands);
    const { rows: found } = await client.query<Candidate>({
      ...lookupStatement(st.fields),
      values: [datasetId, allBands.map((h) => bucketOf(h, bits)), allBands, keys],
    });
    lap("lookup");
    if (timings) timings.candidates += found.length;
    const plan = planLanded(
      batch,
      found.map((c) => ({ ...c, text: c.t && joinedText(c.t) })),
      st.threshold,
    );
    lap("plan");
    await client.query(landedWriteSql(datasetId, plan, bits) + "; commit");
    lap("write");
    return { read: landedRows.length, joined: plan.joined };
  });
}

/**
 * The candidate lookup of a landed chunk, as a named prepared statement (parsed and planned
 * once per connection and set of fields, not on every check): $1 the dataset, $2 and $3
 * each band hash's bucket and the hash, $4 the chunk's exact keys. Each hash is looked for
 * in its own bucket's row with array_positions (a scan in C of ~130 int4s) and only the
 * records at those positions are read, instead of unnesting the 17 rows' ~2,200 (hash,
 * record) entries and matching each against all 17 hashes.
 */
function lookupStatement(fields: string[]): { name: string; text: string } {
  const text = `with hit as materialized (
       select b.records[p] as id, array_agg(q.h) as bands
       from unnest($2::int4[], $3::int4[]) q(bucket, h)
       join "RecordBand" b on b."datasetId" = $1::uuid and b.bucket = q.bucket
       cross join lateral unnest(array_positions(b.hashes, q.h)) p
       group by b.records[p]),
     ids as (select id from hit union select "recordId" from "RecordSignature" where "datasetId" = $1::uuid and "exactKey" = any($4::text[]))
     select s."recordId" as id, s."clusterId" as cluster, s."exactKey" as key, coalesce(hit.bands, '{}'::int4[]) as bands,
            case when s."exactKey" = any($4::text[]) then null
                 else (select array[${fieldsSql(fields)}] from "Record" r where r.id = s."recordId") end as t
     from ids cross join lateral (select * from "RecordSignature" s where s."recordId" = ids.id and s."datasetId" = $1::uuid) s
     left join hit on hit.id = ids.id`;
  // The name stands for the text: a connection refuses one name prepared with two texts.
  return { name: `dedupe-lookup-${createHash("sha256").update(text).digest("hex").slice(0, 16)}`, text };
}

/**
 * A pooled connection for `work`, which begins and ends its own transactions. When it
 * throws, an open transaction is rolled back; a connection that cannot even do that is
 * dropped rather than handed to the next user.
 */
async function withClient<T>(pool: RawPool, work: (client: RawClient) => Promise<T>): Promise<T> {
  const client = await connectRaw(pool);
  let clean = false;
  try {
    const out = await work(client);
    clean = true;
    return out;
  } catch (e) {
    await client.query("rollback").then(
      () => (clean = true),
      () => {},
    );
    throw e;
  } finally {
    client.release(!clean);
  }
}

type Candidate = { id: string; cluster: string | null; key: string; bands: number[]; t: (string | null)[] | null };

/** The plan's writes as statements for one round trip (literals: a simple query may hold several). */
function landedWriteSql(datasetId: string, plan: LandedPlan, bits: number): string {
  const D = `${literal(datasetId)}::uuid`;
  const out: string[] = [];
  if (plan.created.length) out.push(`insert into "DuplicateCluster" (id, "datasetId", size, exact) select unnest(${uuids(plan.created)}), ${D}, 0, true`);
  if (plan.merged.length) {
    out.push(
      `update "RecordSignature" s set "clusterId" = m.t from unnest(${uuids(plan.merged.map((x) => x.from))}, ${uuids(plan.merged.map((x) => x.to))}) m(f, t) where s."clusterId" = m.f`,
    );
  }
  if (plan.assigned.length) {
    out.push(
      `update "RecordSignature" s set "clusterId" = m.c from unnest(${uuids(plan.assigned.map((x) => x.id))}, ${uuids(plan.assigned.map((x) => x.cluster))}) m(id, c) where s."recordId" = m.id`,
    );
  }
  const values = plan.signatures.map((x) => `(${literal(x.id)}::uuid, ${D}, ${literal(x.key)}, ${x.cluster ? `${literal(x.cluster)}::uuid` : "null"})`);
  // A record a concurrent full pass already wrote keeps the pass's fingerprint (an extra
  // copy of its band hashes below only repeats a candidate).
  out.push(`insert into "RecordSignature" ("recordId", "datasetId", "exactKey", "clusterId") values ${values.join(", ")} on conflict ("recordId") do nothing`);
  const byBucket = new Map<number, { hashes: number[]; records: string[] }>();
  for (const x of plan.signatures) {
    for (let b = 0; b < x.bands.length; b++) {
      const k = bucketOf(x.bands[b], bits);
      let e = byBucket.get(k);
      if (!e) byBucket.set(k, (e = { hashes: [], records: [] }));
      e.hashes.push(x.bands[b]);
      e.records.push(x.id);
    }
  }
  if (byBucket.size) {
    const rows = [...byBucket].map(([k, e]) => `(${D}, ${k}, ${ints(e.hashes)}, ${uuids(e.records)})`);
    out.push(
      `insert into "RecordBand" ("datasetId", bucket, hashes, records) values ${rows.join(", ")}
       on conflict ("datasetId", bucket) do update set hashes = "RecordBand".hashes || excluded.hashes, records = "RecordBand".records || excluded.records`,
    );
  }
  if (plan.merged.length) out.push(`delete from "DuplicateCluster" where id = any(${uuids(plan.merged.map((x) => x.from))})`);
  if (plan.touched.length) {
    out.push(
      `update "DuplicateCluster" c set size = m.n, exact = m.keys = 1
       from (select "clusterId", count(*)::int as n, count(distinct "exactKey")::int as keys from "RecordSignature"
             where "clusterId" = any(${uuids(plan.touched)}) group by "clusterId") m
       where c.id = m."clusterId"`,
    );
  }
  return out.join(";\n");
}

/** The members of one cluster, in record order, for the side-by-side view. */
export async function clusterMembers(db: Db, clusterId: string) {
  return db.$queryRaw<{ id: string; index: number; values: Record<string, unknown> }[]>`
    select r.id, r.index, r.values from "RecordSignature" s join "Record" r on r.id = s."recordId"
    where s."clusterId" = ${clusterId}::uuid order by r.index`;
}
