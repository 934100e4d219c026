import "server-only";
// Facts for the dataset card, about exactly the exported records, read in the export's snapshot.
import type { Blueprint } from "@/lib/blueprints/schema";
import type { LabelSchema } from "@/lib/review/labels";
import type { CardData, CardRun } from "../card";
import type { ExportSession } from "./session";
import { literal } from "@/lib/db/server/sql-literal";

const LABEL_VALUES_SHOWN = 30;

type Totals = {
  tokens_in: string | null;
  tokens_out: string | null;
  cost: number | null;
  first: Date | null;
  last: Date | null;
  reviewed: Date | null;
  unreviewed: string;
  accepted: string;
  rejected: string;
  generated: string;
  imported: string;
  succeeded: string;
  failed: string;
  pending: string;
};

export async function cardFacts(
  s: ExportSession,
  datasetId: string,
  where: string,
  labelSchema: LabelSchema,
): Promise<Pick<CardData, "byReviewState" | "bySource" | "byStatus" | "labels" | "tokensIn" | "tokensOut" | "costUsd" | "firstCreatedAt" | "lastCreatedAt" | "lastReviewedAt" | "runs" | "versions">> {
  const [t] = await s.query<Totals>(`
    select sum("tokensIn") as tokens_in, sum("tokensOut") as tokens_out, sum("costUsd") as cost,
      min("createdAt") as first, max("createdAt") as last, max("reviewedAt") as reviewed,
      count(*) filter (where "reviewState" = 'unreviewed') as unreviewed,
      count(*) filter (where "reviewState" = 'accepted') as accepted,
      count(*) filter (where "reviewState" = 'rejected') as rejected,
      count(*) filter (where source = 'generated') as generated,
      count(*) filter (where source = 'imported') as imported,
      count(*) filter (where status = 'succeeded') as succeeded,
      count(*) filter (where status = 'failed') as failed,
      count(*) filter (where status = 'pending') as pending
    from "Record" r where ${where}`);
  const nonZero = (o: Record<string, string>) =>
    Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Number(v)]).filter(([, v]) => (v as number) > 0)) as Record<string, number>;

  // Notes are free text: counting their values would list every note.
  const notes = new Set(labelSchema.labels.filter((l) => l.kind === "note").map((l) => l.name));
  const labelRows = await s.query<{ k: string; v: string; n: string }>(`
    select l.key as k, coalesce(e.v, case jsonb_typeof(l.val) when 'string' then l.val #>> '{}' else l.val::text end) as v, count(*) as n
    from "Record" r
    cross join lateral jsonb_each(case jsonb_typeof(r.labels) when 'object' then r.labels else '{}'::jsonb end) l(key, val)
    left join lateral (select x #>> '{}' as v from jsonb_array_elements(case jsonb_typeof(l.val) when 'array' then l.val else '[]'::jsonb end) x) e on true
    where ${where} and jsonb_typeof(l.val) <> 'null'
    group by 1, 2 order by 1, 3 desc`);
  const labels: Record<string, Record<string, number>> = {};
  for (const r of labelRows) {
    if (notes.has(r.k)) continue;
    const m = (labels[r.k] ??= {});
    if (Object.keys(m).length < LABEL_VALUES_SHOWN) m[r.v] = Number(r.n);
  }

  const runRows = await s.query<{ id: string; number: string; created: Date; finished: Date | null; status: string; version: number; vcreated: Date; blueprint: Blueprint; n: string }>(`
    select run.id, run.number, run."createdAt" as created, run."finishedAt" as finished, run.status::text as status,
      bv.version, bv."createdAt" as vcreated, bv.blueprint, x.n
    from (select "runId", count(*) as n from "Record" r where ${where} and r."runId" is not null group by 1) x
    join (select id, "createdAt", "finishedAt", status, "blueprintVersionId", row_number() over (order by "createdAt", id) as number
          from "Run" where "datasetId" = ${literal(datasetId)}::uuid) run on run.id = x."runId"
    join "BlueprintVersion" bv on bv.id = run."blueprintVersionId"
    order by run."createdAt"`);
  const runs: CardRun[] = runRows.map((r) => ({
    number: Number(r.number),
    id: r.id,
    createdAt: r.created.toISOString(),
    finishedAt: r.finished?.toISOString() ?? null,
    status: r.status,
    blueprintVersion: r.version,
    records: Number(r.n),
  }));
  const versions = new Map<number, CardData["versions"][number]>();
  for (const r of runRows) if (!versions.has(r.version)) versions.set(r.version, { version: r.version, createdAt: r.vcreated.toISOString(), blueprint: r.blueprint });

  return {
    byReviewState: nonZero({ unreviewed: t.unreviewed, accepted: t.accepted, rejected: t.rejected }),
    bySource: nonZero({ generated: t.generated, imported: t.imported }),
    byStatus: nonZero({ succeeded: t.succeeded, failed: t.failed, pending: t.pending }),
    labels,
    tokensIn: Number(t.tokens_in ?? 0),
    tokensOut: Number(t.tokens_out ?? 0),
    costUsd: Number(t.cost ?? 0),
    firstCreatedAt: t.first?.toISOString() ?? null,
    lastCreatedAt: t.last?.toISOString() ?? null,
    lastReviewedAt: t.reviewed?.toISOString() ?? null,
    runs,
    versions: [...versions.values()].sort((a, b) => a.version - b.version),
  };
}
