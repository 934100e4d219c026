import "server-only";
// API tokens (lib/api/README.md): created with a name and shown once, listed by prefix,
// revoked, and checked on every API request. A token belongs to the person who made it
// and acts as them: their project roles, their studio role (lib/api/server/route.ts).
import type { Caller } from "@/lib/auth/server/access";
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import { bearerToken, hashToken, newToken, tokenPrefix } from "../tokens";
import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit } from "@/lib/audit/server/audit";
import { inTransaction } from "@/lib/db/server/transaction";

/**
 * Who manages tokens: a person, and whether they see and revoke everyone's (the studio's
 * owner). `userId` null: the one person of a studio with no account yet.
 */
export type TokenManager = { userId: string | null; studioOwner: boolean };

/**
 * The person a caller's tokens belong to. Signed in: themselves. One person on loopback
 * with no sign-in (lib/auth/README.md, modes): the studio's one account, its owner; with no
 * account yet, no one (null), which acts as the owner account once it exists.
 */
export async function tokenManager(db: Db, caller: Caller | null): Promise<TokenManager> {
  if (caller?.user) return { userId: caller.user.id, studioOwner: caller.user.studioOwner };
  const owner = await db.user.findFirst({ where: { studioRole: "owner" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  if (owner) return { userId: owner.id, studioOwner: true };
  if (caller?.mode === "single") return { userId: null, studioOwner: true };
  throw invalid("Sign in to manage your API tokens.");
}

/** `expiresInDays`: refused after that many days; left out, it lasts until revoked. `actor`: who the audit trail names. */
export async function createApiToken(db: Db, userId: string | null, name: string, expiresInDays?: number | null, { now = new Date(), actor = LOCAL_OWNER }: { now?: Date; actor?: Actor } = {}) {
  const token = newToken();
  const expiresAt = expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null;
  const row = await inTransaction(db, async (tx) => {
    const row = await tx.apiToken.create({
      data: { name, userId, prefix: tokenPrefix(token), hash: hashToken(token), expiresAt },
      select: { id: true, name: true, prefix: true, createdAt: true, expiresAt: true },
    });
    // The prefix tells tokens apart in the list; the token and its hash stay out of the trail.
    await audit(tx, actor, { action: "api-token.create", target: `“${name}” (${row.prefix}…)`, detail: { tokenId: row.id } });
    return row;
  });
  // The only time the token itself leaves the server.
  return { ...row, token };
}

/** A person's own tokens; the studio's owner sees everyone's, with whose each is. */
export async function listApiTokens(db: Db, who: TokenManager) {
  const rows = await db.apiToken.findMany({
    where: who.studioOwner ? {} : { userId: who.userId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true, userId: true, user: { select: { name: true, email: true } } },
  });
  // A token without a person is the owner's (see tokenManager).
  return rows.map(({ user, ...t }) => ({ ...t, mine: t.userId === who.userId || (t.userId === null && who.studioOwner), owner: user ? user.name || user.email : null }));
}

/** Revokes one of the caller's tokens (the studio's owner: anyone's). Someone else's token is "not found", not "forbidden": its id tells nothing. */
export async function revokeApiToken(db: Db, id: string, who: TokenManager, actor: Actor = LOCAL_OWNER) {
  const where = { id, ...(who.studioOwner ? {} : { userId: who.userId }) };
  const count = await inTransaction(db, async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
    const t = count > 0 ? await tx.apiToken.findUniqueOrThrow({ where: { id }, select: { name: true, prefix: true } }) : null;
    if (t) await audit(tx, actor, { action: "api-token.revoke", target: `“${t.name}” (${t.prefix}…)`, detail: { tokenId: id } });
    return count;
  });
  if (count === 0 && !(await db.apiToken.findFirst({ where, select: { id: true } }))) throw notFound("The token");
}

/** "Last used" is written at most this often per token: not one write per API call. */
const TOUCH_EVERY_MS = 60_000;

/** `userId` null: the studio has no account yet (single-user mode), and the token acts as its one person. */
export type AuthenticatedToken = { id: string; name: string; userId: string | null };

/**
 * The token of an API request and the person it acts as, or a 401 that says what is
 * wrong. One indexed read; the last-used time is refreshed when it is a minute old.
 * Whether that person may do what the request asks is the route's access rule, checked
 * as for a session (lib/auth/server/access.ts).
 */
export async function authenticateApiRequest(db: Db, req: Request): Promise<AuthenticatedToken> {
  const header = req.headers.get("authorization");
  const token = bearerToken(header);
  if (!token) {
    throw new DomainError(
      "unauthenticated",
      header ? "The Authorization header does not hold a Datawright API token (dw_…)." : "This API needs a token: send \"Authorization: Bearer dw_…\" (create one under Settings → API tokens).",
    );
  }
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(token) }, select: { id: true, name: true, revokedAt: true, expiresAt: true, lastUsedAt: true, userId: true } });
  // Deleting an account deletes its tokens, so a deleted person's token lands here too.
  if (!row) throw new DomainError("unauthenticated", "This API token is not known to this studio: it was never made here, or its account was deleted.");
  if (row.revokedAt) throw new DomainError("unauthenticated", `This API token ("${row.name}") was revoked.`);
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) {
    throw new DomainError("unauthenticated", `This API token ("${row.name}") expired on ${row.expiresAt.toISOString().slice(0, 10)}: create a new one under Settings → API tokens.`);
  }
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  // Made before the studio had an account: the owner's, once there is one.
  const userId = row.userId ?? (await db.user.findFirst({ where: { studioRole: "owner" }, orderBy: { createdAt: "asc" }, select: { id: true } }))?.id ?? null;
  return { id: row.id, name: row.name, userId };
}
