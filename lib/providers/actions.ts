"use server";
// Thin actions for Settings → Providers. No response carries an API key or its
// ciphertext: connections come back as ConnectionSummary (hasKey, apiKeyLast4).
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { actorOf } from "@/lib/audit/server/audit";
import { ConnectionId, ConnectionInput, ResetPriceInput, SetPriceInput, TestConnectionInput, UpdateConnectionInput } from "@/lib/providers/presets";
import { createConnection, deleteConnection, testConnection, updateConnection } from "@/lib/providers/server/connections";
import { resetPrice, setPrice } from "@/lib/providers/server/prices";

const PAGE = "/settings/providers";

export async function createConnectionAction(input: unknown) {
  return action(ConnectionInput, input, async (data, caller) => {
    const c = await createConnection(db(), data, actorOf(caller));
    revalidatePath(PAGE);
    return { id: c.id };
  }, { studio: true, role: "owner" });
}

export async function updateConnectionAction(input: unknown) {
  return action(UpdateConnectionInput, input, async (data, caller) => {
    const c = await updateConnection(db(), data, actorOf(caller));
    revalidatePath(PAGE);
    return { id: c.id };
  }, { studio: true, role: "owner" });
}

export async function deleteConnectionAction(input: unknown) {
  return action(ConnectionId, input, async ({ id }, caller) => {
    await deleteConnection(db(), id, actorOf(caller));
    revalidatePath(PAGE);
  }, { studio: true, role: "owner" });
}

/** A saved connection ({ id }) or the form's unsaved values; answers with a TestResult. */
export async function testConnectionAction(input: unknown) {
  return action(TestConnectionInput, input, (data) => testConnection(db(), data), { studio: true, role: "owner" });
}

export async function setPriceAction(input: unknown) {
  return action(SetPriceInput, input, async ({ model, inputPerMTok, outputPerMTok }) => {
    const row = await setPrice(db(), model, inputPerMTok, outputPerMTok);
    revalidatePath(PAGE);
    return row;
  }, { studio: true, role: "owner" });
}

export async function resetPriceAction(input: unknown) {
  return action(ResetPriceInput, input, async ({ model }) => {
    await resetPrice(db(), model);
    revalidatePath(PAGE);
  }, { studio: true, role: "owner" });
}
