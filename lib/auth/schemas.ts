// Forms of the account pages, shared by the client and the actions.
import { z } from "zod";
import { ROLES } from "./roles";

export const MIN_PASSWORD = 10;
const Email = z.email({ error: "Enter an e-mail address, like ana@example.com." }).max(254).transform((s) => s.trim().toLowerCase());
const Password = z
  .string()
  .min(MIN_PASSWORD, { error: `Use at least ${MIN_PASSWORD} characters.` })
  .max(256, { error: "Use at most 256 characters." });
const Name = z.string().trim().min(1, { error: "Enter a name." }).max(100);

export const SignInInput = z.object({ email: Email, password: z.string().min(1, { error: "Enter your password." }).max(256) });
export const CreateOwnerInput = z.object({ name: Name, email: Email, password: Password });
export const ChangePasswordInput = z.object({ currentPassword: z.string().min(1, { error: "Enter your current password." }), newPassword: Password });
export const InviteInput = z.object({ projectId: z.uuid(), email: Email, role: z.enum(ROLES), days: z.number().int().min(1).max(30).default(7) });
export const AcceptInviteInput = z.object({ token: z.string().min(20).max(200), name: Name, password: Password });
export const CreateAccountInput = z.object({ projectId: z.uuid(), name: Name, email: Email, password: Password, role: z.enum(ROLES) });
export const SetRoleInput = z.object({ projectId: z.uuid(), userId: z.string().min(1).max(100), role: z.enum(ROLES).nullable() });
export const RevokeInvitationInput = z.object({ projectId: z.uuid(), invitationId: z.uuid() });
