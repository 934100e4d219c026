import { NoAccess } from "@/components/auth/no-access";
import { ApiTokens } from "@/components/settings/api-tokens";
import { SettingsHeader } from "@/components/ui/settings-header";
import { refusedPage } from "@/lib/auth/server/page";
import { SettingsNav } from "@/components/settings/settings-nav";
import { listApiTokens, tokenManager } from "@/lib/api/server/tokens";
import { currentCaller } from "@/lib/auth/server/access";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";
export const metadata = { title: "API tokens · Datawright" };

export default async function ApiTokensPage() {
  // A token acts as its maker, with their roles: anyone signed in makes their own, and the
  // studio's owner sees (and can revoke) everyone's.
  const refused = await refusedPage({ role: "member" }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const caller = await currentCaller();
  const who = await tokenManager(db(), caller);
  const tokens = await listApiTokens(db(), who);
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <SettingsHeader title="API tokens">
        Tokens for the HTTP API and the command line (<code>./studio cli</code>). A token acts as you, with your roles in each project: it can do through
        the API what you can do here, no more. It is shown once when created and stored only as a hash. Revoke it when it is no longer needed.
        {caller.mode === "accounts" && who.studioOwner && <> As the studio&apos;s owner you see everyone&apos;s tokens and can revoke any of them.</>}
      </SettingsHeader>
      <SettingsNav current="/settings/api-tokens" all={caller.mode === "single" || !!caller.user?.studioOwner} />
      <ApiTokens
        showOwners={caller.mode === "accounts" && who.studioOwner}
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt?.toISOString() ?? null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
          owner: t.mine ? "you" : (t.owner ?? "you"),
        }))}
      />
    </div>
  );
}
