import "server-only";
// Exact and near-duplicate detection over a dataset's records (lib/quality/README.md).
//
// A full pass reads the chosen fields of every succeeded record (generated and imported
// alike) through one COPY, fingerprints each (exact key + LSH band hashes), pairs records
// that share a band hash, checks each pair's exact 5-gram Jaccard on its text, joins the
// pairs that pass into clusters, and writes all fingerprints and clusters back in one
// transaction, so readers see the old result or the new one, never half. Records that land
// afterwards (runs, imports) are checked one by one against the stored band hashes
// (`checkLandedRecords`), which needs the GIN index on RecordSignature.bands.
import { once } from "node:events";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import type { Db } from "@/lib/db/server/prisma";
import { literal } from "@/lib/db/server/sql-literal";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import { connectRaw, type RawPool } from "@/lib/db/copy/server/raw-pg";
import { Prisma } from "@/lib/generated/prisma/client";
import { candidatePairs, exactGroups } from "../candidates";
import { UnionFind } from "../clusters";
import { parseCopyLine } from "../copy-text";
import { fingerprint, joinedText } from "../fingerprint";
import { chooseBanding, type Banding } from "../lsh";
import { SIGNATURE_SIZE } from "../minhash";
import { DedupeSettingsInput } from "../schemas";
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
  void runDedupePass(db, pool, s.datasetId).catch((e) => console.error("[datawright] dedupe pass failed:", e));
  return dedupeStatus(db, s.datasetId);
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
        const cols = parseCopyLine(buf.toString("utf8", start, nl));
        start = nl + 1;
        const wait = each(cols[0]!, cols.slice(1));
        if (wait) await wait;
      }
      carry = start < buf.length ? buf.subarray(start) : null;
    }
  } finally {
    client.release();
  }
}

/** Texts of the given records' chosen fields, normalised and joined, by id. */
async function textsById(pool: RawPool, datasetId: string, fields: string[], ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  const res = await pool.query<{ id: string; t: (string | null)[] }>(
    `select r.id, array[${fieldsSql(fields)}] as t from "Record" r where r."datasetId" = $1::uuid and r.id = any($2::uuid[])`,
    [datasetId, ids],
  );
  for (const row of res.rows) out.set(row.id, joinedText(row.t));
  return out;
}

/**
 * The full pass (see the top of this file). Writes progress to DedupeState as it reads,
 * and the final state (completed, or failed with the reason) at the end.
 */
export async function runDedupePass(db: Db, pool: RawPool, datasetId: string): Promise<PassTimings> {
  const st = await db.dedupeState.findUnique({ where: { datasetId } });
  if (!st) throw notFound("Duplicate detection settings for this dataset");
  try {
    return await fullPass(db, pool, datasetId, st);
  } catch (e) {
    const message = e instanceof DomainError ? e.message : "Duplicate detection failed; the previous result, if any, is kept. Try again.";
    if (!(e instanceof DomainError)) console.error("[datawright] dedupe pass failed:", e);
    await db.dedupeState.update({ where: { datasetId }, data: { status: "failed", error: message, finishedAt: new Date() } }).catch(() => {});
    throw e;
  }
}

/** Where a full pass spent its time (ms), for the benchmark. */
export type PassTimings = { read: number; candidates: number; verify: number; write: number; pairs: number };

