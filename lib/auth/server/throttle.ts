import "server-only";
// Failed sign-ins per account and per address, in the database so the slow-down holds
// across processes and restarts (the pure rule: lib/auth/throttle.ts).
import type { Db } from "@/lib/db/server/prisma";
import { FORGET_AFTER_MS, remainingWait } from "../throttle";

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (address: string) => `address:${address}`;

/** Milliseconds the caller must still wait (the longest over `keys`). */
export async function waitFor(database: Db, keys: string[], now = new Date()): Promise<number> {
  const rows = await database.authFailure.findMany({ where: { key: { in: keys } } });
  return Math.max(0, ...rows.map((r) => remainingWait(r, now)));
}

export async function recordFailure(database: Db, keys: string[], now = new Date()): Promise<void> {
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
  for (const key of keys) {
    // One statement per key: concurrent failures each count.
    await database.$executeRaw`
      insert into "AuthFailure" (key, failures, "lastFailAt") values (${key}, 1, ${now})
      on conflict (key) do update set
        failures = case when "AuthFailure"."lastFailAt" < ${forgetBefore} then 1 else "AuthFailure".failures + 1 end,
        "lastFailAt" = ${now}`;
  }
}

export async function clearFailures(database: Db, keys: string[]): Promise<void> {
  await database.authFailure.deleteMany({ where: { key: { in: keys } } });
}
