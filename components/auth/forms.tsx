"use client";
// The account pages' forms, each over one action of lib/auth/actions.ts.
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorText, Label } from "@/components/ui/field";
import {
  acceptInvitationAction,
  changePasswordAction,
  createAccountAction,
  createOwnerAction,
  inviteAction,
  signInAction,
  signOutAction,
} from "@/lib/auth/actions";
import { MIN_PASSWORD } from "@/lib/auth/schemas";
import { ROLE_LABEL, ROLE_MEANING, ROLES, type Role } from "@/lib/auth/roles";
import { unwrap } from "@/lib/errors/client";
import { AccountForm } from "./account-form";

const newPassword = (name = "password", label = "Password") =>
  ({ name, label, type: "password", autoComplete: "new-password", hint: `At least ${MIN_PASSWORD} characters` }) as const;

export function SignInForm({ next }: { next: string }) {
  return (
    <AccountForm
      fields={[
        { name: "email", label: "E-mail", type: "email", autoComplete: "username" },
        { name: "password", label: "Password", type: "password", autoComplete: "current-password" },
      ]}
      submitLabel="Sign in"
      pendingLabel="Signing in…"
      run={(v) => signInAction(v)}
      then={next}
    />
  );
}

export function OwnerForm() {
  return (
    <AccountForm
      fields={[{ name: "name", label: "Your name", autoComplete: "name" }, { name: "email", label: "E-mail", type: "email", autoComplete: "username" }, newPassword()]}
      submitLabel="Create the owner account"
      pendingLabel="Creating…"
      run={(v) => createOwnerAction(v)}
      then="/"
    />
  );
}

export function AcceptInvitationForm({ token }: { token: string }) {
  return (
    <AccountForm
      fields={[{ name: "name", label: "Your name", autoComplete: "name" }, newPassword()]}
      extra={{ token }}
      submitLabel="Create my account"
      pendingLabel="Creating…"
      run={(v) => acceptInvitationAction(v)}
      then="/"
    />
  );
}

export function ChangePasswordForm() {
  return (
    <AccountForm
      fields={[{ name: "currentPassword", label: "Current password", type: "password", autoComplete: "current-password" }, newPassword("newPassword", "New password")]}
      submitLabel="Change password"
      pendingLabel="Changing…"
      run={(v) => changePasswordAction(v)}
      done={() => <p className="text-sm text-emerald-700">Password changed. Your other sessions were signed out.</p>}
    />
  );
}

export function SignOutButton() {
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <Button
        onClick={() =>
          unwrap(signOutAction({}))
            .then(() => window.location.assign("/sign-in"))
            .catch((e: Error) => setError(e.message))
        }
      >
        Sign out
      </Button>
      <div aria-live="polite">{error && <ErrorText>{error}</ErrorText>}</div>
    </div>
  );
}

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (r: Role) => void }) {
  return (
    <div>
      <Label htmlFor={id}>Role</Label>
      <select id={id} className="rounded border border-stone-300 px-2 py-1.5 text-sm" value={value} onChange={(e) => onChange(e.target.value as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {ROLE_LABEL[r]}: {ROLE_MEANING[r]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Invite by link, or make the account directly, for one project. */
export function AddPersonForms({ projectId }: { projectId: string }) {
  const [role, setRole] = useState<Role>("annotator");
  return (
    <div className="grid gap-8 md:grid-cols-2">
      <section aria-labelledby={`invite-${projectId}`} className="space-y-3">
        <h3 id={`invite-${projectId}`} className="font-medium">Invite by link</h3>
        <RoleSelect id={`invite-role-${projectId}`} value={role} onChange={setRole} />
        <AccountForm
          fields={[{ name: "email", label: "Their e-mail", type: "email" }]}
          extra={{ projectId, role, days: 7 }}
          submitLabel="Make invitation link"
          pendingLabel="Making…"
          run={(v) => inviteAction(v)}
          done={(d: { path: string; expiresAt: string }) => (
            <p className="text-sm">
              Send this link; it works once, until {new Date(d.expiresAt).toLocaleString()}:{" "}
              <code className="break-all rounded bg-stone-100 px-1" data-testid="invitation-link">
                {`${window.location.origin}${d.path}`}
              </code>
            </p>
          )}
        />
      </section>
      <section aria-labelledby={`create-${projectId}`} className="space-y-3">
        <h3 id={`create-${projectId}`} className="font-medium">Create the account</h3>
        <RoleSelect id={`create-role-${projectId}`} value={role} onChange={setRole} />
        <AccountForm
          fields={[{ name: "name", label: "Their name" }, { name: "email", label: "Their e-mail", type: "email" }, newPassword("password", "Their password")]}
          extra={{ projectId, role }}
          submitLabel="Create account"
          pendingLabel="Creating…"
          run={(v) => createAccountAction(v)}
        />
      </section>
    </div>
  );
}