async function fullPass(db: Db, pool: RawPool, datasetId: string, st: State): Promise<PassTimings> {
  const t0 = performance.now();
  const timings: PassTimings = { read: 0, candidates: 0, verify: 0, write: 0, pairs: 0 };
  const banding: Banding = { bands: st.bands, rows: st.rows };
  const B = banding.bands;
  const ids: string[] = [];
  const keys: string[] = [];
  let bands = new Int32Array(1 << 16);
  let hasBands = new Uint8Array(1 << 13);

  // 1. Read and fingerprint every record.
  // Not an async function: awaiting a promise per row would cost a microtask per record.
  await readRecordTexts(pool, datasetId, st.fields, (id, parts) => {
    const i = ids.length;
    const fp = fingerprint(parts, banding);
    ids.push(id);
    keys.push(fp.key);
    if ((i + 1) * B > bands.length) {
      const grown = new Int32Array(bands.length * 2);
      grown.set(bands);
      bands = grown;
    }
    if (i >= hasBands.length) {
      const grown = new Uint8Array(hasBands.length * 2);
      grown.set(hasBands);
      hasBands = grown;
    }
    if (fp.bands.length) {
      bands.set(fp.bands, i * B);
      hasBands[i] = 1;
    }
    if (ids.length % PROGRESS_EVERY === 0) return db.dedupeState.update({ where: { datasetId }, data: { processed: ids.length } }).then(() => {});
  });
  const n = ids.length;
  await db.dedupeState.update({ where: { datasetId }, data: { processed: n, total: Math.max(n, 0) } });

  timings.read = performance.now() - t0;
  // 2. Exact duplicates join at once; LSH candidates join when their exact Jaccard passes.
  const uf = new UnionFind(n);
  for (const g of exactGroups(keys)) for (let k = 1; k < g.length; k++) uf.union(g[0], g[k]);
  const pairs = [...candidatePairs(bands, n, B, hasBands).values()].filter(([a, b]) => keys[a] !== keys[b]);
  timings.candidates = performance.now() - t0 - timings.read;
  timings.pairs = pairs.length;
  for (let c = 0; c < pairs.length; c += VERIFY_CHUNK) {
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
    for (const [a, b] of chunk) {
      if (uf.find(a) === uf.find(b)) continue;
      if (jaccard(setOf(a), setOf(b)) >= st.threshold) uf.union(a, b);
    }
  }

  timings.verify = performance.now() - t0 - timings.read - timings.candidates;
  // 3. Clusters: members of a root with two or more records.
  const size = new Int32Array(n);
  for (let i = 0; i < n; i++) size[uf.find(i)]++;
  const clusterOf = new Map<number, { id: string; size: number; exact: boolean; key: string }>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    if (size[r] < 2) continue;
    const c = clusterOf.get(r);
    if (!c) clusterOf.set(r, { id: crypto.randomUUID(), size: size[r], exact: true, key: keys[i] });
    else if (c.key !== keys[i]) c.exact = false;
  }

  // 4. Write back in one transaction: clusters, then every record's fingerprint.
  const w = await connectRaw(pool);
  let clean = false;
  try {
    await w.query("begin");
    await w.query(`delete from "RecordSignature" where "datasetId" = $1::uuid`, [datasetId]);
    await w.query(`delete from "DuplicateCluster" where "datasetId" = $1::uuid`, [datasetId]);
    const cl = [...clusterOf.values()];
    await w.query(
      `insert into "DuplicateCluster" (id, "datasetId", size, exact) select unnest($2::uuid[]), $1::uuid, unnest($3::int[]), unnest($4::bool[])`,
      [datasetId, cl.map((c) => c.id), cl.map((c) => c.size), cl.map((c) => c.exact)],
    );
    const copy = w.query(copyFrom(`copy "RecordSignature" ("recordId", "datasetId", "exactKey", bands, "clusterId") from stdin`));
    const done = once(copy, "finish");
    let out = "";
    for (let i = 0; i < n; i++) {
      const c = clusterOf.get(uf.find(i));
      out += `${ids[i]}\t${datasetId}\t${keys[i]}\t{${hasBands[i] ? bands.subarray(i * B, i * B + B).join(",") : ""}}\t${c ? c.id : "\\N"}\n`;
      if (out.length > 1 << 20) {
        if (!copy.write(out)) await once(copy, "drain");
        out = "";
      }
    }
    copy.end(out);
    await done;
    await w.query(`update "DedupeState" set status = 'completed', processed = $2, total = $2, error = null, "finishedAt" = now(), "updatedAt" = now() where "datasetId" = $1::uuid`, [datasetId, n]);
    await w.query("commit");
    clean = true;
    // Merge the index's pending entries now rather than on the next lookups (see the migration).
    await w.query(`select gin_clean_pending_list('"manual_RecordSignature_bands"'::regclass)`);
  } catch (e) {
    await w.query("rollback").then(
      () => (clean = true),
      () => {},
    );
    throw e;
  } finally {
    w.release(!clean);
  }
  // Records that landed while the pass read are checked against the new fingerprints.
  await checkLandedRecords(db, datasetId, { unsigned: true });
  timings.write = performance.now() - t0 - timings.read - timings.candidates - timings.verify;
  return timings;
}

export type Landed = { ids: string[] } | { runId: string; indexes: number[] } | { importId: string } | { unsigned: true };

function landedSql(datasetId: string, landed: Landed): Prisma.Sql {
  const base = Prisma.sql`r."datasetId" = ${datasetId}::uuid and r.status = 'succeeded'`;
  if ("ids" in landed) return Prisma.sql`${base} and r.id = any(${landed.ids}::uuid[])`;
  if ("runId" in landed) return Prisma.sql`${base} and r."runId" = ${landed.runId}::uuid and r.index = any(${landed.indexes}::int[])`;
  if ("importId" in landed) return Prisma.sql`${base} and r.source = 'imported' and r.provenance->'import'->>'id' = ${landed.importId}`;
  return Prisma.sql`${base} and not exists (select 1 from "RecordSignature" s where s."recordId" = r.id)`;
}

/**
 * Checks records that have just landed against everything already fingerprinted in their
 * dataset, one at a time (so records of one batch are checked against each other too),
 * and stores their fingerprints. Does nothing until a full pass has completed on the
 * dataset: that pass chose the fields and the threshold. Serialised per dataset by an
 * advisory lock, so two batches landing at once cannot both miss each other.
 * Returns how many of the records joined a cluster.
 */
