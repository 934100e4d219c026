import "server-only";
// Accounts, invitations and members. better-auth keeps users, password hashes and
// sessions; what it does not know (the owner of the studio, roles per project,
// invitations to a project, the slow-down) is here. Each takes the database and the auth
// instance, so tests run them against a throwaway database with a studio's own secret.
import { createHash, randomBytes } from "node:crypto";
import { isAPIError } from "better-auth/api";
import { conflict, DomainError, invalid, notFound } from "@/lib/errors/domain-error";
import type { Db } from "@/lib/db/server/prisma";
import type { Role } from "../roles";
import { waitMessage } from "../throttle";
import type { Auth } from "./auth";
import { accountKey, addressKey, clearFailures, recordFailure, waitFor } from "./throttle";
import { LOCAL_OWNER, type Actor } from "@/lib/audit/events";
import { audit } from "@/lib/audit/server/audit";
import { inTransaction } from "@/lib/db/server/transaction";

export type SignedIn = { userId: string; setCookie: string[] };

function cookiesOf(headers: Headers): string[] {
  return headers.getSetCookie();
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The first account, which owns the studio. Refused once any account exists: the owner
 * invites or creates the others. Two people creating it at once: the earlier row wins, the
 * other is removed and told.
 */
export async function createOwner(database: Db, auth: Auth, input: { name: string; email: string; password: string }, headers = new Headers()): Promise<SignedIn> {
  if ((await database.user.count()) > 0) throw conflict("This studio already has an owner. Sign in, or ask the owner for an invitation.");
  const { headers: out, response } = await auth.api.signUpEmail({ body: input, headers, returnHeaders: true });
  const first = await database.user.findFirst({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { id: true } });
  if (first?.id !== response.user.id) {
    await database.user.delete({ where: { id: response.user.id } });
    throw conflict("Someone else created the owner account a moment ago. Sign in, or ask the owner for an invitation.");
  }
  // better-auth wrote the user on its own connection; the owner role and its audit event commit together.
  await inTransaction(database, async (tx) => {
    await tx.user.update({ where: { id: response.user.id }, data: { studioRole: "owner" } });
    await audit(tx, { userId: response.user.id, name: input.name || input.email }, { action: "team.account", target: input.email, detail: { userId: response.user.id, role: "owner of the studio" } });
  });
  return { userId: response.user.id, setCookie: cookiesOf(out) };
}

/**
 * Signs in with e-mail and password. After repeated failures for the account or from the
 * address, attempts are refused unheard until the wait is over (lib/auth/throttle.ts), so
 * guessing during the wait learns nothing.
 */
export async function signIn(database: Db, auth: Auth, input: { email: string; password: string }, address: string, now = new Date()): Promise<SignedIn> {
  const keys = [accountKey(input.email), addressKey(address)];
  const wait = await waitFor(database, keys, now);
  if (wait > 0) throw new DomainError("too_many", waitMessage(wait));
  try {
    const { headers, response } = await auth.api.signInEmail({ body: input, headers: new Headers({ "x-forwarded-for": address }), returnHeaders: true });
    await clearFailures(database, [accountKey(input.email)]);
    return { userId: response.user.id, setCookie: cookiesOf(headers) };
  } catch (e) {
    if (!isAPIError(e)) throw e;
    await recordFailure(database, keys, now);
    // One message for an unknown address and a wrong password: which e-mails have accounts is not told.
    throw new DomainError("unauthenticated", "The e-mail or the password is not right.", { password: "The e-mail or the password is not right." });
  }
}

export async function signOut(auth: Auth, headers: Headers): Promise<void> {
  await auth.api.signOut({ headers });
}

/** Changes the signed-in person's password and ends their other sessions. */
export async function changePassword(auth: Auth, headers: Headers, input: { currentPassword: string; newPassword: string }): Promise<void> {
  try {
    await auth.api.changePassword({ body: { ...input, revokeOtherSessions: true }, headers });
  } catch (e) {
    if (isAPIError(e) && /password/i.test(e.message)) throw invalid("The current password is not right.", { currentPassword: "The current password is not right." });
    throw e;
  }
}

/**
 * An invitation link to one project with one role: single use, expiring after `days`.
 * Only the token's hash is stored; the link is shown once, to the owner who made it.
 */
export async function createInvitation(
  database: Db,
  input: { projectId: string; email: string; role: Role; days: number; invitedById: string | null },
  now = new Date(),
  actor: Actor = LOCAL_OWNER,
): Promise<{ token: string; expiresAt: Date }> {
  if (!(await database.project.findUnique({ where: { id: input.projectId }, select: { id: true } }))) throw notFound("The project");
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + input.days * 86_400_000);
  await inTransaction(database, async (tx) => {
    const inv = await tx.invitation.create({
      data: { tokenHash: hashToken(token), email: input.email, projectId: input.projectId, role: input.role, invitedById: input.invitedById, expiresAt },
    });
    // Never the token, nor its hash.
    await audit(tx, actor, { action: "team.invite", projectId: input.projectId, target: input.email, detail: { invitationId: inv.id, role: input.role, expiresAt: expiresAt.toISOString() } });
  });
  return { token, expiresAt };
}

/**
 * Withdraws an open invitation: the row goes (its link then reads "not found"); the audit
 * trail keeps who was invited and who withdrew it. A used or unknown one is not found.
 */
