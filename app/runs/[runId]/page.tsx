import { NoAccess } from "@/components/auth/no-access";
import { refusedPage } from "@/lib/auth/server/page";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunMonitor } from "@/components/runs/run-monitor";
import { db } from "@/lib/db/server/prisma";
import { runProgress } from "@/lib/runs/server/progress";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  const refused = await refusedPage({ role: "editor", project: () => ({ runId }) }, undefined);
  if (refused) return <NoAccess message={refused} />;
  if (!/^[0-9a-f-]{36}$/i.test(runId)) notFound();
  const run = await db().run.findUnique({ where: { id: runId }, include: { dataset: { select: { id: true, name: true, project: { select: { id: true, name: true } } } } } });
  if (!run) notFound();
  const initial = await runProgress(db(), runId);
  return (
    <div>
      <nav className="mb-2 text-sm text-stone-500">
        <Link href="/" className="hover:underline">Projects</Link> /{" "}
        <Link href={`/projects/${run.dataset.project.id}`} className="hover:underline">{run.dataset.project.name}</Link> /{" "}
        <Link href={`/datasets/${run.dataset.id}/runs`} className="hover:underline">{run.dataset.name}</Link> / <span className="text-stone-700">Run</span>
      </nav>
      <RunMonitor initial={initial} />
    </div>
  );
}
