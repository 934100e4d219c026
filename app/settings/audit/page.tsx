import { NoAccess } from "@/components/auth/no-access";
import { AuditLog } from "@/components/settings/audit-log";
import { SettingsNav } from "@/components/settings/settings-nav";
import { SettingsHeader } from "@/components/ui/settings-header";
import { AUDIT_PAGE_SIZE } from "@/lib/audit/events";
import { auditFilters, listAudit } from "@/lib/audit/server/list";
import { refusedPage } from "@/lib/auth/server/page";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit · Datawright" };

export default async function AuditPage() {
  // The same rule as listAuditAction: the studio's owner alone, also by URL.
  const refused = await refusedPage({ role: "owner", studio: true }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const [first, filters] = await Promise.all([listAudit(db(), { limit: AUDIT_PAGE_SIZE }), auditFilters(db())]);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <SettingsHeader title="Audit">
        Who did what and when: review decisions, edits and labels, exports, provider keys, roles, invitations, accounts, API tokens and runs. Newest first; kept in
        the database, written with each change.
      </SettingsHeader>
      <SettingsNav current="/settings/audit" />
      <AuditLog first={first} filters={filters} />
    </div>
  );
}
