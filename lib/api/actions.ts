"use server";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { actorOf } from "@/lib/audit/server/audit";
import { createApiToken, revokeApiToken, tokenManager } from "./server/tokens";

const CreateTokenInput = z.object({
  name: z.string().trim().min(1, "Name the token: where it will be used (e.g. CI, a notebook).").max(100, "At most 100 characters."),
  /** Left out or null: until revoked. */
  expiresInDays: z.number().int().min(1, "A token lasts at least a day.").max(366, "At most a year; or choose Never.").nullish(),
});
const RevokeTokenInput = z.object({ id: z.uuid() });

// A token acts as the person who made it, with their roles (lib/api/server/route.ts), so
// anyone signed in makes and revokes their own; the studio's owner can revoke anyone's.

/** Creates a token; the answer is the only time the token itself is shown. */
export async function createApiTokenAction(input: unknown) {
  return action(CreateTokenInput, input, async ({ name, expiresInDays }, caller) => {
    const t = await createApiToken(db(), (await tokenManager(db(), caller)).userId, name, expiresInDays, { actor: actorOf(caller) });
    return { id: t.id, name: t.name, token: t.token, expiresAt: t.expiresAt?.toISOString() ?? null };
  }, { role: "member" });
}

export async function revokeApiTokenAction(input: unknown) {
  return action(RevokeTokenInput, input, async ({ id }, caller) => revokeApiToken(db(), id, await tokenManager(db(), caller), actorOf(caller)), { role: "member" });
}
