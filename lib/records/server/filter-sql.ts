import "server-only";
// RecordFilter -> a parameterised SQL condition on "Record" (alias r). Every value is a
// bind parameter, field and label names too (they go through ->> with a parameter),
// except "field is": its SQL must match the value indexes' expression, so it is written
// with literals by value-key.ts.
import { Prisma } from "@/lib/generated/prisma/client";
import type { RecordFilter } from "../filter";
import { valueEqualsSql } from "./value-key";

export function recordFilterSql(datasetId: string, f: RecordFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`r."datasetId" = ${datasetId}::uuid`];
  // Compared as enums, not cast to text, so indexes on these columns stay usable.
  if (f.reviewState?.length) parts.push(Prisma.sql`r."reviewState" = any(${f.reviewState}::"ReviewState"[])`);
  if (f.status?.length) parts.push(Prisma.sql`r.status = any(${f.status}::"RecordStatus"[])`);
  if (f.runIds?.length) parts.push(Prisma.sql`r."runId" in (${Prisma.join(f.runIds.map((id) => Prisma.sql`${id}::uuid`))})`);
  if (f.source) parts.push(Prisma.sql`r.source = ${f.source}`);
  for (const [name, wanted] of Object.entries(f.labels ?? {})) {
    parts.push(Prisma.sql`(r.labels->>${name} in (${Prisma.join(wanted)}) or r.labels->${name} ?| ${wanted}::text[])`);
  }
  for (const c of f.values ?? []) {
    parts.push(
      c.op === "eq"
        ? Prisma.raw(valueEqualsSql(c.field, c.value))
        : Prisma.sql`r.values->>${c.field} ilike ${"%" + escapeLike(c.value) + "%"}`,
    );
  }
  if (f.checks?.failing?.length) {
    parts.push(Prisma.sql`(${Prisma.join(f.checks.failing.map((name) => Prisma.sql`r.checks->${name}->>'pass' = 'false'`), " or ")})`);
  }
  if (f.checks?.anyFailed) parts.push(Prisma.sql`coalesce(r.checks @? '$.*.pass ? (@ == false)', false)`);
  if (f.rejected !== undefined) parts.push(f.rejected ? Prisma.sql`r.rejected` : Prisma.sql`not r.rejected`);
  if (f.target === "good") parts.push(Prisma.sql`r.target = 'good'`);
  if (f.target === "over") parts.push(Prisma.sql`r.target = 'over'`);
  if (f.target === "not-over") parts.push(Prisma.sql`r.target is distinct from 'over'`);
  // Through the signature's primary key (one probe per record), so a filter that also narrows
  // by review state or run does not read every signature of the dataset.
  if (f.duplicate !== undefined) {
    const inCluster = Prisma.sql`exists (select 1 from "RecordSignature" s where s."recordId" = r.id and s."clusterId" is not null)`;
    parts.push(f.duplicate ? inCluster : Prisma.sql`not ${inCluster}`);
  }
  if (f.clusterId) parts.push(Prisma.sql`exists (select 1 from "RecordSignature" s where s."recordId" = r.id and s."clusterId" = ${f.clusterId}::uuid)`);
  if (f.clusterSize) {
    const { min, max } = f.clusterSize;
    parts.push(Prisma.sql`exists (select 1 from "RecordSignature" s join "DuplicateCluster" c on c.id = s."clusterId"
      where s."recordId" = r.id and c.size >= ${min}${max === undefined ? Prisma.empty : Prisma.sql` and c.size <= ${max}`})`);
  }
  if (f.contaminated !== undefined) {
    const matched = Prisma.sql`exists (select 1 from "ContaminationMatch" m where m."recordId" = r.id)`;
    parts.push(f.contaminated ? matched : Prisma.sql`not ${matched}`);
  }
  for (const j of f.judge ?? []) {
    parts.push(Prisma.sql`(r.values->${j.field}->${j.criterion}->'score') = any(${j.scores.map((x) => JSON.stringify(x))}::jsonb[])`);
  }
  if (f.search) parts.push(Prisma.sql`r.values::text ilike ${"%" + escapeLike(f.search) + "%"}`);
  return Prisma.join(parts, " and ");
}

function escapeLike(s: string) {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
