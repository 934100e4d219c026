"use client";
// The health page: charts over the whole dataset from the tallies kept by the database
// (lib/quality/README-health.md). Each chart has a title, a one-line summary and its data
// as a table of links (keyboard and screen readers use those; the drawing itself is hidden
// from them); a click on a bar opens the records grid filtered to what the bar shows.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, type ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { EmptyState } from "@/components/ui/empty-state";
import { DuplicatesSection } from "./duplicates-section";
import { JudgeTrustSection } from "./judge-trust-section";
import type { CheckRate, DatasetHealth, DiversityChart, LengthChart, SamplerChart } from "@/lib/quality/health/server/health";
import { recordsHref, type RecordFilter } from "@/lib/records/filter";
import { StatTable } from "@/components/ui/stat-table";

/** Values drawn in a sampler chart; its table lists up to TABLE_ROWS. */
const CHART_ROWS = 60;
const TABLE_ROWS = 500;
const OBSERVED = "#4f46e5";
const TARGET = "#a8a29e";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const num = (x: number) => x.toLocaleString("en-US");

export function HealthView({ datasetId, health }: { datasetId: string; health: DatasetHealth }) {
  const router = useRouter();
  // While a run writes records the counts move: read them again every few seconds (cheap:
  // the page reads tallies, not records).
  useEffect(() => {
    if (!health.running) return;
    const t = setInterval(() => router.refresh(), 5000);
    return () => clearInterval(t);
  }, [health.running, router]);
  const href = (f: RecordFilter) => recordsHref(datasetId, f);

  if (health.total === 0) {
    return (
      <EmptyState title="No records yet: nothing to chart">
        <p>
          Generate records on the <Link className="text-indigo-700 underline" href={`/datasets/${datasetId}/runs`}>Generate</Link> tab, or import real data on
          the <Link className="text-indigo-700 underline" href={`/datasets/${datasetId}/export`}>Export</Link> tab. The charts fill in as records land.
        </p>
      </EmptyState>
    );
  }

  const succeeded = health.status.find((s) => s.value === "succeeded")?.count ?? 0;
  return (
    <div className="space-y-8">
      <p className="text-sm text-stone-600" data-testid="health-total">
        {num(health.total)} records, {num(succeeded)} succeeded.{health.running ? " A run is still going: these figures update as records land." : ""}{" "}
        Click a bar, or a value in a chart&apos;s table, to see those records.
      </p>

      {health.samplers.length > 0 && (
        <Section title="Sampled values: target and observed">
          {health.samplers.map((s) => <SamplerFigure key={s.field} chart={s} href={href} />)}
        </Section>
      )}

      <Section title="Balance">
        <BalanceFigure title="Review state" values={health.review} href={(v) => href({ reviewState: [v as "accepted"] })} />
        <BalanceFigure title="Record status" values={health.status} href={(v) => href({ status: [v as "succeeded"] })} />
        {health.labels.map((l) => (
          <BalanceFigure key={l.name} title={`Label: ${l.name}`} values={l.counts} href={(v) => href({ labels: { [l.name]: [v] } })} />
        ))}
        {health.labels.length === 0 && <p className="text-sm text-stone-500">No labels yet: define them on the Records tab to see their balance here.</p>}
      </Section>

      {health.lengths.length > 0 && (
        <Section title="Length in tokens">
          {health.lengths.map((l) => <LengthFigure key={l.field} chart={l} />)}
        </Section>
      )}

      {health.diversity.length > 0 && (
        <Section title="Lexical diversity per run">
          {health.diversity.map((d) => <DiversityFigure key={d.field} chart={d} href={href} />)}
        </Section>
      )}

      <DuplicatesSection datasetId={datasetId} />

      <JudgeTrustSection datasetId={datasetId} />

      {health.checks.length > 0 && (
        <Section title="Validators">
          <ChecksFigure checks={health.checks} href={href} />
        </Section>
      )}
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-4">
      <h2 id={id} className="text-lg font-semibold text-stone-800">{title}</h2>
      <div className="grid gap-6 lg:grid-cols-2">{children}</div>
    </section>
  );
}

