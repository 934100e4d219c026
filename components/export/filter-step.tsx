"use client";
// Which records: quick choices over the shared RecordFilter. Conditions that came from
// the review grid (label, value, text search) are kept and shown, and can be dropped.
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { num } from "@/components/runs/format";
import { describeFilter } from "@/lib/export/card";
import type { ExportSetup } from "@/lib/export/types";
import { RECORD_STATUSES, REVIEW_STATES, type RecordFilter } from "@/lib/records/filter";

const chip = (on: boolean) =>
  `rounded-full border px-3 py-1 text-sm ${on ? "border-indigo-500 bg-indigo-50 text-indigo-800" : "border-stone-300 bg-white text-stone-600 hover:bg-stone-50"}`;

function toggle<T>(list: readonly T[] | undefined, v: T): T[] | undefined {
  const s = new Set(list ?? []);
  if (s.has(v)) s.delete(v);
  else s.add(v);
  return s.size ? [...s] : undefined;
}

export function FilterStep({ filter, onChange, setup, fromGrid }: { filter: RecordFilter; onChange: (f: RecordFilter) => void; setup: ExportSetup; fromGrid: boolean }) {
  const c = setup.counts;
  const stateCount: Record<string, number> = { accepted: c.accepted, unreviewed: c.unreviewed, rejected: c.rejected };
  const extra = { labels: filter.labels, values: filter.values, search: filter.search };
  const hasExtra = Boolean(filter.labels && Object.keys(filter.labels).length) || Boolean(filter.values?.length) || Boolean(filter.search);
  const runNumbers = Object.fromEntries(setup.runs.map((r) => [r.id, r.number]));
  return (
    <div className="space-y-3">
      <div>
        <p className="mb-1.5 text-xs font-medium text-stone-600">Review state</p>
        <div className="flex flex-wrap gap-2" role="group" aria-label="Review state">
          {REVIEW_STATES.map((s) => (
            <button key={s} type="button" aria-pressed={filter.reviewState?.includes(s) ?? false} className={chip(filter.reviewState?.includes(s) ?? false)} onClick={() => onChange({ ...filter, reviewState: toggle(filter.reviewState, s) })}>
              {s} <span className="text-stone-600">{num(stateCount[s] ?? 0)}</span>
            </button>
          ))}
        </div>
        {!filter.reviewState?.length && <p className="mt-1 text-xs text-amber-700">No review state chosen: every record is exported, reviewed or not.</p>}
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <p className="mb-1.5 text-xs font-medium text-stone-600">Status</p>
          <div className="flex flex-wrap gap-2" role="group" aria-label="Status">
            {RECORD_STATUSES.map((s) => (
              <button key={s} type="button" aria-pressed={filter.status?.includes(s) ?? false} className={chip(filter.status?.includes(s) ?? false)} onClick={() => onChange({ ...filter, status: toggle(filter.status, s) })}>
                {s}
              </button>
            ))}
          </div>
        </div>
        <label className="block">
          <span className="mb-1.5 block text-xs font-medium text-stone-600">Source</span>
          <select aria-label="Source" className={inputClass} value={filter.source ?? ""} onChange={(e) => onChange({ ...filter, source: (e.target.value || undefined) as RecordFilter["source"] })}>
            <option value="">generated and imported</option>
            <option value="generated">generated only</option>
            <option value="imported">imported only ({num(c.imported)})</option>
          </select>
        </label>
        <label className="block">
          <span className="mb-1.5 block text-xs font-medium text-stone-600">Run</span>
          <select
            aria-label="Run"
            className={inputClass}
            value={filter.runIds?.length === 1 ? filter.runIds[0] : ""}
            onChange={(e) => onChange({ ...filter, runIds: e.target.value ? [e.target.value] : undefined })}
          >
            <option value="">all runs</option>
            {setup.runs.map((r) => (
              <option key={r.id} value={r.id}>
                Run #{r.number} · {r.createdAt.slice(0, 10)} · {num(r.records)} records
              </option>
            ))}
          </select>
        </label>
      </div>
      {hasExtra && (
        <div className="flex items-start justify-between gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
          <p>
            {fromGrid ? "From the review grid: " : "Also: "}
            {describeFilter({ ...extra, reviewState: undefined }, runNumbers).replace(/^any review state, ?/, "")}
          </p>
          <Button size="sm" variant="ghost" onClick={() => onChange({ reviewState: filter.reviewState, status: filter.status, source: filter.source, runIds: filter.runIds })}>
            Drop these conditions
          </Button>
        </div>
      )}
    </div>
  );
}
