"use server";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { DatasetIdInput, DedupeSettingsInput } from "./schemas";
import { dedupeStatus, startDedupePass } from "./server/dedupe";
import { duplicatesOverview } from "./server/duplicates-overview";

/** Starts a full duplicate pass; returns at once with its state (the section polls the overview). */
export async function startDedupeAction(input: unknown) {
  return action(DedupeSettingsInput, input, (data) => startDedupePass(db(), rawPool(), data));
}

/** The Health tab's Duplicates section: the pass's progress and the charts. */
export async function duplicatesOverviewAction(input: unknown) {
  return action(DatasetIdInput, input, ({ datasetId }) => duplicatesOverview(db(), datasetId));
}

/** The pass's state alone, polled while it runs (the overview's counts wait for its end). */
export async function dedupeStatusAction(input: unknown) {
  return action(DatasetIdInput, input, ({ datasetId }) => dedupeStatus(db(), datasetId));
}
