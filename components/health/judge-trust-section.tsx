"use client";
// The Health tab's Judges section, "Can I trust the judge?" (issue 15): each judge
// criterion against what people decided, as accuracy and Cohen's kappa with the count
// behind them and a 95% interval, the confusion matrix, a chart of people's decisions per
// score, and the same per sampler value, worst first (the judge may be fine on stories
// about animals and poor on plot twists). The figures come from grouped counts
// (lib/quality/server/agreement.ts); the user moves the judge's bar and they follow.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { EmptyState } from "@/components/ui/empty-state";
import { agreementSentence, JUDGE_GOOD, thresholdText, type Agreement } from "@/lib/quality/agreement";
import { judgeTrustAction } from "@/lib/quality/actions";
import type { CriterionTrust, JudgeTrust, Thresholds } from "@/lib/quality/server/agreement";
import { unwrap } from "@/lib/errors/client";
import { recordsHref } from "@/lib/records/filter";
import type { Threshold } from "@/lib/runs/schemas";
import { StatTable } from "@/components/ui/stat-table";
import { Figure } from "./health-view";

const ACCEPTED = "#4f46e5";
const REJECTED = "#b91c1c";
/** Sampler values listed per criterion before "show all". */
const SAMPLER_ROWS = 8;
const num = (x: number) => x.toLocaleString("en-US");
const pct = (x: number | null) => (x === null ? "–" : `${Math.round(x * 100)}%`);

function accuracyText(a: Agreement) {
  if (a.accuracy === null) return "–";
  return `${pct(a.accuracy)}${a.accuracyCi ? ` (${pct(a.accuracyCi.low)}–${pct(a.accuracyCi.high)})` : ""}`;
}
function kappaText(a: Agreement) {
  if (a.kappa === null) return a.n ? "undefined" : "–";
  return `${a.kappa.toFixed(2)}${a.kappaCi ? ` (${a.kappaCi.low.toFixed(2)}–${a.kappaCi.high.toFixed(2)})` : ""}`;
}

