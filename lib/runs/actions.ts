"use server";
import { z } from "zod";
import { Blueprint } from "@/lib/blueprints/schema";
import { db } from "@/lib/db/server/prisma";
import { env } from "@/lib/env";
import { action } from "@/lib/errors/action";
import { actorOf } from "@/lib/audit/server/audit";
import { LaunchRegenerateInput, LaunchRunInput, randomRunSeed, RegenerateInput, RunIdInput, RunSettings } from "./schemas";
import { estimateRun } from "./server/estimate";
import { getDataset } from "@/lib/datasets/server/datasets";
import { listConnections } from "@/lib/providers/server/connections";
import { launchRegenerate, planRegenerate, regeneratedModelFields } from "./server/regenerate";

import { runProgress } from "./server/progress";
import { enqueueRun } from "./server/queue";
import { cancelRun, launchRun, listRuns, pauseRun, resumeRun, retryFailed } from "./server/runs";

const enqueue = (runId: string) => enqueueRun(env().DATABASE_URL!, runId);

export async function launchRunAction(input: unknown) {
  return action(LaunchRunInput, input, async (data, caller) => {
    const run = await launchRun(db(), data, enqueue, async (blueprint, seed) => {
      const est = await estimateRun(db(), data.datasetId, blueprint, data.records, seed, undefined, data.settings.batch === true);
      return est.expected?.costUsd ?? est.costUsd;
    }, actorOf(caller));
    return { id: run.id };
  }, { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

export async function cancelRunAction(input: unknown) {
  return action(RunIdInput, input, ({ runId }, caller) => cancelRun(db(), runId, actorOf(caller)), { role: "editor", project: (d) => ({ runId: d.runId }) });
}
export async function pauseRunAction(input: unknown) {
  return action(RunIdInput, input, ({ runId }) => pauseRun(db(), runId), { role: "editor", project: (d) => ({ runId: d.runId }) });
}
export async function resumeRunAction(input: unknown) {
  return action(RunIdInput, input, ({ runId }) => resumeRun(db(), runId, enqueue), { role: "editor", project: (d) => ({ runId: d.runId }) });
}
export async function retryFailedAction(input: unknown) {
  return action(RunIdInput, input, ({ runId }) => retryFailed(db(), runId, enqueue), { role: "editor", project: (d) => ({ runId: d.runId }) });
}
export async function runProgressAction(input: unknown) {
  return action(RunIdInput, input, ({ runId }) => runProgress(db(), runId), { role: "editor", project: (d) => ({ runId: d.runId }) });
}

const ListRunsInput = z.object({ datasetId: z.uuid() });
export async function listRunsAction(input: unknown) {
  return action(ListRunsInput, input, async ({ datasetId }) =>
    (await listRuns(db(), datasetId)).map((r) => ({
      id: r.id,
      status: r.status,
      requested: r.requested,
      seed: r.seed,
      succeeded: r.succeeded,
      failed: r.failed,
      costUsd: r.costUsd,
      version: r.blueprintVersion.version,
      connectionName: r.connection?.name ?? "deleted connection",
      createdAt: r.createdAt.toISOString(),
      stopReason: r.stopReason,
      /** "N good records" runs: good so far of N; null for a run of N attempts. */
      target: targetOf(r.settings) && { good: r.good, of: targetOf(r.settings)!.good },
    })),
  { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

const EstimateInput = z.object({ datasetId: z.uuid(), blueprint: Blueprint, records: z.number().int().min(1).max(10_000_000), seed: z.number().int().min(0), batch: z.boolean().default(false) });
export async function estimateRunAction(input: unknown) {
  return action(EstimateInput, input, ({ datasetId, blueprint, records, seed, batch }) => estimateRun(db(), datasetId, blueprint, records, seed, undefined, batch), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

function targetOf(settings: unknown) {
  const parsed = RunSettings.safeParse(settings);
  return parsed.success ? parsed.data.target : null;
}

/** What the "Regenerate field…" dialog offers: the draft's LLM fields and the connections. */
export async function regenerateOptionsAction(input: unknown) {
  return action(z.object({ datasetId: z.uuid() }), input, async ({ datasetId }) => {
    const dataset = await getDataset(db(), datasetId);
    const connections = await listConnections(db());
    return {
      fields: dataset.draft.fields.filter((f) => f.kind === "llm").map((f) => f.name),
      connections: connections.map((c) => ({ id: c.id, name: c.name, maxConcurrency: c.maxConcurrency })),
    };
  }, { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

/** The dialog's summary: the field, its dependents, how many records, and the run estimator's cost for those fields. */
export async function planRegenerateAction(input: unknown) {
  return action(RegenerateInput, input, async (data) => {
    const { plan, blueprint } = await planRegenerate(db(), data);
    const est = await estimateRun(db(), data.datasetId, blueprint, plan.records, randomRunSeed(), regeneratedModelFields(blueprint, plan.field)).catch(() => null);
    return { ...plan, estimate: est && { worstUsd: est.costUsd, expectedUsd: est.expected?.costUsd ?? null } };
  }, { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

export async function launchRegenerateAction(input: unknown) {
  return action(LaunchRegenerateInput, input, async (data, caller) => {
    const run = await launchRegenerate(db(), data, enqueue, async (blueprint, records, seed) => {
      const est = await estimateRun(db(), data.datasetId, blueprint, records, seed, regeneratedModelFields(blueprint, data.field));
      return est.expected?.costUsd ?? est.costUsd;
    }, actorOf(caller));
    return { id: run.id };
  }, { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}
