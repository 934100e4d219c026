import { NoAccess } from "@/components/auth/no-access";
import { TeamView } from "@/components/team/team-view";
import { refusedPage } from "@/lib/auth/server/page";
import { db } from "@/lib/db/server/prisma";
import { rawPool } from "@/lib/db/copy/server/raw-pg";
import { filterFromParam } from "@/lib/records/filter";
import { datasetMembers, teamAgreement, teamProgress } from "@/lib/review/server/team";
import { loadDataset } from "../load-dataset";

export const dynamic = "force-dynamic";

// Assignments, per-person progress, agreement and adjudication: an editor's page.
export default async function DatasetTeamPage({ params, searchParams }: { params: Promise<{ datasetId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { datasetId } = await params;
  await loadDataset(datasetId);
  const refused = await refusedPage({ role: "editor", project: () => ({ datasetId }) }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const [members, progress, agreement] = await Promise.all([datasetMembers(db(), datasetId), teamProgress(db(), datasetId), teamAgreement(db(), rawPool(), datasetId)]);
  const filter = (await searchParams).filter ? filterFromParam((await searchParams).filter) : null;
  return <TeamView datasetId={datasetId} members={members} progress={progress} agreement={agreement} gridFilter={filter} />;
}
