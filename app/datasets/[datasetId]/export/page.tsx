import { NoAccess } from "@/components/auth/no-access";
import { refusedPage } from "@/lib/auth/server/page";
import { ExportPanel } from "@/components/export/export-panel";
import { ImportPanel } from "@/components/import/import-panel";
import { db } from "@/lib/db/server/prisma";
import { exportSetup } from "@/lib/export/server/setup";
import { filterFromParam } from "@/lib/records/filter";

export const dynamic = "force-dynamic";

export default async function DatasetExportPage({ params, searchParams }: { params: Promise<{ datasetId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { datasetId } = await params;
  const refused = await refusedPage({ role: "editor", project: () => ({ datasetId }) }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const setup = await exportSetup(db(), datasetId);
  const initialFilter = filterFromParam((await searchParams).filter);
  return (
    <div className="space-y-8">
      {/* A new filter link, new fields (after an import) or first records start the form afresh. */}
      <ExportPanel key={`${JSON.stringify(initialFilter)}|${setup.fields.join(",")}|${setup.counts.total > 0}`} datasetId={datasetId} setup={setup} initialFilter={initialFilter} />
      <ImportPanel datasetId={datasetId} fields={setup.fields} />
    </div>
  );
}
