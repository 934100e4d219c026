"use client";
// Filter, search, sort and column controls. Everything is applied on the server; the text
// search waits for a pause in typing.
import { useIsFetching } from "@tanstack/react-query";
import type { Table } from "@tanstack/react-table";
import { useEffect, useState, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { Input, inputClass } from "@/components/ui/field";
import { REVIEW_STATES, RECORD_STATUSES, type RecordFilter } from "@/lib/records/filter";
import type { LabelSchema } from "@/lib/review/labels";
import type { RecordSort } from "@/lib/review/schemas";
import { qualityChips, qualityChoiceOf, qualityChoices, withQualityChoice } from "@/lib/review/quality-filter";
import type { QualitySetup, RecordRow } from "@/lib/review/types";
import { keys } from "./api";

const select = "h-8 rounded-md border border-stone-300 bg-white px-2 text-sm";

export function FilterBar(p: {
  filter: RecordFilter;
  sort: RecordSort;
  fields: string[];
  runs: { id: string; number: number }[];
  schema: LabelSchema;
  quality: QualitySetup;
  searchRef: RefObject<HTMLInputElement | null>;
  table: Table<RecordRow>;
  onFilter: (f: RecordFilter) => void;
  onSort: (s: RecordSort) => void;
  onRefresh: () => void;
  onResetLayout: () => void;
  /** For the refresh button's "Loading…" while any of the grid's reads is under way. */
  datasetId: string;
}) {
  const { filter: f, onFilter } = p;
  const [search, setSearch] = useState(f.search ?? "");
  useEffect(() => {
    const t = setTimeout(() => {
      if ((f.search ?? "") !== search.trim()) onFilter({ ...f, search: search.trim() || undefined });
    }, 300);
    return () => clearTimeout(t);
  }, [search, f, onFilter]);
  const [valueField, setValueField] = useState(p.fields[0] ?? "");
  const [valueText, setValueText] = useState("");
  const [columnsOpen, setColumnsOpen] = useState(false);
  const labelChoices = p.schema.labels.flatMap((l) =>
    l.kind === "rating" ? [1, 2, 3, 4, 5].map((n) => [l.name, String(n)]) : (l.options ?? []).map((o) => [l.name, o]),
  );
  const labelValue = f.labels ? Object.entries(f.labels).map(([k, v]) => `${k}\u0000${v[0]}`)[0] ?? "" : "";
  const quality = qualityChoices(p.quality);
  const sortValue = p.sort.by === "field" ? `field:${p.sort.field}` : p.sort.by === "judge" ? `judge:${p.sort.field}:${p.sort.criterion}` : p.sort.by;

  return (
    <div className="flex flex-wrap items-center gap-2" role="search">
      <input
        ref={p.searchRef}
        aria-label="Search text in any field"
        placeholder="Search text in any field  ( / )"
        className={`${inputClass} h-8 max-w-64`}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        onKeyDown={(e) => e.key === "Escape" && (e.currentTarget as HTMLInputElement).blur()}
      />
      <div className="flex overflow-hidden rounded-md border border-stone-300" role="group" aria-label="Review state">
        {[undefined, ...REVIEW_STATES].map((s) => {
          const active = s === undefined ? !f.reviewState?.length : f.reviewState?.length === 1 && f.reviewState[0] === s;
          return (
            <button
              key={s ?? "all"}
              type="button"
              aria-pressed={active}
              onClick={() => onFilter({ ...f, reviewState: s ? [s] : undefined })}
              className={`h-8 px-2.5 text-sm ${active ? "bg-indigo-600 text-white" : "bg-white text-stone-700 hover:bg-stone-100"}`}
            >
              {s ?? "All"}
            </button>
          );
        })}
      </div>
      <select aria-label="Status" className={select} value={f.status?.[0] ?? ""} onChange={(e) => onFilter({ ...f, status: e.target.value ? [e.target.value as (typeof RECORD_STATUSES)[number]] : undefined })}>
        <option value="">Any status</option>
        {RECORD_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
      </select>
      {p.runs.length > 1 && (
        <select aria-label="Run" className={select} value={f.runIds?.[0] ?? ""} onChange={(e) => onFilter({ ...f, runIds: e.target.value ? [e.target.value] : undefined })}>
          <option value="">Any run</option>
          {p.runs.map((r) => <option key={r.id} value={r.id}>Run #{r.number}</option>)}
        </select>
      )}
      {labelChoices.length > 0 && (
        <select
          aria-label="Label filter"
          className={select}
          value={labelValue}
          onChange={(e) => {
            const [name, v] = e.target.value.split("\u0000");
            onFilter({ ...f, labels: e.target.value ? { [name]: [v] } : undefined });
          }}
        >
          <option value="">Any label</option>
          {labelChoices.map(([n, v]) => <option key={`${n}:${v}`} value={`${n}\u0000${v}`}>{n}: {v}</option>)}
        </select>
      )}
      {quality.length > 0 && (
        <select aria-label="Quality filter" className={select} value={qualityChoiceOf(f)} onChange={(e) => onFilter(withQualityChoice(f, e.target.value))}>
          <option value="">Any quality</option>
          {quality.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </select>
      )}
      {qualityChips(f).map((c) => (
        <span key={c.key} className="flex items-center gap-1 rounded bg-stone-100 px-2 py-0.5 text-xs" data-testid="quality-chip">
          {c.label}
          <button type="button" aria-label={`Remove filter: ${c.label}`} onClick={() => onFilter({ ...f, [c.key]: undefined })}>✕</button>
        </span>
      ))}
      <form
        className="flex items-center gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          const rest = (f.values ?? []).filter((c) => c.field !== valueField);
          onFilter({ ...f, values: valueText ? [...rest, { field: valueField, op: "eq", value: valueText }] : rest.length ? rest : undefined });
        }}
      >
        <select aria-label="Value field" className={select} value={valueField} onChange={(e) => setValueField(e.target.value)}>
          {p.fields.map((x) => <option key={x} value={x}>{x}</option>)}
        </select>
        <span className="text-sm text-stone-500">=</span>
        <Input aria-label="Value" placeholder="value" className="h-8 w-28" value={valueText} onChange={(e) => setValueText(e.target.value)} />
        <Button size="sm" type="submit">Filter</Button>
      </form>
      {(f.values ?? []).map((c) => (
        <span key={c.field} className="flex items-center gap-1 rounded bg-stone-100 px-2 py-0.5 text-xs">
          {c.field} {c.op === "eq" ? "=" : "contains"} {c.value}
          <button type="button" aria-label={`Remove filter on ${c.field}`} onClick={() => onFilter({ ...f, values: f.values!.filter((x) => x !== c) })}>✕</button>
        </span>
      ))}
      <span className="ml-auto flex items-center gap-1">
        <select
          aria-label="Sort by"
          className={select}
          value={sortValue}
          onChange={(e) => {
            const v = e.target.value;
            if (v.startsWith("judge:")) {
              const [, field, criterion] = v.split(":");
              return p.onSort({ by: "judge", field, criterion, dir: p.sort.dir });
            }
            p.onSort(v.startsWith("field:") ? { by: "field", field: v.slice(6), dir: p.sort.dir } : { by: v as RecordSort["by"], dir: p.sort.dir });
          }}
        >
          <option value="position">Order generated</option>
          <option value="cost">Cost</option>
          <option value="tokens">Tokens</option>
          <option value="latency">Latency</option>
          <option value="reviewedAt">Reviewed at</option>
          {p.fields.map((x) => <option key={x} value={`field:${x}`}>{x}</option>)}
          {p.quality.judges.length > 0 && <option value="uncertain">Judge least sure first</option>}
          {p.quality.judges.map((j) => <option key={`${j.field}:${j.criterion}`} value={`judge:${j.field}:${j.criterion}`}>{j.field}.{j.criterion} score</option>)}
        </select>
        <Button size="sm" aria-label={p.sort.dir === "asc" ? "Ascending" : "Descending"} onClick={() => p.onSort({ ...p.sort, dir: p.sort.dir === "asc" ? "desc" : "asc" })}>
          {p.sort.dir === "asc" ? "↑" : "↓"}
        </Button>
        <span className="relative">
          <Button size="sm" onClick={() => setColumnsOpen((o) => !o)} aria-expanded={columnsOpen}>Columns</Button>
          {columnsOpen && (
            <div className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-stone-200 bg-white p-2 shadow-lg">
              {p.table.getAllLeafColumns().map((c) => (
                <label key={c.id} className="flex items-center gap-2 py-0.5 text-sm">
                  <input type="checkbox" checked={c.getIsVisible()} onChange={c.getToggleVisibilityHandler()} />
                  {String(c.columnDef.header)}
                </label>
              ))}
              <p className="mt-1 text-xs text-stone-500">Drag headers to reorder, their right edge to resize.</p>
              <Button size="sm" variant="ghost" onClick={p.onResetLayout}>Reset layout</Button>
            </div>
          )}
        </span>
        <RefreshButton datasetId={p.datasetId} onRefresh={p.onRefresh} />
      </span>
    </div>
  );
}

/** Watches the grid's reads itself, so that a page read while scrolling renders this button and nothing around it. */
function RefreshButton({ datasetId, onRefresh }: { datasetId: string; onRefresh: () => void }) {
  const fetching = useIsFetching({ queryKey: keys.all(datasetId) }) > 0;
  return (
    <Button size="sm" onClick={onRefresh} disabled={fetching} title="Re-apply the filter to decisions made since">
      {fetching ? "Loading…" : "Refresh"}
    </Button>
  );
}
