import "server-only";
// The health page's data (lib/quality/README-health.md). Counts come from HealthTally,
// which every write of "Record" keeps current (tally-sql.ts), so a page view reads a
// few hundred rows whatever the dataset's size. The one scan happens when the blueprint
// gains a counted field: that field's tallies are filled in once (`syncHealthFields`).
// Diversity figures are computed once per finished run on a fixed sample and stored.
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/db/server/prisma";
import { readBlueprint } from "@/lib/blueprints/stored";
import type { Blueprint } from "@/lib/blueprints/schema";
import { notFound } from "@/lib/errors/domain-error";
import { readLabelSchema } from "@/lib/review/labels";
import {
  compareDistribution,
  countsOf,
  targetDistribution,
  tokenHistogram,
  tokenSummary,
  trackedFields,
  type Distribution,
  type HistogramBin,
  type TallyRow,
  type TrackedField,
} from "../shape";
import { TEXT_SAMPLE, textStats, type TextStatsFigures } from "../text-stats";

/** The 'judged' tallies from the records, as datawright_health_keys counts them (migration *_judged_tally). */
async function recountJudged(tx: Pick<Db, "$executeRaw" | "healthTally">, datasetId: string) {
  await tx.healthTally.deleteMany({ where: { datasetId, kind: "judged" } });
  await tx.$executeRaw`
    insert into "HealthTally" ("datasetId", kind, field, value, count)
    select r."datasetId", 'judged', '', r."reviewState"::text, count(*)::int from "Record" r
    where r."datasetId" = ${datasetId}::uuid and r.status = 'succeeded'
      and r."runId" in (select id from "Run" where "datasetId" = ${datasetId}::uuid and datawright_run_judged(${datasetId}::uuid, id))
    group by 1, 2, 3, 4 order by 1, 2, 3, 4`;
}

const FINISHED = new Set(["completed", "failed", "partial", "cancelled"]);

/**
 * Makes HealthField match the blueprint: drops fields no longer counted (and their
 * tallies), and counts the existing records of newly counted ones. The table lock (share
 * row exclusive: writers wait, readers do not, two syncs take turns) makes the backfill and
 * the writers' own tally counts see the same records, so nothing is counted twice or missed.
 */
export async function syncHealthFields(db: Db, datasetId: string, wanted: TrackedField[], only?: TrackedField["kind"]): Promise<boolean> {
  const key = (f: TrackedField) => `${f.kind}\u0000${f.name}`;
  // `only`: sync fields of that kind and leave the others as they are (the records page
  // keeps judges in step without filling in the Health tab's charts).
  if (only) wanted = wanted.filter((f) => f.kind === only);
  const differs = async (tx: Pick<Db, "healthField">) => {
    const have = await tx.healthField.findMany({ where: { datasetId, ...(only && { kind: only }) }, select: { name: true, kind: true } });
    const haveKeys = new Set(have.map((h) => key(h as TrackedField)));
    const wantKeys = new Set(wanted.map(key));
    return { add: wanted.filter((w) => !haveKeys.has(key(w))), drop: (have as TrackedField[]).filter((h) => !wantKeys.has(key(h))) };
  };
  const first = await differs(db);
  if (!first.add.length && !first.drop.length) return false;
  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`lock table "Record" in share row exclusive mode`;
      const { add, drop } = await differs(tx);
      for (const f of drop) {
        await tx.healthField.delete({ where: { datasetId_kind_name: { datasetId, kind: f.kind, name: f.name } } });
        await tx.healthTally.deleteMany({ where: { datasetId, kind: f.kind, field: f.name } });
      }
      if (!add.length) {
        if (drop.some((f) => f.kind === "judge")) await recountJudged(tx, datasetId);
        return;
      }
      await tx.healthField.createMany({ data: add.map((f) => ({ datasetId, ...f })) });
      // Judged records are those holding any judge's verdict: a judge added or dropped
      // changes which records count, so that count is made again from the records.
      if ([...add, ...drop].some((f) => f.kind === "judge")) await recountJudged(tx, datasetId);
      const counted = add.filter((f) => f.kind !== "judge");
      if (!counted.length) return;
      await tx.$executeRaw`
        insert into "HealthTally" ("datasetId", kind, field, value, count)
        select r."datasetId", k.kind, k.field, k.value, count(*)::int
        from "Record" r, datawright_health_keys(r."datasetId", r."runId", r.status, r."reviewState", r.labels, r.values, r.edits, r.provenance, 8, ${counted.map((f) => f.name)}::text[]) k
        where r."datasetId" = ${datasetId}::uuid
        group by 1, 2, 3, 4 order by 1, 2, 3, 4
        on conflict ("datasetId", kind, field, value) do update set count = "HealthTally".count + excluded.count`;
    },
    { timeout: 120_000 },
  );
  return true;
}