/** A chart with its title, summary and table; the drawing is for the eye only. */
export function Figure(p: { title: string; summary: ReactNode; chart: ReactNode; table: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <figure aria-labelledby={id} className="rounded-lg border border-stone-200 bg-white p-4" data-testid={p.testId}>
      <h3 id={id} className="font-medium text-stone-800">{p.title}</h3>
      <figcaption className="mb-2 text-sm text-stone-600">{p.summary}</figcaption>
      <div aria-hidden="true" className="h-60">{p.chart}</div>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer text-indigo-700">Show the data as a table</summary>
        <div className="mt-2 max-h-80 overflow-auto">{p.table}</div>
      </details>
    </figure>
  );
}

function SamplerFigure({ chart, href }: { chart: SamplerChart; href: (f: RecordFilter) => string }) {
  const router = useRouter();
  const d = chart.distribution;
  // A subset's value is a list: "contains" the quoted element matches that element exactly
  // in the list's JSON text ("field is" compares the whole list).
  const filterOf = (value: string): RecordFilter =>
    chart.kind === "subset" ? { values: [{ field: chart.field, op: "contains", value: JSON.stringify(value) }] } : { values: [{ field: chart.field, op: "eq", value }] };
  const go = (value: string) => router.push(href(filterOf(value)));
  const drawn = d.rows.slice(0, CHART_ROWS);
  const far = [...d.rows].sort((a, b) => Math.abs(b.observedShare - b.targetShare) - Math.abs(a.observedShare - a.targetShare))[0];
  return (
    <Figure
      testId={`sampler-${chart.field}`}
      title={`${chart.field} (${chart.kind})`}
      summary={
        <>
          <span data-testid="coverage">{num(d.used)} of {num(d.possible)} values used</span>
          {d.unused.length > 0 && <> (never drawn: {d.unused.slice(0, 8).join(", ")}{d.unused.length > 8 ? ` and ${num(d.unused.length - 8)} more` : ""})</>}.
          {far && d.total > 0 && <> Furthest from target: {far.value}, {pct(far.observedShare)} observed against {pct(far.targetShare)}.</>}
          {d.rows.length > CHART_ROWS && <> The chart shows the first {CHART_ROWS} of {num(d.rows.length)} values; the table lists them all.</>}
        </>
      }
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={drawn} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="value" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(v % 1 ? 1 : 0) : String(v))} />
            <Legend />
            <Bar dataKey="expected" name="target (expected count)" fill={TARGET} cursor="pointer" onClick={(_, i) => go(drawn[i].value)} />
            <Bar dataKey="observed" name="observed" fill={OBSERVED} cursor="pointer" onClick={(_, i) => go(drawn[i].value)} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <StatTable
          head={["Value", "Observed", "Target", "Observed share", "Target share"]}
          rows={d.rows.slice(0, TABLE_ROWS).map((r) => [
            <Link key="v" href={href(filterOf(r.value))} className="text-indigo-700 underline">{r.value}</Link>,
            num(r.observed),
            r.expected.toFixed(1),
            pct(r.observedShare),
            pct(r.targetShare),
          ])}
        />
      }
    />
  );
}

function BalanceFigure({ title, values, href }: { title: string; values: { value: string; count: number }[]; href: (value: string) => string }) {
  const router = useRouter();
  const total = values.reduce((a, v) => a + v.count, 0);
  return (
    <Figure
      testId={`balance-${title}`}
      title={title}
      summary={total ? values.filter((v) => v.count > 0).map((v) => `${v.value} ${num(v.count)} (${pct(v.count / total)})`).join(", ") : "Nothing yet."}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={values} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="value" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" name="records" fill={OBSERVED} cursor="pointer" onClick={(_, i) => router.push(href(values[i].value))} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={<StatTable head={[title, "Records"]} rows={values.map((v) => [<Link key="v" href={href(v.value)} className="text-indigo-700 underline">{v.value}</Link>, num(v.count)])} />}
    />
  );
}

