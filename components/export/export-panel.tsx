"use client";
// The export page: choose records, format, mapping, splits and card; see the first
// lines of the file as it will be; check OpenAI's rules; download with progress.
// State lives here; every server call takes the same ExportRequest built from it.
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label, hintId } from "@/components/ui/field";
import { num } from "@/components/runs/format";
import { checkOpenAiAction, previewCardAction, previewExportAction } from "@/lib/export/actions";
import { guessMapping } from "@/lib/export/defaults";
import { EXPORT_FORMATS, ExportRequest, type ExportFormat, type ExportRequestInput, type Mapping, type SplitSpec, DEFAULT_MAX_TOKENS } from "@/lib/export/schemas";
import { downloadFileName, FORMAT_INFO } from "@/lib/export/formats";
import type { ExportSetup } from "@/lib/export/types";
import { unwrap } from "@/lib/errors/client";
import { ACCEPTED_ONLY, type RecordFilter } from "@/lib/records/filter";
import { CheckReport } from "./check-report";
import { FilterStep } from "./filter-step";
import { MappingStep } from "./mapping-step";
import { SplitStep } from "./split-step";
import { useExportDownload } from "./use-download";
import { useDebounced } from "@/lib/hooks/use-debounced";

function Section({ n, title, children }: { n: number; title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-stone-200 bg-white p-4">
      <h2 className="mb-3 flex items-center gap-2 font-semibold">
        <span className="flex h-5 w-5 items-center justify-center rounded-full bg-stone-800 text-[11px] text-white">{n}</span>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function ExportPanel({ datasetId, setup, initialFilter }: { datasetId: string; setup: ExportSetup; initialFilter: RecordFilter | null }) {
  const [filter, setFilter] = useState<RecordFilter>(initialFilter ?? { ...ACCEPTED_ONLY });
  const [format, setFormat] = useState<ExportFormat>("jsonl");
  const [fields, setFields] = useState<string[]>(setup.fields);
  const [mappings, setMappings] = useState<Partial<Record<ExportFormat, Mapping>>>({});
  // Only generated records have prompts: a dataset of imports alone keeps the guesses from field names.
  const promptFields = setup.counts.total > setup.counts.imported ? setup.llmFields : [];
  const conversationFields = setup.counts.total > setup.counts.imported ? setup.conversationFields : [];
  const mapping = useMemo(
    () => mappings[format] ?? guessMapping(format, setup.fields, setup.labels, promptFields, conversationFields),
    [mappings, format, setup.fields, setup.labels, promptFields, conversationFields],
  );
  const [provenance, setProvenance] = useState(false);
  const [split, setSplit] = useState<SplitSpec | null>(null);
  const [card, setCard] = useState(false);
  const [maxTokens, setMaxTokens] = useState(DEFAULT_MAX_TOKENS);
  const [skipInvalid, setSkipInvalid] = useState(false);
  const [excel, setExcel] = useState(false);
  const [keepFormulas, setKeepFormulas] = useState(false);
  const [includeRejected, setIncludeRejected] = useState(false);

  const request: ExportRequestInput = useMemo(
    () => ({ format, filter, includeRejected, fields, mapping, provenance: provenance && format !== "openai", split, card, openai: { maxTokens, skipInvalid }, excel: excel && format === "csv", keepFormulas: keepFormulas && format === "csv" }),
    [format, filter, includeRejected, fields, mapping, provenance, split, card, maxTokens, skipInvalid, excel, keepFormulas],
  );
  const parsed = ExportRequest.safeParse(request);
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const i of parsed.error.issues) errors[i.path.join(".")] ??= i.message;
  const splitError = Object.entries(errors).find(([k]) => k.startsWith("split"))?.[1];

  const debounced = useDebounced(request, 350);
  const debouncedValid = ExportRequest.safeParse(debounced).success;
  const preview = useQuery({
    queryKey: ["export-preview", datasetId, JSON.stringify(debounced)],
    queryFn: () => unwrap(previewExportAction({ datasetId, request: debounced })),
    enabled: debouncedValid,
    placeholderData: keepPreviousData,
  });
  const check = useMutation({ mutationFn: () => unwrap(checkOpenAiAction({ datasetId, request })) });
  const cardPreview = useMutation({ mutationFn: () => unwrap(previewCardAction({ datasetId, request })) });
  const download = useExportDownload(datasetId);

  // A check or card describes the settings it was made with: drop it when they change.
  const requestKey = JSON.stringify(request);
  // Until the preview answers for the settings on screen (debounce, fetch), the lines shown
  // are the previous settings' (perhaps another format's): say so and dim them.
  const updating = preview.isFetching || preview.isPlaceholderData || JSON.stringify(debounced) !== requestKey;
  const [checkedKey, setCheckedKey] = useState("");
  useEffect(() => {
    if (checkedKey && checkedKey !== requestKey) {
      check.reset();
      cardPreview.reset();
      setCheckedKey("");
    }
  }, [requestKey, checkedKey, check, cardPreview]);

  if (setup.counts.total === 0) {
    return (
      <EmptyState title="No records to export yet">
        <Link className="underline" href={`/datasets/${datasetId}/runs`}>Generate a batch</Link> or import a CSV / JSONL file below; then review the records and come back here.
      </EmptyState>
    );
  }

  const fileName = downloadFileName(setup.datasetName, { format, split, card });
  const p = download.progress;
  // The server counts only split exports; otherwise the bar runs against the count shown here.
  const total = p?.total ?? download.job?.expected ?? null;
  const running = download.job !== null && (p === null || p.state === "running");
  const previewData = preview.data;

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,30rem)]">
      <div className="space-y-4">
        <Section n={1} title="Records">
          <FilterStep filter={filter} onChange={setFilter} setup={setup} fromGrid={initialFilter !== null} />
          {filter.rejected === undefined && (
            <label className="mt-3 flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-0.5" checked={includeRejected} onChange={(e) => setIncludeRejected(e.target.checked)} />
              <span>Include records rejected by validators</span>
            </label>
          )}
        </Section>

        <Section n={2} title="Format">
          <div className="grid gap-2 sm:grid-cols-3" role="radiogroup" aria-label="Format">
            {EXPORT_FORMATS.map((f) => (
              <button
                key={f}
                type="button"
                role="radio"
                aria-checked={format === f}
                onClick={() => setFormat(f)}
                className={`rounded-md border px-3 py-2 text-left ${format === f ? "border-indigo-500 bg-indigo-50 ring-1 ring-indigo-500" : "border-stone-200 hover:bg-stone-50"}`}
              >
                <span className="block text-sm font-medium">{FORMAT_INFO[f].label}</span>
                <span className="block text-xs text-stone-600">{FORMAT_INFO[f].blurb}</span>
              </button>
            ))}
          </div>
        </Section>

        <Section n={3} title="Mapping">
          <MappingStep
            format={format}
            fields={setup.fields}
            labels={setup.labels}
            llmFields={setup.llmFields}
            conversationFields={setup.conversationFields}
            chosen={fields}
            mapping={mapping}
            provenance={provenance}
            errors={errors}
            onFields={setFields}
            onMapping={(m) => setMappings({ ...mappings, [format]: m })}
            onProvenance={setProvenance}
          />
        </Section>

        <Section n={4} title="Splits and dataset card">
          <div className="space-y-4">
            <SplitStep split={split} fields={setup.fields} labels={setup.labels} counts={split ? (previewData?.splitCounts ?? null) : null} error={splitError} onChange={setSplit} />
            <div className="space-y-2 border-t border-stone-100 pt-3">
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={card} onChange={(e) => setCard(e.target.checked)} />
                Include a dataset card (README.md: blueprint, models, counts, tokens and cost, dates)
              </label>
              <div className="flex items-center gap-2">
                <Button size="sm" disabled={!parsed.success || cardPreview.isPending} onClick={() => { setCheckedKey(requestKey); cardPreview.mutate(); }}>
                  {cardPreview.isPending ? "Writing the card…" : "Preview the card"}
                </Button>
                {cardPreview.error && <p role="alert" className="text-xs text-red-700">{cardPreview.error.message}</p>}
              </div>
              {cardPreview.data && (
                <pre data-testid="card-preview" tabIndex={0} className="max-h-96 overflow-auto whitespace-pre-wrap rounded-md bg-stone-50 p-3 font-mono text-xs leading-5 text-stone-800">
                  {cardPreview.data}
                </pre>
              )}
            </div>
          </div>
        </Section>

        {format === "csv" && (
          <Section n={5} title="Spreadsheets">
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-0.5" checked={excel} onChange={(e) => setExcel(e.target.checked)} />
              <span>
                For Excel: start the file with a byte-order mark
                <span className="block text-xs text-stone-500">Excel on Windows otherwise reads accents and non-Latin text wrongly. pandas, DuckDB and Google Sheets read the file either way.</span>
              </span>
            </label>
            {/* The hint sits outside the label: the checkbox is named by its label alone. */}
            <label className="mt-3 flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-0.5" aria-describedby="keep-formulas-hint" checked={keepFormulas} onChange={(e) => setKeepFormulas(e.target.checked)} />
              Keep cells that look like formulas as they are
            </label>
            <p id="keep-formulas-hint" className="ml-5 text-xs text-stone-500">
              {keepFormulas
                ? "Cells beginning with = + - @, a tab or a carriage return are written unchanged: a spreadsheet opening the file may run them as formulas."
                : "Off: cells beginning with = + - @, a tab or a carriage return get a leading ' so spreadsheets show them as text instead of running them (plain numbers stay as they are). The dataset card says which was used."}
            </p>
          </Section>
        )}

        {format === "openai" && (
          <Section n={5} title="OpenAI's rules">
            <div className="space-y-3">
              <div className="grid gap-3 sm:grid-cols-2">
                <div>
                  <Label htmlFor="export-max-tokens" hint="65,536 for gpt-4o-mini">Token limit per example</Label>
                  <Input id="export-max-tokens" aria-describedby={hintId("export-max-tokens")} type="number" min={1} value={maxTokens} onChange={(e) => setMaxTokens(Math.max(1, Math.trunc(Number(e.target.value)) || 1))} />
                </div>
                <label className="flex items-center gap-2 self-end pb-2 text-sm">
                  <input type="checkbox" checked={skipInvalid} onChange={(e) => setSkipInvalid(e.target.checked)} />
                  Leave out examples that fail
                </label>
              </div>
              <Button disabled={!parsed.success || check.isPending} onClick={() => { setCheckedKey(requestKey); check.mutate(); }}>
                {check.isPending ? "Checking…" : `Check ${previewData ? num(previewData.total) : ""} examples`}
              </Button>
              {check.error && <p role="alert" className="text-sm text-red-700">{check.error.message}</p>}
              {check.data && <CheckReport report={check.data} datasetId={datasetId} skipInvalid={skipInvalid} />}
            </div>
          </Section>
        )}
      </div>

      <aside className="space-y-4 lg:sticky lg:top-4 lg:self-start" aria-label="Preview and download">
        <section className="rounded-lg border border-stone-200 bg-white p-4">
          <div className="mb-2 flex items-baseline justify-between gap-2">
            <h2 className="font-semibold">First lines</h2>
            <span className="text-xs text-stone-500" aria-live="polite">
              {updating && parsed.success ? "updating…" : previewData ? `${num(previewData.total)} records match` : ""}
            </span>
          </div>
          {!parsed.success ? (
            <p role="alert" className="rounded bg-amber-50 p-2 text-sm text-amber-900">{parsed.error.issues[0]?.message}</p>
          ) : preview.error ? (
            <p role="alert" className="rounded bg-red-50 p-2 text-sm text-red-800">{preview.error.message}</p>
          ) : null}
          {parsed.success && !preview.error && previewData && previewData.withoutPrompt > 0 && (
            <p role="status" data-testid="without-prompt" className="mb-2 rounded bg-amber-50 p-2 text-sm text-amber-900">
              {num(previewData.withoutPrompt)} {previewData.withoutPrompt === 1 ? "record matches but has" : "records match but have"} no recorded prompt for this mapping (imported records, or generated without that LLM field), so {previewData.withoutPrompt === 1 ? "it is" : "they are"} left out. Map fields instead of prompts to export {previewData.withoutPrompt === 1 ? "it" : "them"}.
            </p>
          )}
          {!parsed.success || preview.error ? null : previewData && previewData.total === 0 ? (
            <p className="rounded bg-stone-50 p-3 text-sm text-stone-600" data-testid="export-preview">{previewData.withoutPrompt > 0 ? "No matching record has a recorded prompt." : "No records match this filter. Try including unreviewed records."}</p>
          ) : previewData?.text !== null && previewData?.text !== undefined ? (
            <pre data-testid="export-preview" tabIndex={0} aria-busy={updating} className={`max-h-[32rem] overflow-auto whitespace-pre-wrap break-all rounded-md bg-stone-900 p-3 font-mono text-xs leading-5 text-stone-100 ${updating ? "outline-2 outline-dashed outline-amber-400" : ""}`}>
              {format === "csv"
                ? previewData.text
                : previewData.text.split("\n").filter(Boolean).map((line, i) => (
                    <span key={i} className="block border-b border-stone-700/60 py-1 last:border-0">
                      {line}
                      {"\n"}
                    </span>
                  ))}
            </pre>
          ) : previewData?.table ? (
            <div tabIndex={0} aria-busy={updating} className={`max-h-[28rem] overflow-auto rounded-md border border-stone-200 ${updating ? "outline-2 outline-dashed outline-amber-400" : ""}`} data-testid="export-preview">
              <table className="min-w-full text-xs">
                <thead className="bg-stone-50">
                  <tr>{previewData.table.columns.map((c) => <th key={c} className="px-2 py-1 text-left font-mono font-medium">{c}</th>)}</tr>
                </thead>
                <tbody>
                  {previewData.table.rows.map((r, i) => (
                    <tr key={i} className="border-t border-stone-100 align-top">
                      {r.map((v, j) => <td key={j} className="max-w-64 truncate px-2 py-1" title={v ?? "null"}>{v ?? <span className="text-stone-500">null</span>}</td>)}
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="border-t border-stone-100 px-2 py-1 text-xs text-stone-500">Parquet is binary: its first rows are shown as a table.</p>
            </div>
          ) : (
            <p className="text-sm text-stone-500">Loading the preview…</p>
          )}
        </section>

        <section className="rounded-lg border border-stone-200 bg-white p-4">
          <h2 className="mb-2 font-semibold">Download</h2>
          <p className="mb-3 text-sm text-stone-600">
            <code className="text-[13px]">{fileName}</code>
            {split || card ? ` with ${[split ? "train / validation / test files" : "the data file", card ? "README.md" : null].filter(Boolean).join(" and ")}` : ""}
          </p>
          <Button
            variant="primary"
            className="w-full"
            disabled={!parsed.success || !previewData || previewData.total === 0 || running}
            onClick={() => download.start(request, fileName, previewData?.total ?? null)}
          >
            {running ? "Exporting…" : `Download ${previewData ? num(previewData.total) : ""} records`}
          </Button>
          {download.job && (
            <div className="mt-3 text-sm" data-testid="export-progress" aria-live="polite">
              {p === null ? (
                <p className="text-stone-500">Starting…</p>
              ) : p.state === "failed" ? (
                <p role="alert" className="text-red-700">The export failed: {p.error}</p>
              ) : (
                <>
                  <div className="h-2 overflow-hidden rounded bg-stone-100" role="progressbar" aria-label="Export progress" aria-valuemin={0} aria-valuemax={total ?? undefined} aria-valuenow={p.rows}>
                    <div className={`h-full ${p.state === "done" ? "bg-emerald-500" : "bg-indigo-500"}`} style={{ width: `${p.state === "done" || !total ? 100 : Math.min(100, (100 * p.rows) / total)}%` }} />
                  </div>
                  <p className="mt-1 text-stone-600">
                    {p.state === "done"
                      ? `Done: ${num(p.rows - p.skipped)} records written${p.skipped ? `, ${num(p.skipped)} left out` : ""}. Your browser saved ${download.job.fileName}.`
                      : `${num(p.rows)}${total ? ` of ${num(Math.max(total, p.rows))}` : ""} records${p.file ? ` · ${p.file}` : ""}`}
                  </p>
                </>
              )}
            </div>
          )}
        </section>
      </aside>
    </div>
  );
}