export type SamplerChart = { field: string; kind: string; distribution: Distribution };
export type LengthChart = { field: string; bins: HistogramBin[]; records: number; mean: number; median: number };
export type DiversityRow = TextStatsFigures & { group: string; runId: string | null; label: string; records: number; stored: boolean };
export type DiversityChart = { field: string; rows: DiversityRow[] };
export type Balance = { value: string; count: number }[];
/** One validator's results over the dataset's checked records. */
export type CheckRate = { name: string; pass: number; flag: number; reject: number };

export type DatasetHealth = {
  total: number;
  status: Balance;
  review: Balance;
  labels: { name: string; counts: Balance }[];
  checks: CheckRate[];
  samplers: SamplerChart[];
  lengths: LengthChart[];
  diversity: DiversityChart[];
  runs: { id: string; label: string }[];
  /** A run is still writing records: the page refreshes itself meanwhile. */
  running: boolean;
};

const REVIEW_ORDER = ["unreviewed", "accepted", "rejected"];
const STATUS_ORDER = ["succeeded", "failed", "pending"];

function ordered(counts: Map<string, number>, order: string[]): Balance {
  const keys = [...order, ...[...counts.keys()].filter((k) => !order.includes(k)).sort()];
  return keys.map((value) => ({ value, count: counts.get(value) ?? 0 }));
}

export async function datasetHealth(db: Db, datasetId: string, opts: { sample?: number } = {}): Promise<DatasetHealth> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { draft: true, labelSchema: true } });
  if (!dataset) throw notFound("The dataset");
  const blueprint = readBlueprint(dataset.draft, "this dataset's draft");
  const tracked = trackedFields(blueprint);
  await syncHealthFields(db, datasetId, tracked);
  const [tallies, runs] = await Promise.all([
    db.$queryRaw<TallyRow[]>`select kind, field, value, count from "HealthTally" where "datasetId" = ${datasetId}::uuid and count <> 0`,
    db.run.findMany({ where: { datasetId }, orderBy: { createdAt: "asc" }, select: { id: true, status: true } }),
  ]);
  const status = countsOf(tallies, "status");
  const total = [...status.values()].reduce((a, b) => a + b, 0);
  const runLabels = runs.map((r, i) => ({ id: r.id, label: `Run ${i + 1}` }));

  const labelSchema = readLabelSchema(dataset.labelSchema);
  const labelNames = [...labelSchema.labels.filter((l) => l.kind !== "note").map((l) => l.name)];
  for (const t of tallies) if (t.kind === "label" && !labelNames.includes(t.field) && !labelSchema.labels.some((l) => l.name === t.field)) labelNames.push(t.field);
  const labels = labelNames.map((name) => {
    const def = labelSchema.labels.find((l) => l.name === name);
    const order = def?.kind === "rating" ? ["1", "2", "3", "4", "5"] : (def?.options ?? []);
    return { name, counts: ordered(countsOf(tallies, "label", name), order) };
  });

  const samplers: SamplerChart[] = [];
  for (const f of blueprint.fields) {
    if (!tracked.some((t) => t.kind === "value" && t.name === f.name)) continue;
    const parent = f.kind === "category" && f.dependsOn ? countsOf(tallies, "value", f.dependsOn) : undefined;
    const seedValues = f.kind === "seed" ? await seedColumnValues(db, f.seedTableId, f.column) : undefined;
    const target = targetDistribution(f, { parentCounts: parent, seedValues });
    samplers.push({ field: f.name, kind: f.kind, distribution: compareDistribution(target, countsOf(tallies, "value", f.name)) });
  }

  const lengths: LengthChart[] = tracked
    .filter((t) => t.kind === "tokens")
    .map((t) => {
      const buckets = new Map([...countsOf(tallies, "tokens", t.name)].map(([k, n]) => [Number(k), n]));
      return { field: t.name, bins: tokenHistogram(buckets), ...tokenSummary(buckets) };
    });

  // Validators in the blueprint's order, then any a record was checked by that the draft no longer has.
  const checkNames = blueprint.fields.flatMap((f) => (f.kind === "validator" && f.name ? [f.name] : []));
  for (const t of tallies) if (t.kind === "check" && !checkNames.includes(t.field)) checkNames.push(t.field);
  const checks = checkNames
    .map((name) => {
      const c = countsOf(tallies, "check", name);
      return { name, pass: c.get("pass") ?? 0, flag: c.get("flag") ?? 0, reject: c.get("reject") ?? 0 };
    })
    .filter((c) => c.pass + c.flag + c.reject > 0);

  const diversity = await diversityCharts(db, datasetId, blueprint, runs, runLabels, countsOf(tallies, "run"), opts.sample ?? TEXT_SAMPLE);
  return { total, status: ordered(status, STATUS_ORDER), review: ordered(countsOf(tallies, "review"), REVIEW_ORDER), labels, checks, samplers, lengths, diversity, runs: runLabels, running: runs.some((r) => r.status === "running" || r.status === "queued") };
}

