"use server";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { createApiToken, revokeApiToken, tokenManager } from "./server/tokens";

const CreateTokenInput = z.object({ name: z.string().trim().min(1, "Name the token: where it will be used (e.g. CI, a notebook).").max(100, "At most 100 characters.") });
const RevokeTokenInput = z.object({ id: z.uuid() });

// A token acts as the person who made it, with their roles (lib/api/server/route.ts), so
// anyone signed in makes and revokes their own; the studio's owner can revoke anyone's.

/** Creates a token; the answer is the only time the token itself is shown. */
export async function createApiTokenAction(input: unknown) {
  return action(CreateTokenInput, input, async ({ name }, caller) => {
    const t = await createApiToken(db(), (await tokenManager(db(), caller)).userId, name);
    return { id: t.id, name: t.name, token: t.token };
  }, { role: "member" });
}

export async function revokeApiTokenAction(input: unknown) {
  return action(RevokeTokenInput, input, async ({ id }, caller) => revokeApiToken(db(), id, await tokenManager(db(), caller)), { role: "member" });
}