export async function checkLandedRecords(db: Db, datasetId: string, landed: Landed): Promise<number> {
  const st = await db.dedupeState.findUnique({ where: { datasetId }, select: { status: true, fields: true, threshold: true, bands: true, rows: true } });
  if (!st || st.status !== "completed") return 0;
  const banding = { bands: st.bands, rows: st.rows };
  const cols = Prisma.raw(fieldsSql(st.fields));
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`select pg_advisory_xact_lock(hashtextextended(${`dedupe:${datasetId}`}, 0))`;
      const rows = await tx.$queryRaw<{ id: string; t: (string | null)[] }[]>`
        select r.id, array[${cols}] as t from "Record" r
        where ${landedSql(datasetId, landed)} and not exists (select 1 from "RecordSignature" s where s."recordId" = r.id)
        order by r.index`;
      let joined = 0;
      for (const row of rows) if (await checkOne(tx as unknown as Db, datasetId, row.id, row.t, banding, st.threshold, st.fields)) joined++;
      return joined;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** One record against the stored fingerprints: returns whether it joined a cluster. */
async function checkOne(tx: Db, datasetId: string, recordId: string, parts: (string | null)[], banding: Banding, threshold: number, fields: string[]) {
  const fp = fingerprint(parts, banding);
  const bands = Array.from(fp.bands);
  // Two lookups (exact key by its btree, band hashes by the GIN index), then the texts of
  // the few candidates: an OR of both made the planner scan the dataset's signatures.
  const found = await tx.$queryRaw<{ id: string; clusterId: string | null; same: boolean }[]>`
    select "recordId" as id, "clusterId", true as same from "RecordSignature" where "datasetId" = ${datasetId}::uuid and "exactKey" = ${fp.key}
    ${bands.length ? Prisma.sql`union all select "recordId", "clusterId", false from "RecordSignature" where bands && ${bands}::int4[] and "datasetId" = ${datasetId}::uuid and "exactKey" <> ${fp.key}` : Prisma.empty}`;
  const texts = found.some((c) => !c.same)
    ? new Map(
        (
          await tx.$queryRaw<{ id: string; t: (string | null)[] }[]>`
            select r.id, array[${Prisma.raw(fieldsSql(fields))}] as t from "Record" r where r.id = any(${found.filter((c) => !c.same).map((c) => c.id)}::uuid[])`
        ).map((r) => [r.id, r.t]),
      )
    : new Map<string, (string | null)[]>();
  const candidates = found.map((c) => ({ ...c, t: texts.get(c.id) ?? [] }));
  let mine: Uint32Array | null = null;
  const matched = candidates.filter((c) => {
    if (c.same) return true;
    mine ??= shingleSet(fp.text);
    return jaccard(mine, shingleSet(joinedText(c.t))) >= threshold;
  });
  let clusterId: string | null = null;
  if (matched.length) {
    const existing = [...new Set(matched.map((m) => m.clusterId).filter((c): c is string => c !== null))].sort();
    clusterId = existing[0] ?? crypto.randomUUID();
    if (!existing.length) await tx.$executeRaw`insert into "DuplicateCluster" (id, "datasetId", size, exact) values (${clusterId}::uuid, ${datasetId}::uuid, 0, true)`;
    // Every matched record, and every record of a cluster it was in, moves to one cluster.
    await tx.$executeRaw`
      update "RecordSignature" set "clusterId" = ${clusterId}::uuid
      where "datasetId" = ${datasetId}::uuid and ("recordId" = any(${matched.map((m) => m.id)}::uuid[]) or "clusterId" = any(${existing}::uuid[]))`;
    if (existing.length > 1) await tx.$executeRaw`delete from "DuplicateCluster" where id = any(${existing.slice(1)}::uuid[])`;
  }
  await tx.$executeRaw`
    insert into "RecordSignature" ("recordId", "datasetId", "exactKey", bands, "clusterId")
    values (${recordId}::uuid, ${datasetId}::uuid, ${fp.key}, ${bands}::int4[], ${clusterId}::uuid)`;
  if (clusterId) {
    await tx.$executeRaw`
      update "DuplicateCluster" c set size = m.n, exact = m.keys = 1
      from (select count(*)::int as n, count(distinct "exactKey")::int as keys from "RecordSignature" where "clusterId" = ${clusterId}::uuid) m
      where c.id = ${clusterId}::uuid`;
  }
  return clusterId !== null;
}

/** The members of one cluster, in record order, for the side-by-side view. */
export async function clusterMembers(db: Db, clusterId: string) {
  return db.$queryRaw<{ id: string; index: number; values: Record<string, unknown> }[]>`
    select r.id, r.index, r.values from "RecordSignature" s join "Record" r on r.id = s."recordId"
    where s."clusterId" = ${clusterId}::uuid order by r.index`;
}