export async function revokeInvitation(database: Db, input: { projectId: string; invitationId: string }, actor: Actor = LOCAL_OWNER): Promise<void> {
  await inTransaction(database, async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: input.invitationId, projectId: input.projectId, usedAt: null }, select: { email: true, role: true } });
    const { count } = await tx.invitation.deleteMany({ where: { id: input.invitationId, projectId: input.projectId, usedAt: null } });
    if (!inv || count === 0) throw notFound("That open invitation");
    await audit(tx, actor, { action: "team.invite-revoke", projectId: input.projectId, target: inv.email, detail: { invitationId: input.invitationId, role: inv.role } });
  });
}

/** What an invitation link holds, or why it cannot be used (for the page before the form). */
export async function readInvitation(database: Db, token: string, now = new Date()) {
  const inv = await database.invitation.findUnique({ where: { tokenHash: hashToken(token) }, include: { project: { select: { name: true } } } });
  if (!inv) throw notFound("This invitation");
  if (inv.usedAt) throw conflict("This invitation has been used already. Sign in, or ask the owner for a new one.");
  if (inv.expiresAt <= now) throw conflict("This invitation has expired. Ask the owner for a new one.");
  return { email: inv.email, role: inv.role as Role, projectName: inv.project.name, expiresAt: inv.expiresAt };
}

/**
 * Takes an invitation: creates the invitee's account, signs them in and makes them a
 * member. The link is marked used only if still unused, in the same statement that checks
 * it, so two people with one link cannot both get in: the loser's new account is removed.
 */
export async function acceptInvitation(
  database: Db,
  auth: Auth,
  input: { token: string; name: string; password: string },
  now = new Date(),
): Promise<SignedIn> {
  const inv = await readInvitation(database, input.token, now);
  if (await database.user.findUnique({ where: { email: inv.email }, select: { id: true } }))
    throw conflict(`An account for ${inv.email} exists already: sign in, and ask the owner to add it to the project.`);
  const { headers, response } = await auth.api.signUpEmail({ body: { name: input.name, email: inv.email, password: input.password }, returnHeaders: true });
  const newcomer = { userId: response.user.id, name: input.name || inv.email };
  const taken = await inTransaction(database, async (tx) => {
    const taken = await tx.invitation.updateMany({
      where: { tokenHash: hashToken(input.token), usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (taken.count !== 1) return false;
    const { id, projectId } = await tx.invitation.findUniqueOrThrow({ where: { tokenHash: hashToken(input.token) }, select: { id: true, projectId: true } });
    await tx.projectMember.create({ data: { projectId, userId: response.user.id, role: inv.role } });
    await audit(tx, newcomer, { action: "team.account", projectId, target: inv.email, detail: { userId: response.user.id, role: inv.role, via: "invitation" } });
    await audit(tx, newcomer, { action: "team.invite-used", projectId, target: inv.email, detail: { invitationId: id, role: inv.role } });
    return true;
  });
  if (!taken) {
    await database.user.delete({ where: { id: response.user.id } });
    throw conflict("This invitation has been used already. Sign in, or ask the owner for a new one.");
  }
  return { userId: response.user.id, setCookie: cookiesOf(headers) };
}

/** The owner makes an account for someone (who then signs in with the password given). */
export async function createAccount(
  database: Db,
  auth: Auth,
  input: { projectId: string; name: string; email: string; password: string; role: Role },
  actor: Actor = LOCAL_OWNER,
): Promise<{ userId: string }> {
  if (await database.user.findUnique({ where: { email: input.email }, select: { id: true } }))
    throw conflict(`An account for ${input.email} exists already.`);
  const ctx = await auth.$context;
  const user = await ctx.internalAdapter.createUser({ name: input.name, email: input.email, emailVerified: false }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await ctx.password.hash(input.password) });
  await inTransaction(database, async (tx) => {
    await tx.projectMember.create({ data: { projectId: input.projectId, userId: user.id, role: input.role } });
    await audit(tx, actor, { action: "team.account", projectId: input.projectId, target: input.email, detail: { userId: user.id, role: input.role } });
  });
  return { userId: user.id };
}

/** Sets or (role null) removes someone's role in a project. */
export async function setRole(database: Db, input: { projectId: string; userId: string; role: Role | null }, actor: Actor = LOCAL_OWNER): Promise<void> {
  await inTransaction(database, async (tx) => {
    const person = await tx.user.findUnique({ where: { id: input.userId }, select: { name: true, email: true, memberships: { where: { projectId: input.projectId }, select: { role: true } } } });
    const previous = person?.memberships[0]?.role ?? null;
    if (input.role === null) {
      await tx.projectMember.deleteMany({ where: { projectId: input.projectId, userId: input.userId } });
    } else {
      await tx.projectMember.upsert({
        where: { projectId_userId: { projectId: input.projectId, userId: input.userId } },
        create: { projectId: input.projectId, userId: input.userId, role: input.role },
        update: { role: input.role },
      });
    }
    if (previous !== input.role)
      await audit(tx, actor, { action: "team.role", projectId: input.projectId, target: person ? `${person.name} <${person.email}>` : input.userId, detail: { userId: input.userId, role: input.role, previous } });
  });
}

/** Everyone with their role per project, and the open invitations (never their links). */
export async function team(database: Db, now = new Date()) {
  const [users, projects, invitations] = await Promise.all([
    database.user.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, name: true, email: true, studioRole: true, memberships: { select: { projectId: true, role: true } } } }),
    database.project.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, name: true } }),
    database.invitation.findMany({ where: { usedAt: null, expiresAt: { gt: now } }, orderBy: { createdAt: "desc" }, select: { id: true, email: true, role: true, projectId: true, expiresAt: true } }),
  ]);
  return { users, projects, invitations };
}