export function JudgeTrustSection({ datasetId }: { datasetId: string }) {
  const headingId = useId();
  const [thresholds, setThresholds] = useState<Thresholds | undefined>(undefined);
  const trust = useQuery({
    queryKey: ["judge-trust", datasetId, thresholds],
    queryFn: () => unwrap<JudgeTrust>(judgeTrustAction({ datasetId, thresholds })),
    // Moving a threshold keeps the figures on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
  const t = trust.data;
  const setThreshold = (judge: string, criterion: string, threshold: Threshold) =>
    setThresholds({ ...(t?.thresholds ?? {}), [judge]: { ...(t?.thresholds[judge] ?? {}), [criterion]: threshold } });

  // No judge in the blueprint: nothing to measure, and the section says how to get one.
  if (t && t.criteria.length === 0) return null;
  return (
    <section aria-labelledby={headingId} className="space-y-4" data-testid="judge-trust">
      <h2 id={headingId} className="text-lg font-semibold text-stone-800">Judges: can I trust them?</h2>
      {trust.error && <p role="alert" className="text-sm text-red-700">Could not measure the judges: {trust.error.message}</p>}
      {!t && !trust.error && <p className="text-sm text-stone-500" role="status">Measuring the judges against people&apos;s decisions…</p>}
      {t && t.decided === 0 && (
        <EmptyState title="Review some records first: agreement needs human decisions">
          <p>
            Accept or reject records on the <Link className="text-indigo-700 underline" href={`/datasets/${datasetId}/records`}>Records</Link> tab (sort by
            &ldquo;Judge least sure first&rdquo; to start where it matters). Each judge criterion is then compared with those decisions here.
          </p>
        </EmptyState>
      )}
      {t && t.decided > 0 && (
        <>
          <p className="text-sm text-stone-600" aria-live="polite" data-testid="judge-trust-summary">
            Compared on {num(t.decided)} record{t.decided === 1 ? "" : "s"} people accepted or rejected. The judge &ldquo;says good&rdquo; when a score meets the bar you set below;
            intervals are 95% (Wilson for accuracy, the large-sample standard error for kappa).{trust.isFetching ? " Updating…" : ""}
          </p>
          {t.criteria.map((c) => (
            <CriterionPanel key={`${c.judge}.${c.criterion}`} datasetId={datasetId} c={c} onThreshold={(th) => setThreshold(c.judge, c.criterion, th)} />
          ))}
        </>
      )}
    </section>
  );
}

function CriterionPanel({ datasetId, c, onThreshold }: { datasetId: string; c: CriterionTrust; onThreshold: (t: Threshold) => void }) {
  const id = useId();
  const [allSamplers, setAllSamplers] = useState(false);
  const numeric = c.levels.length > 0 && c.levels.every((l) => l !== "" && Number.isFinite(Number(l)));
  const current = numeric ? String(c.threshold?.min ?? "") : String(c.threshold?.accept?.[0] ?? "");
  const d = c.decision;
  const [good, bad] = [0, 1];
  const cm = d.confusion.counts;
  const name = `${c.judge}.${c.criterion}`;
  const samplers = allSamplers ? c.samplers : c.samplers.slice(0, SAMPLER_ROWS);
  return (
    <div className="space-y-3 rounded-lg border border-stone-200 bg-white p-4" data-testid={`judge-trust-${name}`}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h3 className="font-medium text-stone-800">{name}</h3>
        <label className="flex items-center gap-2 text-sm text-stone-600" htmlFor={`${id}-bar`}>
          Judge says good when
        </label>
        <select
          id={`${id}-bar`}
          className="h-8 rounded-md border border-stone-300 bg-white px-2 text-sm"
          value={current}
          onChange={(e) => onThreshold(numeric ? { min: Number(e.target.value) } : { accept: [e.target.value] })}
        >
          {c.levels.map((l) => (
            <option key={l} value={l}>{numeric ? `score at least ${l}` : l}</option>
          ))}
        </select>
      </div>
      <p className="text-sm text-stone-700" data-testid="agreement-sentence">{agreementSentence(d)}</p>
      <div className="grid gap-6 lg:grid-cols-2">
        <div>
          <table className="text-sm" aria-label={`${name}: confusion matrix, judge (${thresholdText(c.threshold)}) against people`} data-testid="confusion-matrix">
            <thead>
              <tr>
                <td />
                <th scope="col" className="px-3 py-1 font-medium">People accepted</th>
                <th scope="col" className="px-3 py-1 font-medium">People rejected</th>
              </tr>
            </thead>
            <tbody>
              {[good, bad].map((j) => (
                <tr key={j}>
                  <th scope="row" className="px-3 py-1 text-left font-medium">Judge says {d.confusion.classes[j] === JUDGE_GOOD ? "good" : "bad"}</th>
                  {[good, bad].map((h) => (
                    <td key={h} className={`px-3 py-1 text-center tabular-nums ${j === h ? "bg-indigo-50 text-indigo-900" : "bg-red-50 text-red-900"}`}>{num(cm[j]?.[h] ?? 0)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-stone-500">Accuracy</dt>
            <dd className="tabular-nums" data-testid="accuracy">{accuracyText(d)} on {num(d.n)}</dd>
            <dt className="text-stone-500">Cohen&apos;s kappa</dt>
            <dd className="tabular-nums" data-testid="kappa">{kappaText(d)}</dd>
            {c.labels.map((l) => (
              <div key={l.label} className="contents">
                <dt className="text-stone-500">Against label {l.label}</dt>
                <dd className="tabular-nums">{accuracyText(l.agreement)} on {num(l.agreement.n)}, kappa {kappaText(l.agreement)}</dd>
              </div>
            ))}
          </dl>
        </div>
        <Figure
          testId={`judge-scores-${name}`}
          title="People's decisions per score"
          summary={c.scores.map((s) => `${s.score}: ${num(s.accepted)} accepted, ${num(s.rejected)} rejected`).join("; ")}
          chart={
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={c.scores} accessibilityLayer={false}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="score" tick={{ fontSize: 11 }} />
                <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
                <Tooltip />
                <Legend />
                <Bar dataKey="accepted" name="accepted" stackId="s" fill={ACCEPTED} />
                <Bar dataKey="rejected" name="rejected" stackId="s" fill={REJECTED} />
              </BarChart>
            </ResponsiveContainer>
          }
          table={<StatTable head={["Score", "Accepted", "Rejected"]} rows={c.scores.map((s) => [s.score, num(s.accepted), num(s.rejected)])} />}
        />
      </div>
      {c.samplers.length > 0 && (
        <div className="space-y-1">
          <h4 className="text-sm font-medium text-stone-800">Per sampled value, worst first</h4>
          <p className="text-xs text-stone-500">Ordered by the upper end of the accuracy interval, so a value with few records does not hide one the judge often gets wrong.</p>
          <StatTable
            head={["Value", "Records", "Accuracy (95%)", "Kappa (95%)"]}
            rows={samplers.map((s) => [
              <Link key="v" className="text-indigo-700 underline" href={recordsHref(datasetId, { values: [s.subset ? { field: s.field, op: "contains", value: JSON.stringify(s.value) } : { field: s.field, op: "eq", value: s.value }] })}>
                {s.field} = {s.value}
              </Link>,
              num(s.agreement.n),
              accuracyText(s.agreement),
              kappaText(s.agreement),
            ])}
          />
          {c.samplers.length > SAMPLER_ROWS && (
            <button type="button" className="text-sm text-indigo-700 underline" onClick={() => setAllSamplers((v) => !v)}>
              {allSamplers ? "Show the worst only" : `Show all ${num(c.samplers.length)} values`}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
