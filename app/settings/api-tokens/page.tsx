import { NoAccess } from "@/components/auth/no-access";
import { ApiTokens } from "@/components/settings/api-tokens";
import { SettingsHeader } from "@/components/ui/settings-header";
import { refusedPage } from "@/lib/auth/server/page";
import { SettingsNav } from "@/components/settings/settings-nav";
import { listApiTokens } from "@/lib/api/server/tokens";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";
export const metadata = { title: "API tokens · Datawright" };

export default async function ApiTokensPage() {
  // Tokens act for the studio: the studio owner's alone, like provider keys.
  const refused = await refusedPage({ role: "owner", studio: true }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const tokens = await listApiTokens(db());
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <SettingsHeader title="API tokens">
        Tokens for the HTTP API and the command line (<code>./studio cli</code>). A token acts as the studio&apos;s owner; it is shown once when created and
        stored only as a hash. Revoke it when it is no longer needed.
      </SettingsHeader>
      <SettingsNav current="/settings/api-tokens" />
      <ApiTokens
        tokens={tokens.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          revokedAt: t.revokedAt?.toISOString() ?? null,
        }))}
      />
    </div>
  );
}
