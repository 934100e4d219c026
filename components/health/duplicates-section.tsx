"use client";
// The Health tab's Duplicates section (lib/quality/README.md): start a full duplicate pass
// on the fields and threshold the user picks (with an example pair showing what the
// threshold means), follow its progress, see the duplicate rate and the cluster sizes
// (each bar opens the grid filtered to it), and check the dataset against a reference
// set for contamination. The pass runs on the server; this polls its state.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useState } from "react";
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { describedBy, ErrorText, hintId, inputClass, Label } from "@/components/ui/field";
import { readJson, unwrap } from "@/lib/errors/client";
import { dedupeStatusAction, duplicatesOverviewAction, startDedupeAction } from "@/lib/quality/actions";
import type { DedupeStatus } from "@/lib/quality/server/dedupe";
import type { DuplicatesOverview } from "@/lib/quality/server/duplicates-overview";
import type { ContaminationResult } from "@/lib/quality/server/contamination";
import { examplePair } from "@/lib/quality/example-pair";
import { DEFAULT_THRESHOLD, DedupeSettingsInput } from "@/lib/quality/schemas";
import { recordsHref, type RecordFilter } from "@/lib/records/filter";
import { StatTable } from "@/components/ui/stat-table";
import { Figure } from "./health-view";

/** The contamination route's cap (lib/quality/server/contamination.ts MAX_REFERENCE_BYTES), checked before uploading. */
const MAX_REFERENCE_BYTES = 50 * 1024 * 1024;
const BAR = "#4f46e5";
const num = (x: number) => x.toLocaleString("en-US");
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The threshold as typed, checked with the same rule as the server's. */
function readThreshold(text: string): { value: number | null; error: string | null } {
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) return { value: null, error: "Enter the similarity threshold: a number more than 0 and at most 1 (0.8 by default)." };
  const parsed = DedupeSettingsInput.shape.threshold.safeParse(value);
  return parsed.success ? { value: parsed.data, error: null } : { value: null, error: parsed.error.issues[0].message };
}

export function DuplicatesSection({ datasetId }: { datasetId: string }) {
  const headingId = useId();
  const qc = useQueryClient();
  const overview = useQuery({ queryKey: ["duplicates", datasetId], queryFn: () => unwrap(duplicatesOverviewAction({ datasetId })) });
  // While a pass runs only its state is polled: the overview also counts the dataset's
  // signatures (a scan of up to a million index entries) for charts that cannot change
  // before the pass ends, and is read again once it has.
  const running = overview.data?.status.status === "running";
  const progress = useQuery({
    queryKey: ["dedupe-status", datasetId],
    queryFn: () => unwrap(dedupeStatusAction({ datasetId })),
    enabled: running,
    refetchInterval: 1000,
  });
  const ended = running && progress.data && progress.data.status !== "running";
  useEffect(() => {
    if (ended) void qc.invalidateQueries({ queryKey: ["duplicates", datasetId] });
  }, [ended, qc, datasetId]);
  const data = overview.data && running && progress.data ? { ...overview.data, status: progress.data } : overview.data;
  return (
    <section aria-labelledby={headingId} className="space-y-4" data-testid="duplicates-section">
      <h2 id={headingId} className="text-lg font-semibold text-stone-800">Duplicates</h2>
      {overview.error && <ErrorText>{overview.error.message}</ErrorText>}
      {!data ? (
        !overview.error && <p className="text-sm text-stone-500">Loading duplicate detection…</p>
      ) : (
        <>
          <div className="grid gap-6 lg:grid-cols-2">
            <PassControls datasetId={datasetId} overview={data} />
            <ContaminationControls datasetId={datasetId} overview={data} />
          </div>
          <DuplicateCharts datasetId={datasetId} overview={data} />
        </>
      )}
    </section>
  );
}

