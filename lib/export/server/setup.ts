import "server-only";
// What the export page needs to offer choices: field and label names, runs, counts.
import { readBlueprint } from "@/lib/blueprints/stored";
import type { Db } from "@/lib/db/server/prisma";
import { notFound } from "@/lib/errors/domain-error";
import { datasetFields, RECENT_RECORDS } from "@/lib/records/server/fields";
import { readLabelSchema } from "@/lib/review/labels";
import type { ExportSetup } from "../types";

export async function exportSetup(db: Db, datasetId: string): Promise<ExportSetup> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { name: true, draft: true, labelSchema: true } });
  if (!dataset) throw notFound("The dataset");
  const draft = readBlueprint(dataset.draft, "this dataset's draft");
  const [fields, labelKeys, counts, runs, versions] = await Promise.all([
    datasetFields(db, datasetId, draft),
    // Recent labelled records show which labels records really have (a label may have left the schema).
    db.$queryRaw<{ k: string }[]>`
      select distinct k from (select labels from "Record" where "datasetId" = ${datasetId}::uuid and labels <> '{}'::jsonb order by "createdAt" desc limit ${RECENT_RECORDS}) r, jsonb_object_keys(r.labels) k`,
    db.$queryRaw<{ total: number; accepted: number; rejected: number; unreviewed: number; imported: number }[]>`
      select count(*)::int as total,
        count(*) filter (where "reviewState" = 'accepted')::int as accepted,
        count(*) filter (where "reviewState" = 'rejected')::int as rejected,
        count(*) filter (where "reviewState" = 'unreviewed')::int as unreviewed,
        count(*) filter (where source = 'imported')::int as imported
      from "Record" where "datasetId" = ${datasetId}::uuid`,
    db.run.findMany({ where: { datasetId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true, createdAt: true, succeeded: true } }),
    // LLM fields of the versions runs used: records keep the prompts those sent.
    db.$queryRaw<{ name: string; output: string | null; kind: string }[]>`
      select distinct on (f->>'name') f->>'name' as name, f->'output'->>'type' as output, f->>'kind' as kind
      from "BlueprintVersion" v, jsonb_array_elements(case jsonb_typeof(v.blueprint->'fields') when 'array' then v.blueprint->'fields' else '[]'::jsonb end) f
      where v."datasetId" = ${datasetId}::uuid and f->>'kind' in ('llm', 'conversation') and f->>'name' <> ''
      order by f->>'name', v.version desc`,
  ]);
  const llmFields: ExportSetup["llmFields"] = draft.fields.flatMap((f) => (f.kind === "llm" && f.name ? [{ name: f.name, output: f.output?.type === "json" ? ("json" as const) : ("text" as const) }] : []));
  const conversationFields = draft.fields.flatMap((f) => (f.kind === "conversation" && f.name ? [f.name] : []));
  for (const v of versions) {
    if (v.kind === "conversation") {
      if (!conversationFields.includes(v.name) && !draft.fields.some((f) => f.name === v.name)) conversationFields.push(v.name);
    } else if (!llmFields.some((f) => f.name === v.name) && !conversationFields.includes(v.name)) llmFields.push({ name: v.name, output: v.output === "json" ? "json" : "text" });
  }
  const schemaLabels = readLabelSchema(dataset.labelSchema).labels.map((l) => l.name);
  const labels = [...new Set([...schemaLabels, ...labelKeys.map((k) => k.k).sort()])];
  return {
    datasetName: dataset.name,
    fields,
    labels,
    llmFields,
    conversationFields,
    runs: runs.map((r, i) => ({ id: r.id, number: i + 1, createdAt: r.createdAt.toISOString(), records: r.succeeded })),
    counts: counts[0],
  };
}
