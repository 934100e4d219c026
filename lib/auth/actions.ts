"use server";
// Sign-in, the owner's first account, invitations, members. Thin: each validates with the
// form's schema and calls one service in ./server/accounts.ts. better-auth's nextCookies
// plugin sets and clears the session cookie on the response of these actions.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { acceptInvitation, changePassword, createAccount, createInvitation, createOwner, revokeInvitation, setRole, signIn, signOut } from "./server/accounts";
import { auth } from "./server/auth";
import { actorOf } from "@/lib/audit/server/audit";
import { clientAddress, requestHeaders } from "./server/request";
import { AcceptInviteInput, ChangePasswordInput, CreateAccountInput, CreateOwnerInput, InviteInput, RevokeInvitationInput, SetRoleInput, SignInInput } from "./schemas";

export async function signInAction(input: unknown) {
  return action(
    SignInInput,
    input,
    async (data) => {
      await signIn(db(), auth(), data, clientAddress(await requestHeaders()));
    },
    { public: "signing in" },
  );
}

export async function createOwnerAction(input: unknown) {
  return action(
    CreateOwnerInput,
    input,
    async (data) => {
      await createOwner(db(), auth(), data);
      revalidatePath("/", "layout");
    },
    { public: "the first person to open a studio creates its owner; refused once an account exists" },
  );
}

export async function acceptInvitationAction(input: unknown) {
  return action(
    AcceptInviteInput,
    input,
    async (data) => {
      await acceptInvitation(db(), auth(), data);
      revalidatePath("/", "layout");
    },
    { public: "taking an invitation; the link's token is the credential" },
  );
}

const Nothing = z.strictObject({});

export async function signOutAction(input: unknown) {
  return action(Nothing, input ?? {}, async () => signOut(auth(), await requestHeaders()), { role: "member" });
}

export async function changePasswordAction(input: unknown) {
  return action(ChangePasswordInput, input, async (data) => changePassword(auth(), await requestHeaders(), data), { role: "member" });
}

/** Answers with the link's path; the token is shown this once and stored only as a hash. */
export async function inviteAction(input: unknown) {
  return action(
    InviteInput,
    input,
    async (data, caller) => {
      // No revalidatePath: the team page refreshes itself after showing the link.
      const { token, expiresAt } = await createInvitation(db(), { ...data, invitedById: caller?.user?.id ?? null }, new Date(), actorOf(caller));
      return { path: `/invite/${token}`, expiresAt: expiresAt.toISOString() };
    },
    { role: "owner", project: (d) => ({ projectId: d.projectId }) },
  );
}

export async function createAccountAction(input: unknown) {
  return action(
    CreateAccountInput,
    input,
    async (data, caller) => {
      await createAccount(db(), auth(), data, actorOf(caller));
      revalidatePath("/settings/team");
    },
    { role: "owner", project: (d) => ({ projectId: d.projectId }) },
  );
}

export async function setRoleAction(input: unknown) {
  return action(
    SetRoleInput,
    input,
    async (data, caller) => {
      await setRole(db(), data, actorOf(caller));
      revalidatePath("/settings/team");
    },
    { role: "owner", project: (d) => ({ projectId: d.projectId }) },
  );
}

export async function revokeInvitationAction(input: unknown) {
  return action(
    RevokeInvitationInput,
    input,
    // No revalidatePath: the button refreshes the team page itself.
    (data, caller) => revokeInvitation(db(), data, actorOf(caller)),
    { role: "owner", project: (d) => ({ projectId: d.projectId }) },
  );
}