/** Each validator's pass rate; a bar opens the records that failed it. */
function ChecksFigure({ checks, href }: { checks: CheckRate[]; href: (f: RecordFilter) => string }) {
  const router = useRouter();
  const failing = (name: string) => href({ checks: { failing: [name] } });
  const rate = (c: CheckRate) => c.pass / (c.pass + c.flag + c.reject);
  return (
    <Figure
      testId="validator-rates"
      title="Validator pass rates"
      summary={checks.map((c) => `${c.name} ${pct(rate(c))}`).join(", ")}
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={checks} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="name" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
            <Tooltip />
            <Legend />
            <Bar dataKey="pass" name="passed" stackId="c" fill={TARGET} />
            <Bar dataKey="flag" name="flagged" stackId="c" fill="#d97706" cursor="pointer" onClick={(_, i) => router.push(failing(checks[i].name))} />
            <Bar dataKey="reject" name="rejected" stackId="c" fill="#b91c1c" cursor="pointer" onClick={(_, i) => router.push(failing(checks[i].name))} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <StatTable
          head={["Validator", "Passed", "Flagged", "Rejected", "Pass rate"]}
          rows={checks.map((c) => [
            <Link key="v" href={failing(c.name)} className="text-indigo-700 underline">{c.name}</Link>,
            num(c.pass),
            num(c.flag),
            num(c.reject),
            pct(rate(c)),
          ])}
        />
      }
    />
  );
}

function LengthFigure({ chart }: { chart: LengthChart }) {
  const data = chart.bins.map((b) => ({ ...b, range: `${b.lo}–${b.hi - 1}` }));
  return (
    <Figure
      testId={`length-${chart.field}`}
      title={`${chart.field}: length in tokens`}
      summary={
        <>
          {num(chart.records)} records, median ≈ {Math.round(chart.median)} tokens, mean ≈ {Math.round(chart.mean)}. Counts are the model&apos;s own
          (output tokens); edited or imported text is estimated at 4 characters a token.
        </>
      }
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="range" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" name="records" fill={OBSERVED} />
          </BarChart>
        </ResponsiveContainer>
      }
      table={<StatTable head={["Tokens", "Records"]} rows={data.map((b) => [b.range, num(b.count)])} />}
    />
  );
}

function DiversityFigure({ chart, href }: { chart: DiversityChart; href: (f: RecordFilter) => string }) {
  const router = useRouter();
  const filterOf = (runId: string | null): RecordFilter => (runId ? { runIds: [runId] } : { source: "imported" });
  const sizes = new Set(chart.rows.map((r) => r.sampleSize));
  return (
    <Figure
      testId={`diversity-${chart.field}`}
      title={`${chart.field}: distinct-n and compression ratio`}
      summary={
        <>
          Distinct-n: share of word n-grams that are distinct (higher is more varied). Compression ratio: gzip size ÷ raw size (lower is more
          repetitive). Each on the first {Math.max(...sizes)} succeeded records of a run, since distinct-n falls as samples grow
          {sizes.size > 1 ? "; runs with fewer records are not directly comparable" : ""}.
        </>
      }
      chart={
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={chart.rows} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" tick={{ fontSize: 11 }} />
            <YAxis tick={{ fontSize: 11 }} domain={[0, 1]} />
            <Tooltip formatter={(v) => (typeof v === "number" ? v.toFixed(3) : String(v))} />
            <Legend />
            {(["distinct1", "distinct2", "distinct3", "compressionRatio"] as const).map((k, j) => (
              <Bar key={k} dataKey={k} name={k === "compressionRatio" ? "compression ratio" : `distinct-${j + 1}`} fill={["#c7d2fe", "#818cf8", "#4f46e5", "#a8a29e"][j]} cursor="pointer" onClick={(_, i) => router.push(href(filterOf(chart.rows[i].runId)))} />
            ))}
          </BarChart>
        </ResponsiveContainer>
      }
      table={
        <StatTable
          head={["Run", "Sample", "distinct-1", "distinct-2", "distinct-3", "Compression ratio"]}
          rows={chart.rows.map((r) => [
            <Link key="r" href={href(filterOf(r.runId))} className="text-indigo-700 underline">{r.label}</Link>,
            `${num(r.sampleSize)} of ${num(r.records)}`,
            r.distinct1.toFixed(3),
            r.distinct2.toFixed(3),
            r.distinct3.toFixed(3),
            r.compressionRatio.toFixed(3),
          ])}
        />
      }
    />
  );
}
