import "server-only";
// What the export page needs to offer choices: field and label names, runs, counts.
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { readLabelSchema } from "@/lib/review/labels";
import type { ExportSetup } from "../types";

export async function exportSetup(db: Db, datasetId: string): Promise<ExportSetup> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { name: true, draft: true, labelSchema: true } });
  if (!dataset) throw notFound("The dataset");
  const [keys, counts, runs, versions] = await Promise.all([
    // Recent records show which fields and labels records really have (imports may add some).
    db.$queryRaw<{ k: string; kind: string }[]>`
      select distinct k, 'field' as kind from (select values from "Record" where "datasetId" = ${datasetId}::uuid order by "createdAt" desc limit 200) r, jsonb_object_keys(r.values) k
      union
      select distinct k, 'label' as kind from (select labels from "Record" where "datasetId" = ${datasetId}::uuid and labels <> '{}'::jsonb order by "createdAt" desc limit 200) r, jsonb_object_keys(r.labels) k`,
    db.$queryRaw<{ total: number; accepted: number; rejected: number; unreviewed: number; imported: number }[]>`
      select count(*)::int as total,
        count(*) filter (where "reviewState" = 'accepted')::int as accepted,
        count(*) filter (where "reviewState" = 'rejected')::int as rejected,
        count(*) filter (where "reviewState" = 'unreviewed')::int as unreviewed,
        count(*) filter (where source = 'imported')::int as imported
      from "Record" where "datasetId" = ${datasetId}::uuid`,
    db.run.findMany({ where: { datasetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, createdAt: true, succeeded: true } }),
    // LLM fields of the versions runs used: records keep the prompts those sent.
    db.$queryRaw<{ name: string; output: string | null }[]>`
      select distinct on (f->>'name') f->>'name' as name, f->'output'->>'type' as output
      from "BlueprintVersion" v, jsonb_array_elements(case jsonb_typeof(v.blueprint->'fields') when 'array' then v.blueprint->'fields' else '[]'::jsonb end) f
      where v."datasetId" = ${datasetId}::uuid and f->>'kind' = 'llm' and f->>'name' <> ''
      order by f->>'name', v.version desc`,
  ]);
  const draftFields = (dataset.draft as unknown as Blueprint).fields ?? [];
  const draftNames = draftFields.flatMap((f) => (f.kind === "validator" || !f.name ? [] : [f.name]));
  const llmFields: ExportSetup["llmFields"] = draftFields.flatMap((f) => (f.kind === "llm" && f.name ? [{ name: f.name, output: f.output?.type === "json" ? ("json" as const) : ("text" as const) }] : []));
  for (const v of versions) if (!llmFields.some((f) => f.name === v.name)) llmFields.push({ name: v.name, output: v.output === "json" ? "json" : "text" });
  const recordFields = keys.filter((k) => k.kind === "field").map((k) => k.k);
  const fields = [...new Set([...draftNames, ...recordFields.sort()])];
  const schemaLabels = readLabelSchema(dataset.labelSchema).labels.map((l) => l.name);
  const labels = [...new Set([...schemaLabels, ...keys.filter((k) => k.kind === "label").map((k) => k.k).sort()])];
  return {
    datasetName: dataset.name,
    fields,
    labels,
    llmFields,
    runs: runs.map((r, i) => ({ id: r.id, number: i + 1, createdAt: r.createdAt.toISOString(), records: r.succeeded })),
    counts: counts[0],
  };
}
