"use client";
// Rows for a virtual grid over any number of records: the count for the filter sizes the
// scroll area, and only the pages under the visible rows are fetched (and cached). Writes
// patch cached rows in place rather than refetching, so a row does not jump away from
// under the reviewer when it stops matching the filter; "Refresh" re-applies the filter.
import { keepPreviousData, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { RecordFilter } from "@/lib/records/filter";
import { PAGE_SIZE, type RecordSort } from "@/lib/review/schemas";
import type { RecordRow, ReviewStats, RowPatch } from "@/lib/review/types";
import { keys, readReview } from "./api";

export function useGridData(opts: {
  datasetId: string;
  filter: RecordFilter;
  sort: RecordSort;
  /** The pages under the visible rows. */
  pages: { first: number; last: number };
  initial?: { filter: RecordFilter; sort: RecordSort; rows: RecordRow[]; total: number; stats: ReviewStats };
}) {
  const { datasetId: ds, filter, sort, pages: visible } = opts;
  const qc = useQueryClient();
  const isInitial = !!opts.initial && JSON.stringify([opts.initial.filter, opts.initial.sort]) === JSON.stringify([filter, sort]);

  const count = useQuery({
    queryKey: keys.count(ds, filter),
    queryFn: ({ signal }) => readReview<number>(ds, { kind: "count", filter }, signal),
    initialData: isInitial ? opts.initial!.total : undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const stats = useQuery({
    queryKey: keys.stats(ds),
    queryFn: ({ signal }) => readReview<ReviewStats>(ds, { kind: "stats" }, signal),
    initialData: opts.initial?.stats,
    staleTime: 0,
  });

  const total = count.data ?? 0;
  // The pages under the visible rows and one on either side, so rows scrolled into view
  // usually arrive with their data instead of as placeholders swapped a moment later.
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = Math.max(0, visible.first - 1);
  const last = Math.min(pageCount - 1, Math.max(first, visible.last + 1));
  const pageIndexes = useMemo(() => Array.from({ length: last - first + 1 }, (_, i) => first + i), [first, last]);
  const pages = useQueries({
    queries: pageIndexes.map((index) => ({
      queryKey: keys.page(ds, filter, sort, index),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        readReview<RecordRow[]>(ds, { kind: "page", filter, sort, offset: index * PAGE_SIZE, limit: PAGE_SIZE }, signal),
      initialData: isInitial && index === 0 ? opts.initial!.rows : undefined,
      staleTime: Infinity,
      enabled: total > 0 || count.isPlaceholderData,
      placeholderData: keepPreviousData,
    })),
  });

  const rowAt = useCallback(
    (i: number): RecordRow | undefined => {
      const p = Math.floor(i / PAGE_SIZE);
      const k = p - first;
      const data = k >= 0 && k < pages.length ? pages[k].data : qc.getQueryData<RecordRow[]>(keys.page(ds, filter, sort, p));
      if (k >= 0 && k < pages.length && pages[k].isPlaceholderData) return undefined;
      return data?.[i % PAGE_SIZE];
    },
    [pages, first, qc, ds, filter, sort],
  );

  /** Applies a write's result to every cached copy of the row. */
  const patchRow = useCallback(
    (patch: RowPatch | RecordRow | (Partial<RecordRow> & { id: string })) => {
      qc.setQueriesData<RecordRow[]>({ queryKey: keys.pages(ds) }, (old) => old?.map((r) => (r.id === patch.id ? { ...r, ...patch } : r)));
    },
    [qc, ds],
  );

  /** Where a record sits in the current order, if its page is loaded. */
  const indexOf = useCallback(
    (id: string): number | null => {
      for (const [key, data] of qc.getQueriesData<RecordRow[]>({ queryKey: keys.pages(ds) })) {
        const [, , , f, s, p] = key as unknown as [string, string, string, RecordFilter, RecordSort, number];
        if (JSON.stringify([f, s]) !== JSON.stringify([filter, sort])) continue;
        const at = data?.findIndex((r) => r.id === id) ?? -1;
        if (at >= 0) return p * PAGE_SIZE + at;
      }
      return null;
    },
    [qc, ds, filter, sort],
  );

  const refresh = useCallback(() => qc.invalidateQueries({ queryKey: keys.all(ds) }), [qc, ds]);
  const pageError = pages.find((p) => p.error)?.error ?? count.error;
  const loading = count.isLoading || pages.some((p) => p.isLoading);
  return { total, count, stats, rowAt, patchRow, indexOf, refresh, pageError, loading, fetching: count.isFetching || pages.some((p) => p.isFetching) };
}
