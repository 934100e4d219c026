"use server";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { actorOf } from "@/lib/audit/server/audit";
import { createApiToken, revokeApiToken } from "./server/tokens";

const CreateTokenInput = z.object({ name: z.string().trim().min(1, "Name the token: where it will be used (e.g. CI, a notebook).").max(100, "At most 100 characters.") });
const RevokeTokenInput = z.object({ id: z.uuid() });

// API tokens act for the studio (every API route is open to a valid token), so only the
// studio's owner creates and revokes them, as they hold the provider keys.

/** Creates a token; the answer is the only time the token itself is shown. */
export async function createApiTokenAction(input: unknown) {
  return action(CreateTokenInput, input, async ({ name }, caller) => {
    const t = await createApiToken(db(), name, actorOf(caller));
    return { id: t.id, name: t.name, token: t.token };
  }, { role: "owner", studio: true });
}

export async function revokeApiTokenAction(input: unknown) {
  return action(RevokeTokenInput, input, ({ id }, caller) => revokeApiToken(db(), id, actorOf(caller)), { role: "owner", studio: true });
}
