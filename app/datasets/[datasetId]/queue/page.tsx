import { NoAccess } from "@/components/auth/no-access";
import { QueueView } from "@/components/team/queue-view";
import { currentCaller } from "@/lib/auth/server/access";
import { refusedPage } from "@/lib/auth/server/page";
import { db } from "@/lib/db/server/prisma";
import { readLabelSchema } from "@/lib/review/labels";
import { myQueue } from "@/lib/review/server/team";
import { loadDataset } from "../load-dataset";

export const dynamic = "force-dynamic";

/** How many of a person's records the queue page holds at once; it reloads for more. */
const QUEUE_PAGE = 200;

// "My queue": the records assigned to the signed-in person, undecided first.
export default async function DatasetQueuePage({ params }: { params: Promise<{ datasetId: string }> }) {
  const { datasetId } = await params;
  const dataset = await loadDataset(datasetId);
  const refused = await refusedPage({ role: "annotator", project: () => ({ datasetId }) }, undefined);
  if (refused) return <NoAccess message={refused} />;
  const caller = await currentCaller({ datasetId });
  if (!caller.user) return <NoAccess message="Queues are per person: create accounts (Settings → Team) and sign in to have one." />;
  return <QueueView datasetId={datasetId} queue={await myQueue(db(), datasetId, caller.user.id, { offset: 0, limit: QUEUE_PAGE })} labelSchema={readLabelSchema(dataset.labelSchema)} />;
}
