import "server-only";
// Run lifecycle: launch (freeze the blueprint, create the row, queue the job), and the
// user's controls. State changes are conditional updates on `status`, so a control
// racing the executor (cancel while it completes) has exactly one winner.
import type { Blueprint } from "@/lib/blueprints/schema";
import { hasErrors, seedTableInfo, validateBlueprint } from "@/lib/blueprints/validate";
import { freezeVersion, getDataset } from "@/lib/datasets/server/datasets";
import type { Db } from "@/lib/db/server/prisma";
import { conflict, invalid, notFound } from "@/lib/errors/domain-error";
import { Prisma, type RunStatus } from "@/lib/generated/prisma/client";
import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit, auditInsertSql } from "@/lib/audit/server/audit";
import { inTransaction } from "@/lib/db/server/transaction";
import { reserveRecordNumbers } from "@/lib/records/server/numbers";
import { randomRunSeed, RunSettings, type LaunchRunInput, type TargetSettings } from "../schemas";
import { judgesOf } from "../target";
import { presetById } from "@/lib/providers/presets";
import { deleteFailedRecords } from "./evolution-tally";

const ACTIVE: RunStatus[] = ["queued", "running"];

export async function launchRun(
  db: Db,
  input: LaunchRunInput,
  enqueue: (runId: string) => Promise<void>,
  estimate?: (blueprint: Blueprint, seed: number) => Promise<number | null>,
  actor: Actor = LOCAL_OWNER,
) {
  const { dataset, blueprint } = await launchableDraft(db, input.datasetId);
  const connection = await db.providerConnection.findUnique({ where: { id: input.connectionId }, select: { id: true, preset: true, name: true } });
  if (!connection) throw notFound("The provider connection");
  const settings = RunSettings.parse(input.settings);
  if (settings.target) checkTarget(blueprint, settings.target, input.records);
  if (settings.batch) checkBatch(settings, connection);
  // A fresh seed unless the user asked to reproduce a run: with one fixed default, every
  // run re-drew the same records (and, with the cache, returned the same answers).
  const seed = input.seed ?? randomRunSeed();
  const estimatedCostUsd = estimate ? await estimate(blueprint, seed).catch(() => null) : null;
  const version = await freezeVersion(db, dataset.id, blueprint);
  const run = await db.$transaction(async (tx) => {
    const firstIndex = await reserveRecordNumbers(tx, dataset.id, input.records);
    const run = await tx.run.create({
      data: {
        datasetId: dataset.id,
        blueprintVersionId: version.id,
        connectionId: connection.id,
        requested: input.records,
        firstIndex,
        seed,
        settings: settings as Prisma.InputJsonValue,
        estimatedCostUsd,
      },
    });
    await audit(tx, actor, {
      action: "run.launch",
      datasetId: dataset.id,
      target: `a run of records #${firstIndex + 1}–#${firstIndex + input.records}`,
      detail: { runId: run.id, records: input.records, connection: connection.name, seed, batch: !!settings.batch, ...(settings.target ? { target: settings.target.good } : {}) },
    });
    return run;
  });
  await enqueue(run.id);
  return run;
}

/** The dataset and its draft, refused with the first error when the draft has any: what a launch runs. */
export async function launchableDraft(db: Db, datasetId: string) {
  const dataset = await getDataset(db, datasetId);
  const blueprint: Blueprint = dataset.draft;
  const issues = validateBlueprint(blueprint, { seedTables: seedTableInfo(dataset.seedTables) });
  if (hasErrors(issues)) {
    const first = issues.find((i) => i.severity === "error")!;
    throw invalid(`The blueprint has ${issues.filter((i) => i.severity === "error").length} error(s) to fix before launching; first: ${first.fieldName}: ${first.message}`);
  }
  return { dataset, blueprint };
}

/** Batch mode needs a preset with the Batch API, and draws a fixed number of records (a target run decides as answers land). */
function checkBatch(settings: RunSettings, connection: { preset: string; name: string }) {
  if (!presetById(connection.preset).batch) throw invalid(`The connection "${connection.name}" (${presetById(connection.preset).label}) has no Batch API; launch without batch mode.`);
  if (settings.target) throw invalid(`Batch mode generates a fixed number of records; "N good records" runs are online only.`);
  if (settings.regenerate) throw invalid(`Regenerating a field runs online only.`);
}

