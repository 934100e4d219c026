"use server";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { DatasetIdInput, DedupeSettingsInput, JudgeTrustInput, KeepOneInput } from "./schemas";
import { judgeTrust } from "./server/agreement";
import { dedupeStatus, startDedupePass } from "./server/dedupe";
import { duplicatesOverview } from "./server/duplicates-overview";
import { keepOnePerCluster } from "./server/keep-one";
import { actorOf } from "@/lib/audit/server/audit";

/** Starts a full duplicate pass; returns at once with its state (the section polls the overview). */
export async function startDedupeAction(input: unknown) {
  return action(DedupeSettingsInput, input, (data) => startDedupePass(db(), rawPool(), data), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

/** The Health tab's Duplicates section: the pass's progress and the charts. */
export async function duplicatesOverviewAction(input: unknown) {
  return action(DatasetIdInput, input, ({ datasetId }) => duplicatesOverview(db(), datasetId), { role: "annotator", project: (d) => ({ datasetId: d.datasetId }) });
}

/** The pass's state alone, polled while it runs (the overview's counts wait for its end). */
export async function dedupeStatusAction(input: unknown) {
  return action(DatasetIdInput, input, ({ datasetId }) => dedupeStatus(db(), datasetId), { role: "annotator", project: (d) => ({ datasetId: d.datasetId }) });
}

/** The grid's "Keep one per cluster": one review action, undone like any bulk decision. */
export async function keepOneAction(input: unknown) {
  return action(KeepOneInput, input, (data, caller) => keepOnePerCluster(db(), data, actorOf(caller)), { role: "editor", project: (d) => ({ datasetId: d.datasetId }) });
}

/** "Can I trust the judge?": each judge criterion against what people decided. */
export async function judgeTrustAction(input: unknown) {
  return action(JudgeTrustInput, input, ({ datasetId, thresholds }) => judgeTrust(db(), datasetId, { thresholds }), { role: "annotator", project: (d) => ({ datasetId: d.datasetId }) });
}
