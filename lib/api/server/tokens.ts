import "server-only";
// API tokens (lib/api/README.md): created with a name and shown once, listed by prefix,
// revoked, and checked on every API request.
import type { Db } from "@/lib/db/server/prisma";
import { DomainError, notFound } from "@/lib/errors/domain-error";
import { bearerToken, hashToken, newToken, tokenPrefix } from "../tokens";
import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit } from "@/lib/audit/server/audit";
import { inTransaction } from "@/lib/db/server/transaction";

export async function createApiToken(db: Db, name: string, actor: Actor = LOCAL_OWNER) {
  const token = newToken();
  const row = await inTransaction(db, async (tx) => {
    const row = await tx.apiToken.create({ data: { name, prefix: tokenPrefix(token), hash: hashToken(token) }, select: { id: true, name: true, prefix: true, createdAt: true } });
    // The prefix tells tokens apart in the list; the token and its hash stay out of the trail.
    await audit(tx, actor, { action: "api-token.create", target: `“${name}” (${row.prefix}…)`, detail: { tokenId: row.id } });
    return row;
  });
  // The only time the token itself leaves the server.
  return { ...row, token };
}

export async function listApiTokens(db: Db) {
  return db.apiToken.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
}

export async function revokeApiToken(db: Db, id: string, actor: Actor = LOCAL_OWNER) {
  const count = await inTransaction(db, async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    const t = count > 0 ? await tx.apiToken.findUniqueOrThrow({ where: { id }, select: { name: true, prefix: true } }) : null;
    if (t) await audit(tx, actor, { action: "api-token.revoke", target: `“${t.name}” (${t.prefix}…)`, detail: { tokenId: id } });
    return count;
  });
  if (count === 0 && !(await db.apiToken.findUnique({ where: { id }, select: { id: true } }))) throw notFound("The token");
}

/** "Last used" is written at most this often per token: not one write per API call. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The token of an API request, or a 401 that says what is wrong. One indexed read; the
 * last-used time is refreshed when it is a minute old.
 */
export async function authenticateApiRequest(db: Db, req: Request) {
  const header = req.headers.get("authorization");
  const token = bearerToken(header);
  if (!token) {
    throw new DomainError(
      "unauthenticated",
      header ? "The Authorization header does not hold a Datawright API token (dw_…)." : "This API needs a token: send \"Authorization: Bearer dw_…\" (create one under Settings → API tokens).",
    );
  }
  const row = await db.apiToken.findUnique({ where: { hash: hashToken(token) }, select: { id: true, name: true, revokedAt: true, lastUsedAt: true } });
  if (!row) throw new DomainError("unauthenticated", "This API token is not known to this studio.");
  if (row.revokedAt) throw new DomainError("unauthenticated", `This API token ("${row.name}") was revoked.`);
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { id: row.id, name: row.name };
}
