import { AddPersonForms, OwnerForm } from "@/components/auth/forms";
import { SettingsNav } from "@/components/settings/settings-nav";
import { SettingsHeader } from "@/components/ui/settings-header";
import { NoAccess } from "@/components/auth/no-access";
import { RevokeInvitation } from "@/components/auth/revoke-invitation";
import { currentCaller } from "@/lib/auth/server/access";
import { team } from "@/lib/auth/server/accounts";
import { refusedPage } from "@/lib/auth/server/page";
import { ROLE_LABEL, isRole } from "@/lib/auth/roles";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";
export const metadata = { title: "Team · Datawright" };

export default async function TeamPage() {
  const refused = await refusedPage({ role: "owner", studio: true }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const caller = await currentCaller();
  const { users, projects, invitations } = await team(db());
  return (
    <div className="mx-auto max-w-4xl space-y-10">
      <SettingsHeader title="Team">
        {caller.mode === "single"
          ? "One person, no sign-in. Create your owner account, then invite the others: from the second account on, everyone signs in."
          : "Who can do what, per project."}
      </SettingsHeader>
      <SettingsNav current="/settings/team" />
      {caller.accounts === 0 ? (
        <section aria-labelledby="owner-heading" className="space-y-3">
          <h2 id="owner-heading" className="text-lg font-medium">Your owner account</h2>
          <OwnerForm />
        </section>
      ) : (
        <>
          <section aria-labelledby="people-heading">
            <h2 id="people-heading" className="mb-3 text-lg font-medium">People</h2>
            <table className="w-full text-left text-sm">
              <thead>
                <tr className="border-b border-stone-200 text-stone-500">
                  <th className="py-2 font-medium">Name</th>
                  <th className="py-2 font-medium">E-mail</th>
                  <th className="py-2 font-medium">Roles</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} className="border-b border-stone-100">
                    <td className="py-2">{u.name}</td>
                    <td className="py-2">{u.email}</td>
                    <td className="py-2">
                      {u.studioRole === "owner"
                        ? "Owner of the studio"
                        : u.memberships
                            .map((m) => `${projects.find((p) => p.id === m.projectId)?.name ?? "?"}: ${isRole(m.role) ? ROLE_LABEL[m.role] : m.role}`)
                            .join(", ") || "No project"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {invitations.length > 0 && (
              <div className="mt-3 text-sm text-stone-500">
                <p>Open invitations:</p>
                <ul className="mt-1 space-y-1">
                  {invitations.map((i) => (
                    <li key={i.id} className="flex items-center gap-2">
                      <span>
                        {i.email} ({i.role}, {projects.find((p) => p.id === i.projectId)?.name ?? "?"}, until {i.expiresAt.toLocaleDateString()})
                      </span>
                      <RevokeInvitation projectId={i.projectId} invitationId={i.id} email={i.email} />
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
          {projects.map((p) => (
            <section key={p.id} aria-labelledby={`project-${p.id}`} className="space-y-4 rounded-lg border border-stone-200 bg-white p-4">
              <h2 id={`project-${p.id}`} className="text-lg font-medium">Add someone to {p.name}</h2>
              <AddPersonForms projectId={p.id} />
            </section>
          ))}
        </>
      )}
    </div>
  );
}
