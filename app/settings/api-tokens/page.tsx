import { ApiTokens } from "@/components/settings/api-tokens";
import { SettingsNav } from "@/components/settings/settings-nav";
import { listApiTokens } from "@/lib/api/server/tokens";
import { db } from "@/lib/db/server/prisma";

export const dynamic = "force-dynamic";
export const metadata = { title: "API tokens · Datawright" };

export default async function ApiTokensPage() {
  const tokens = await listApiTokens(db());
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <p className="mb-2 text-sm text-stone-500">Settings</p>
        <h1 className="mb-1 text-2xl font-semibold tracking-tight">API tokens</h1>
        <p className="text-sm text-stone-500">
          Tokens for the HTTP API and the command line (<code>./studio cli</code>). A token is shown once when created and stored only as a hash; revoke it
          when it is no longer needed.
        </p>
      </div>
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
