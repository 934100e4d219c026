"use client";
// The Team tab (issue 17, items 3-5), for editors: assign records to people with an
// overlap, follow each person's progress, read agreement (with overlap ≥ 2) and settle the
// records people disagree on. Data comes from the page (server); after a change the page
// is refreshed.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label } from "@/components/ui/field";
import { unwrap } from "@/lib/errors/client";
import type { RecordFilter } from "@/lib/records/filter";
import { progressText } from "@/lib/review/assignment";
import { assignAction } from "@/lib/review/actions";
import type { Member, TeamAgreement, TeamProgress } from "@/lib/review/server/team";
import { Adjudication } from "./adjudication";

export const figure = (x: number | null, digits = 2) => (x === null ? "—" : x.toFixed(digits));
export const percent = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

export function TeamView(props: { datasetId: string; members: Member[]; progress: TeamProgress; agreement: TeamAgreement; gridFilter: RecordFilter | null }) {
  const { agreement, progress } = props;
  return (
    <div className="space-y-8">
      <AssignForm {...props} />
      <section aria-labelledby="progress-title" className="space-y-2">
        <h2 id="progress-title" className="text-lg font-semibold">Progress</h2>
        {progress.people.length === 0 ? (
          <p className="text-sm text-stone-600">Nobody is assigned yet.</p>
        ) : (
          <>
            <p className="text-sm text-stone-700">
              {progress.complete.toLocaleString("en")} of {progress.records.toLocaleString("en")} assigned records complete (everyone assigned has decided).
            </p>
            <table className="text-sm">
              <thead>
                <tr className="text-left text-xs text-stone-600"><th className="pr-6">Person</th><th className="pr-6">Progress</th></tr>
              </thead>
              <tbody>
                {progress.people.map((p) => (
                  <tr key={p.userId}><td className="pr-6">{p.name}</td><td className="pr-6">{progressText(p.decided, p.assigned)}</td></tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section aria-labelledby="agreement-title" className="space-y-3">
        <h2 id="agreement-title" className="text-lg font-semibold">Agreement</h2>
        {agreement.questions[0].figures.units === 0 ? (
          <p className="text-sm text-stone-600">No record has two people&apos;s decisions yet: assign with 2 or more reviewers per record to measure agreement.</p>
        ) : (
          <>
            <table className="text-sm" aria-label="Agreement per question">
              <thead>
                <tr className="text-left text-xs text-stone-600">
                  <th className="pr-6">Question</th><th className="pr-6">Records compared</th><th className="pr-6">Percent agreement</th><th className="pr-6">Cohen&apos;s kappa</th><th className="pr-6">Krippendorff&apos;s alpha</th>
                </tr>
              </thead>
              <tbody>
                {agreement.questions.map((q) => (
                  <tr key={q.question}>
                    <th scope="row" className="pr-6 text-left font-normal">{q.question}</th>
                    <td className="pr-6">{q.figures.units.toLocaleString("en")}</td>
                    <td className="pr-6">{percent(q.figures.percent)}</td>
                    <td className="pr-6">{q.figures.kappa === null && q.figures.coders.length > 2 ? "per pair below" : figure(q.figures.kappa)}</td>
                    <td className="pr-6">{figure(q.figures.alpha)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {agreement.questions.map((q) =>
              q.figures.matrix.length === 0 ? null : (
                <table key={q.question} className="text-sm" aria-label={`Kappa per pair of people: ${q.question}`}>
                  <caption className="text-left text-xs font-medium text-stone-600">Per pair: {q.question}</caption>
                  <thead>
                    <tr className="text-left text-xs text-stone-600"><th className="pr-6">People</th><th className="pr-6">Records both answered</th><th className="pr-6">Agree</th><th className="pr-6">Kappa</th></tr>
                  </thead>
                  <tbody>
                    {q.figures.matrix.map((m) => (
                      <tr key={`${m.a}-${m.b}`}>
                        <td className="pr-6">{agreement.people[m.a] ?? m.a} × {agreement.people[m.b] ?? m.b}</td>
                        <td className="pr-6">{m.n}</td>
                        <td className="pr-6">{percent(m.percent)}</td>
                        <td className="pr-6">{figure(m.kappa)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ),
            )}
          </>
        )}
      </section>
      <Adjudication datasetId={props.datasetId} agreement={agreement} />
    </div>
  );
}

function AssignForm({ datasetId, members, gridFilter }: { datasetId: string; members: Member[]; gridFilter: RecordFilter | null }) {
  const router = useRouter();
  const [chosen, setChosen] = useState<string[]>([]);
  const [overlap, setOverlap] = useState("1");
  const [share, setShare] = useState("100");
  const [useFilter, setUseFilter] = useState(gridFilter !== null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const target = useFilter && gridFilter ? { filter: gridFilter } : { percent: Number(share) };
      const r = await unwrap(assignAction({ datasetId, target, userIds: chosen, overlap: Number(overlap) }));
      setMessage(
        `Assigned ${r.records.toLocaleString("en")} records (${r.assignments.toLocaleString("en")} assignments).` +
          (r.alreadyAssigned ? ` ${r.alreadyAssigned.toLocaleString("en")} already assigned were left as they are.` : ""),
      );
      router.refresh();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="assign-title" className="space-y-3">
      <h2 id="assign-title" className="text-lg font-semibold">Assign records</h2>
      <form onSubmit={submit} className="space-y-3 rounded-md border border-stone-200 bg-white p-4">
        <fieldset>
          <legend className="mb-1 text-xs font-medium text-stone-600">People</legend>
          {members.length === 0 && <p className="text-sm text-stone-600">Nobody is a member of this project yet: invite people in Settings → Team.</p>}
          {members.map((m) => (
            <label key={m.userId} className="mr-4 inline-flex items-center gap-1.5 text-sm">
              <input type="checkbox" checked={chosen.includes(m.userId)} onChange={(e) => setChosen((c) => (e.target.checked ? [...c, m.userId] : c.filter((x) => x !== m.userId)))} />
              {m.name} ({m.role})
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap gap-4">
          <div className="w-48">
            <Label htmlFor="assign-overlap" hint="k people per record">Reviewers per record</Label>
            <Input id="assign-overlap" type="number" min={1} max={10} value={overlap} onChange={(e) => setOverlap(e.target.value)} />
          </div>
          {gridFilter && (
            <label className="inline-flex items-center gap-1.5 self-end text-sm">
              <input type="checkbox" checked={useFilter} onChange={(e) => setUseFilter(e.target.checked)} />
              Only the records the grid&apos;s filter matches
            </label>
          )}
          {!(useFilter && gridFilter) && (
            <div className="w-48">
              <Label htmlFor="assign-share" hint="of records not yet assigned">Share of the dataset (%)</Label>
              <Input id="assign-share" type="number" min={1} max={100} value={share} onChange={(e) => setShare(e.target.value)} />
            </div>
          )}
        </div>
        <Button type="submit" variant="primary" disabled={busy}>{busy ? "Assigning…" : "Assign"}</Button>
        {message && <p role="status" className="text-sm text-emerald-800">{message}</p>}
        {error && <p role="alert" className="text-sm text-red-800">{error}</p>}
      </form>
    </section>
  );
}