/** A seed column's values as they occur in its table: the target of a seed field. */
async function seedColumnValues(db: Db, seedTableId: string, column: string): Promise<Map<string, number>> {
  if (!/^[0-9a-f-]{36}$/i.test(seedTableId)) return new Map();
  const rows = await db.$queryRaw<{ v: string | null; n: number }[]>`
    select data->>${column} as v, count(*)::int as n from "SeedRow" where "seedTableId" = ${seedTableId}::uuid group by 1`;
  return new Map(rows.filter((r) => r.v !== null).map((r) => [r.v as string, r.n]));
}

/**
 * Distinct-n and compression ratio per text field, per run and for the imported records,
 * each on the first `sample` succeeded records (as written): equal sizes, so runs compare.
 * Stored once a run has finished; a running run is computed afresh (its sample is still
 * filling); the imports' figures are recomputed when their count changed.
 */
async function diversityCharts(
  db: Db,
  datasetId: string,
  blueprint: Blueprint,
  runs: { id: string; status: string }[],
  runLabels: { id: string; label: string }[],
  perRun: Map<string, number>,
  sample: number,
): Promise<DiversityChart[]> {
  const textFields = blueprint.fields.filter((f) => f.kind === "llm" && f.output.type === "text" && f.name).map((f) => f.name);
  if (!textFields.length) return [];
  const groups = [
    ...runs.filter((r) => (perRun.get(r.id) ?? 0) > 0).map((r) => ({ key: `run:${r.id}`, runId: r.id as string | null, label: runLabels.find((l) => l.id === r.id)!.label, records: perRun.get(r.id)!, final: FINISHED.has(r.status) })),
    ...((perRun.get("imported") ?? 0) > 0 ? [{ key: "imported", runId: null, label: "Imported", records: perRun.get("imported")!, final: true }] : []),
  ];
  const stored = await db.textStats.findMany({ where: { datasetId } });
  const charts: DiversityChart[] = [];
  for (const field of textFields) {
    const rows: DiversityRow[] = [];
    for (const g of groups) {
      const have = stored.find((s) => s.groupKey === g.key && s.field === field);
      // A stored figure is good while its group has not changed size (imports grow; a run's
      // retried records land after it finished).
      if (have && have.records === g.records) {
        rows.push({ group: g.key, runId: g.runId, label: g.label, records: g.records, stored: true, sampleSize: have.sampleSize, distinct1: have.distinct1, distinct2: have.distinct2, distinct3: have.distinct3, compressionRatio: have.compressionRatio });
        continue;
      }
      const texts = await sampleTexts(db, datasetId, g.runId, field, sample);
      const figures = textStats(texts);
      if (g.final) {
        const data = { records: g.records, ...figures, computedAt: new Date() };
        await db.textStats.upsert({
          where: { datasetId_groupKey_field: { datasetId, groupKey: g.key, field } },
          create: { datasetId, runId: g.runId, groupKey: g.key, field, ...data },
          update: data,
        });
      }
      rows.push({ group: g.key, runId: g.runId, label: g.label, records: g.records, stored: g.final, ...figures });
    }
    charts.push({ field, rows });
  }
  return charts;
}

async function sampleTexts(db: Db, datasetId: string, runId: string | null, field: string, sample: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ t: string | null }[]>`
    select values->>${field} as t from "Record"
    where "datasetId" = ${datasetId}::uuid and ${runId === null ? Prisma.sql`"runId" is null` : Prisma.sql`"runId" = ${runId}::uuid`}
      and status = 'succeeded' and values ? ${field}
    order by "createdAt", index limit ${sample}`;
  return rows.map((r) => r.t ?? "").filter((t) => t.length > 0);
}
