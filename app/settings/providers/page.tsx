import { NoAccess } from "@/components/auth/no-access";
import { refusedPage } from "@/lib/auth/server/page";
import { SettingsHeader } from "@/components/ui/settings-header";
import { ConnectionList } from "@/components/providers/connection-list";
import { PriceTable } from "@/components/providers/price-table";
import { SettingsNav } from "@/components/settings/settings-nav";
import { db } from "@/lib/db/server/prisma";
import { listConnections, listPrices } from "@/lib/providers/server/connections";

export const dynamic = "force-dynamic";
export const metadata = { title: "Providers · Datawright" };

export default async function ProvidersPage() {
  // Provider keys and prices are the studio owner's alone.
  const refused = await refusedPage({ role: "owner", studio: true }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const [connections, prices] = await Promise.all([listConnections(db()), listPrices(db())]);
  return (
    <div className="mx-auto max-w-4xl space-y-10">
      <SettingsHeader title="Providers">
        The model servers that generate your datasets, and what their tokens cost. API keys are encrypted at rest and never shown again.
      </SettingsHeader>
      <SettingsNav current="/settings/providers" />
      <section aria-label="Connections">
        <ConnectionList
          connections={connections.map((c) => ({
            id: c.id,
            name: c.name,
            preset: c.preset,
            baseUrl: c.baseUrl,
            defaultModel: c.defaultModel,
            maxConcurrency: c.maxConcurrency,
            hasKey: c.hasKey,
            apiKeyLast4: c.apiKeyLast4,
            activeRuns: c.activeRuns,
            keyUnreadable: c.keyUnreadable,
            updatedAt: c.updatedAt.toISOString(),
          }))}
        />
      </section>
      <section aria-label="Prices">
        <PriceTable prices={prices} />
      </section>
    </div>
  );
}