/** A target run's `records` is its attempt cap; its thresholds must name the blueprint's judges and their levels. */
function checkTarget(blueprint: Blueprint, target: TargetSettings, attempts: number) {
  if (attempts < target.good) throw invalid(`The attempt cap (${attempts}) must be at least the ${target.good} good records asked for.`);
  const judges = new Map(judgesOf(blueprint).map((j) => [j.name, j]));
  for (const [name, criteria] of Object.entries(target.thresholds)) {
    const judge = judges.get(name);
    if (!judge) throw invalid(`The thresholds name "${name}", which is not a judge of this blueprint.`);
    for (const [criterion, t] of Object.entries(criteria)) {
      const c = judge.criteria.find((x) => x.name === criterion);
      if (!c) throw invalid(`The judge "${name}" has no criterion "${criterion}".`);
      const values = c.levels.map((l) => l.value);
      if (t.accept?.some((a) => !values.includes(a))) throw invalid(`"${name}.${criterion}" accepts a score that is not one of its levels (${values.join(", ")}).`);
    }
  }
}

export async function getRun(db: Db, runId: string) {
  const run = await db.run.findUnique({
    where: { id: runId },
    include: { blueprintVersion: { select: { version: true, blueprint: true } }, connection: { select: { name: true } } },
  });
  if (!run) throw notFound("The run");
  return run;
}

export async function listRuns(db: Db, datasetId: string) {
  return db.run.findMany({
    where: { datasetId },
    orderBy: { createdAt: "desc" },
    take: 50,
    include: { blueprintVersion: { select: { version: true } }, connection: { select: { name: true } } },
  });
}

async function transition(db: Db, runId: string, from: RunStatus[], data: Prisma.RunUpdateManyMutationInput, refusal: string) {
  const { count } = await db.run.updateMany({ where: { id: runId, status: { in: from } }, data });
  if (count === 0) {
    const run = await db.run.findUnique({ where: { id: runId }, select: { status: true } });
    if (!run) throw notFound("The run");
    throw conflict(`${refusal} (it is ${run.status}).`);
  }
}

export async function cancelRun(db: Db, runId: string, actor: Actor = LOCAL_OWNER) {
  await inTransaction(db, async (tx) => {
    await transition(tx as Db, runId, ["queued", "running", "paused"], { status: "cancelled", stopReason: "Cancelled by the user.", finishedAt: new Date() }, "This run cannot be cancelled");
    await tx.$executeRaw(
      auditInsertSql(actor, { action: "run.cancel", detail: { runId } }, {
        source: Prisma.sql`"Run" r where r.id = ${runId}::uuid`,
        datasetId: Prisma.sql`r."datasetId"`,
        target: Prisma.sql`case when r.settings->'regenerate'->>'field' is not null then 'the regeneration of “' || (r.settings->'regenerate'->>'field') || '”'
          else 'the run of records #' || (r."firstIndex" + 1) || '–#' || (r."firstIndex" + r.requested) end`,
      }),
    );
  });
}

export async function pauseRun(db: Db, runId: string) {
  await transition(db, runId, ["queued", "running"], { status: "paused", stopReason: "Paused by the user." }, "Only a queued or running run can be paused");
}

/** Resume a paused (or stopped) run: records already stored are kept, the rest are generated. */
export async function resumeRun(db: Db, runId: string, enqueue: (runId: string) => Promise<void>) {
  await transition(db, runId, ["paused", "cancelled", "failed", "partial"], { status: "queued", stopReason: null, finishedAt: null }, "Only a paused or stopped run can be resumed");
  await enqueue(runId);
}

/** Deletes the failed records of a finished run and queues it again, so only they are redone. */
export async function retryFailed(db: Db, runId: string, enqueue: (runId: string) => Promise<void>) {
  const run = await getRun(db, runId);
  if (ACTIVE.includes(run.status)) throw conflict("Wait for the run to stop before retrying its failed records.");
  // A regeneration's failed records are its version rows with an error (the records kept
  // their values): deleting those rows makes the executor redo just them.
  const regenerating = RunSettings.safeParse(run.settings).data?.regenerate;
  await db.$transaction(async (tx) => {
    const { count } = regenerating
      ? await tx.recordVersion.deleteMany({ where: { runId, error: { not: null } } })
      : { count: await deleteFailedRecords(tx, runId) };
    if (count === 0) throw invalid("This run has no failed records.");
    await tx.run.update({ where: { id: runId }, data: { failed: { decrement: count }, errorCounts: {}, status: "queued", stopReason: null, finishedAt: null } });
  });
  await enqueue(runId);
}