function FieldPicker({ legend, fields, picked, onChange, name }: { legend: string; fields: string[]; picked: string[]; onChange: (f: string[]) => void; name: string }) {
  if (fields.length === 0) return <p className="text-sm text-stone-500">No text fields yet: generate or import records first.</p>;
  return (
    <fieldset>
      <legend className="mb-1 text-xs font-medium text-stone-600">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {fields.map((f) => (
          <label key={f} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              name={name}
              checked={picked.includes(f)}
              onChange={(e) => onChange(e.target.checked ? fields.filter((x) => x === f || picked.includes(x)) : picked.filter((x) => x !== f))}
            />
            {f}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function PassControls({ datasetId, overview }: { datasetId: string; overview: DuplicatesOverview }) {
  const qc = useQueryClient();
  const thresholdId = useId();
  const errorId = `${thresholdId}-error`;
  const [fields, setFields] = useState<string[] | null>(null);
  const picked = fields ?? overview.defaultFields;
  const [thresholdText, setThresholdText] = useState(String(overview.status.status === "none" ? DEFAULT_THRESHOLD : overview.status.threshold));
  const threshold = readThreshold(thresholdText);
  const status = overview.status;
  const running = status.status === "running";

  const start = useMutation({
    mutationFn: () => unwrap(startDedupeAction({ datasetId, fields: picked, threshold: threshold.value })),
    onSuccess: (s) => {
      qc.setQueryData(["dedupe-status", datasetId], s);
      qc.setQueryData<DuplicatesOverview>(["duplicates", datasetId], (o) => (o ? { ...o, status: s } : o));
      // A small dataset's pass may be over already: its charts are read now.
      if (s.status !== "running") void qc.invalidateQueries({ queryKey: ["duplicates", datasetId] });
    },
    // "Already running" (another tab, another person): show that pass's progress.
    onError: () => qc.invalidateQueries({ queryKey: ["duplicates", datasetId] }),
  });

  return (
    <form
      className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
      aria-label="Duplicate detection"
      onSubmit={(e) => {
        e.preventDefault();
        if (threshold.value !== null && picked.length > 0 && !running) start.mutate();
      }}
    >
      <h3 className="font-medium text-stone-800">Exact and near duplicates</h3>
      <FieldPicker legend="Fields to compare" name="dedupe-field" fields={overview.textFields} picked={picked} onChange={setFields} />
      <div className="max-w-xs">
        <Label htmlFor={thresholdId} hint="more than 0, at most 1">Similarity threshold</Label>
        <input
          id={thresholdId}
          className={inputClass}
          type="number"
          inputMode="decimal"
          step={0.01}
          min={0.01}
          max={1}
          value={thresholdText}
          onChange={(e) => setThresholdText(e.target.value)}
          aria-invalid={threshold.error ? true : undefined}
          aria-describedby={describedBy(hintId(thresholdId), threshold.error && errorId)}
        />
        <ErrorText id={errorId}>{threshold.error}</ErrorText>
      </div>
      {threshold.value !== null && <ExamplePair threshold={threshold.value} />}
      <div className="flex items-center gap-3">
        <Button type="submit" variant="primary" disabled={running || start.isPending || threshold.value === null || picked.length === 0}>
          Find duplicates
        </Button>
        {picked.length === 0 && overview.textFields.length > 0 && <span className="text-xs text-stone-600">Pick at least one field to compare.</span>}
      </div>
      <ErrorText>{start.error?.message}</ErrorText>
      <PassProgress status={status} />
    </form>
  );
}

/** The sample and its variant, the words that differ marked, with the similarity the pass would compute. */
function ExamplePair({ threshold }: { threshold: number }) {
  const pair = useMemo(() => examplePair(threshold), [threshold]);
  const a = pair.original.split(" ");
  const b = pair.variant.split(" ");
  return (
    <div className="rounded-md bg-stone-50 p-3 text-sm text-stone-700" data-testid="example-pair">
      <p className="mb-2">
        What {threshold} means: these two paragraphs have a similarity of <strong data-testid="example-similarity">{pair.similarity.toFixed(2)}</strong>{" "}
        ({pair.changedWords === 0 ? "only case and punctuation differ, an exact duplicate once normalised" : `${pair.changedWords} of ${a.length} words changed`}). Pairs
        at or above the threshold are grouped as duplicates.
      </p>
      <p className="mb-1 text-stone-600">{pair.original}</p>
      <p>
        {b.map((w, i) => (
          <span key={i}>
            {i > 0 && " "}
            {w !== a[i] && pair.changedWords > 0 ? <mark className="bg-amber-100 text-stone-900">{w}</mark> : w}
          </span>
        ))}
      </p>
    </div>
  );
}

function PassProgress({ status }: { status: DedupeStatus }) {
  const reading = status.processed < status.total;
  const text =
    status.status === "running"
      ? reading
        ? `Finding duplicates: ${num(status.processed)} of ${num(status.total)} records read.`
        : `Finding duplicates: all ${num(status.total)} records read; comparing candidates and writing clusters.`
      : status.status === "completed"
        ? `Duplicate detection finished: ${num(status.duplicates)} records in ${num(status.clusters)} clusters, on ${status.fields.join(", ")} at ${status.threshold}.`
        : status.status === "failed"
          ? "Duplicate detection stopped. Start it again with Find duplicates."
          : "";
  return (
    <div className="space-y-2">
      {status.status === "running" && (
        <div
          className="h-2 overflow-hidden rounded bg-stone-100"
          role="progressbar"
          aria-label="Duplicate detection progress"
          aria-valuemin={0}
          aria-valuemax={status.total}
          aria-valuenow={status.processed}
          aria-valuetext={`${num(status.processed)} of ${num(status.total)} records read`}
        >
          <div className={`h-full bg-indigo-500 ${reading ? "" : "animate-pulse"}`} style={{ width: `${status.total ? (status.processed / status.total) * 100 : 0}%` }} />
        </div>
      )}
      {/* Always in the page: a live region must exist before its text changes. */}
      <p role="status" aria-live="polite" className="text-sm text-stone-700" data-testid="dedupe-status">{text}</p>
      {status.status === "failed" && status.error && <p className="text-sm text-red-700" data-testid="dedupe-error">{status.error}</p>}
    </div>
  );
}

/** Sends the reference set as the request body (streamed into the parser on the server). */
async function checkReference(datasetId: string, file: File, fields: string[]): Promise<ContaminationResult> {
  const q = `name=${encodeURIComponent(file.name)}&fields=${encodeURIComponent(JSON.stringify(fields))}`;
  let res: Response;
  try {
    res = await fetch(`/api/datasets/${datasetId}/contamination?${q}`, { method: "POST", body: file, headers: { "content-type": file.type || "application/octet-stream" } });
  } catch {
    throw new Error("The upload was cut off (network error); the previous flags, if any, are kept. Try again.");
  }
  return readJson<ContaminationResult>(res, (status) => `The server answered ${status}; the reference set was not checked.`);
}

function ContaminationControls({ datasetId, overview }: { datasetId: string; overview: DuplicatesOverview }) {
  const qc = useQueryClient();
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fields, setFields] = useState<string[] | null>(null);
  const picked = fields ?? overview.defaultFields;
  const tooLarge = file && file.size > MAX_REFERENCE_BYTES ? `The reference set is ${Math.round(file.size / 1e6)} MB; a contamination check takes at most 50 MB. Check against a smaller file (for example the benchmark's test split alone).` : null;
  const check = useMutation({
    mutationFn: () => checkReference(datasetId, file!, picked),
    onSettled: () => qc.invalidateQueries({ queryKey: ["duplicates", datasetId] }),
  });
  const r = check.data;
  const flaggedLink = (n: number) => (
    <Link className="text-indigo-700 underline" href={recordsHref(datasetId, { contaminated: true })}>
      Show the {num(n)} flagged records
    </Link>
  );
  return (
    <form
      className="space-y-3 rounded-lg border border-stone-200 bg-white p-4"
      aria-label="Contamination check"
      onSubmit={(e) => {
        e.preventDefault();
        if (file && !tooLarge && picked.length > 0) check.mutate();
      }}
    >
      <h3 className="font-medium text-stone-800">Contamination against a reference set</h3>
      <p className="text-sm text-stone-600">Upload an eval benchmark (CSV or JSONL, up to 50 MB): records sharing a run of 13 words with any of its cells are flagged.</p>
      <div>
        <Label htmlFor={fileId} hint=".csv, .tsv, .jsonl or .ndjson">Reference set</Label>
        <input
          id={fileId}
          type="file"
          accept=".csv,.tsv,.jsonl,.ndjson"
          className="block text-sm"
          aria-describedby={describedBy(hintId(fileId), tooLarge && `${fileId}-error`)}
          aria-invalid={tooLarge ? true : undefined}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            check.reset();
          }}
        />
        <ErrorText id={`${fileId}-error`}>{tooLarge}</ErrorText>
      </div>
      <FieldPicker legend="Fields to check" name="contamination-field" fields={overview.textFields} picked={picked} onChange={setFields} />
      <Button type="submit" disabled={!file || !!tooLarge || picked.length === 0 || check.isPending}>
        {check.isPending ? "Checking…" : "Check contamination"}
      </Button>
      <ErrorText>{check.error?.message}</ErrorText>
      <div role="status" aria-live="polite" className="text-sm text-stone-700" data-testid="contamination-result">
        {r ? (
          <p>
            {num(r.flagged)} of {num(r.records)} records share a 13-word run with the reference set ({num(r.referenceRows)} reference row{r.referenceRows === 1 ? "" : "s"}).{" "}
            {r.flagged > 0 && flaggedLink(r.flagged)}
          </p>
        ) : (
          !check.isPending && overview.contaminated > 0 && <p>{num(overview.contaminated)} records are flagged by the latest check. {flaggedLink(overview.contaminated)}</p>
        )}
      </div>
    </form>
  );
}

function DuplicateCharts({ datasetId, overview }: { datasetId: string; overview: DuplicatesOverview }) {
  const router = useRouter();
  const href = (f: RecordFilter) => recordsHref(datasetId, f);
  const rate = overview.rate;
  if (!rate) {
    return (
      <EmptyState title="No duplicate detection yet">
        <p>Pick the fields to compare and press Find duplicates: the duplicate rate and the cluster sizes appear here.</p>
      </EmptyState>
    );
  }
  const rateRows = [
    { label: "Exact duplicates", records: rate.exactRecords, filter: { duplicate: true } as RecordFilter },
    { label: "Near duplicates", records: rate.nearRecords, filter: { duplicate: true } as RecordFilter },
    { label: "No duplicate", records: rate.checked - rate.inClusters, filter: { duplicate: false } as RecordFilter },
  ];
  const sizes = overview.sizes.map((b) => ({ ...b, filter: { clusterSize: { min: b.min, ...(b.max === null ? {} : { max: b.max }) } } as RecordFilter }));
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <Figure
        testId="duplicate-rate"
        title="Duplicate rate"
        summary={
          <>
            {num(rate.inClusters)} of {num(rate.checked)} records ({pct(rate.rate)}) are in {num(rate.clusters)} duplicate clusters: {num(rate.exactRecords)} in exact-duplicate
            clusters, {num(rate.nearRecords)} in clusters with near duplicates. <Link className="text-indigo-700 underline" href={href({ duplicate: true })}>Show the duplicated records</Link>
          </>
        }
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={rateRows} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="records" name="records" cursor="pointer" onClick={(_, i) => router.push(href(rateRows[i].filter))}>
                {rateRows.map((r, i) => <Cell key={r.label} fill={["#4f46e5", "#818cf8", "#a8a29e"][i]} />)}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <StatTable
            head={["Records", "Count", "Share"]}
            rows={rateRows.map((r) => [<Link key="l" href={href(r.filter)} className="text-indigo-700 underline">{r.label}</Link>, num(r.records), pct(rate.checked ? r.records / rate.checked : 0)])}
          />
        }
      />
      <Figure
        testId="cluster-sizes"
        title="Cluster sizes"
        summary={<>Duplicate clusters by how many records they hold. Click a bar to see the records in clusters of that size.</>}
        chart={
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={sizes} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} />
              <YAxis tick={{ fontSize: 11 }} allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="clusters" name="clusters" fill={BAR} cursor="pointer" onClick={(_, i) => router.push(href(sizes[i].filter))} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <StatTable
            head={["Cluster size", "Clusters", "Records"]}
            rows={sizes.map((b) => [<Link key="l" href={href(b.filter)} className="text-indigo-700 underline">{b.label}</Link>, num(b.clusters), num(b.records)])}
          />
        }
      />
    </div>
  );
}
