import "server-only";
// "Regenerate one field": what a regeneration will do (the dialog's plan) and its launch,
// a Run with settings.regenerate executed by regenerate-executor.ts. A Run, not a job of
// its own: pause, resume, cancel, liveness, progress, the budget cap and the cache are
// the run's, and the run page shows it like any other.
import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit } from "@/lib/audit/server/audit";
import { inTransaction } from "@/lib/db/server/transaction";
import { dependentFields } from "@/lib/blueprints/dependents";
import type { Blueprint } from "@/lib/blueprints/schema";
import { freezeVersion } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { invalid, notFound } from "@/lib/errors/domain-error";
import type { Prisma } from "@/lib/generated/prisma/client";
import { targetSql } from "@/lib/review/server/decisions";
import { MAX_REGENERATE, randomRunSeed, RunSettings, type LaunchRegenerateInput, type RegenerateInput } from "../schemas";
import { launchableDraft } from "./runs";

export type RegeneratePlan = {
  field: string;
  /** Later fields re-run when a value they read changes, in blueprint order. */
  dependents: { name: string; kind: string }[];
  /** Succeeded records chosen; failed ones are left to "Retry failed" on their run. */
  records: number;
  /** Chosen records that failed, left out. */
  skippedFailed: number;
};

/** The field must still exist and be an LLM field; the records are the target's succeeded ones. */
export async function planRegenerate(db: Db, input: RegenerateInput): Promise<{ plan: RegeneratePlan; blueprint: Blueprint; ids: string[] }> {
  const { blueprint } = await launchableDraft(db, input.datasetId);
  const field = blueprint.fields.find((f) => f.name === input.field);
  if (!field) throw invalid(`There is no field "${input.field}" in the blueprint any more; reload the page.`);
  if (field.kind !== "llm") throw invalid(`"${field.name}" is ${field.kind === "judge" ? "a judge" : `a ${field.kind} field`}: only an LLM field can be regenerated (its dependents are re-run with it).`);
  const rows = await db.$queryRaw<{ id: string; failed: boolean }[]>`
    select r.id, r.status = 'failed' as failed from "Record" r where ${targetSql(input.datasetId, input.target)}
    order by r.index limit ${MAX_REGENERATE + 1}`;
  if (rows.length > MAX_REGENERATE) throw invalid(`The filter matches more than ${MAX_REGENERATE.toLocaleString("en")} records; narrow it, or regenerate in parts.`);
  const ids = rows.filter((r) => !r.failed).map((r) => r.id);
  const skippedFailed = rows.length - ids.length;
  if (ids.length === 0) {
    throw invalid(skippedFailed ? `The ${skippedFailed} matching record(s) all failed: use "Retry failed" on their run instead.` : "No records match: there is nothing to regenerate.");
  }
  const dependents = dependentFields(blueprint, field.name).map((f) => ({ name: f.name, kind: f.kind }));
  return { plan: { field: field.name, dependents, records: ids.length, skippedFailed }, blueprint, ids };
}

export async function launchRegenerate(
  db: Db,
  input: LaunchRegenerateInput,
  enqueue: (runId: string) => Promise<void>,
  estimate?: (blueprint: Blueprint, records: number, seed: number) => Promise<number | null>,
  actor: Actor = LOCAL_OWNER,
) {
  const { blueprint, ids } = await planRegenerate(db, input);
  const connection = await db.providerConnection.findUnique({ where: { id: input.connectionId }, select: { id: true } });
  if (!connection) throw notFound("The provider connection");
  const settings = RunSettings.parse({ ...input.settings, regenerate: { field: input.field, recordIds: ids } });
  const seed = randomRunSeed();
  const estimatedCostUsd = estimate ? await estimate(blueprint, ids.length, seed).catch(() => null) : null;
  const version = await freezeVersion(db, input.datasetId, blueprint);
  // No record numbers are reserved: the run changes existing records and inserts none.
  const run = await inTransaction(db, async (tx) => {
    const run = await tx.run.create({
      data: {
        datasetId: input.datasetId,
        blueprintVersionId: version.id,
        connectionId: connection.id,
        requested: ids.length,
        seed,
        settings: settings as Prisma.InputJsonValue,
        estimatedCostUsd,
      },
    });
    await audit(tx, actor, { action: "run.launch", datasetId: input.datasetId, target: `the regeneration of “${input.field}”`, detail: { runId: run.id, records: ids.length, regenerate: input.field } });
    return run;
  });
  await enqueue(run.id);
  return run;
}

/** The fields a regeneration of `field` pays for, for the estimate: the field and its LLM and judge dependents. */
export function regeneratedModelFields(blueprint: Blueprint, field: string): Set<string> {
  return new Set([field, ...dependentFields(blueprint, field).filter((f) => f.kind === "llm" || f.kind === "judge" || f.kind === "conversation" || f.kind === "evolve").map((f) => f.name)]);
}
