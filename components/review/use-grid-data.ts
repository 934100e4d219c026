"use client";
// Rows for a virtual grid over any number of records: the count for the filter sizes the
// scroll area, and only the pages under the visible rows are fetched (and cached). Writes
// patch cached rows in place rather than refetching, so a row does not jump away from
// under the reviewer when it stops matching the filter; "Refresh" re-applies the filter.
import { keepPreviousData, useQueries, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { RecordFilter } from "@/lib/records/filter";
import { PAGE_SIZE, type RecordSort } from "@/lib/review/schemas";
import type { RecordRow, ReviewStats, RowPatch } from "@/lib/review/types";
import { keys, readReview } from "./api";

/**
 * What a page of rows is read with: one definition for the rows' pages and the focused
 * row's. A page after one already read starts after that page's last row (see anchorOf).
 */
function pageQuery(qc: QueryClient, ds: string, filter: RecordFilter, sort: RecordSort, index: number, initialRows: RecordRow[] | undefined) {
  return {
    queryKey: keys.page(ds, filter, sort, index),
    queryFn: async ({ signal }: { signal: AbortSignal }) => {
      await afterNextFrame();
      return readReview<RecordRow[]>(ds, { kind: "page", filter, sort, offset: index * PAGE_SIZE, limit: PAGE_SIZE, after: anchorOf(qc, ds, filter, sort, index) }, signal);
    },
    initialData: index === 0 ? initialRows : undefined,
    staleTime: Infinity,
  };
}

/**
 * Resolves once the frame being drawn is done (or after 100 ms, where a hidden tab draws
 * none). A page is read when the rows reach a page boundary, inside a scroll frame: starting
 * the request there added 1-3.6 ms (the `fetch` call itself) to that frame, on top of the
 * rows' render; a frame later it lands in a frame of its own. The page read ahead has a
 * page of scrolling to arrive in.
 */
function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/** Rows this browser changed since their page was read: their place in the sort may have moved. */
const changedRows = new WeakSet<RecordRow>();

/**
 * The row page `index` starts after: the previous page's last row, if that page is read,
 * current (not refreshing) and full, and the row unchanged here since. The server then
 * reads the page from that row's key instead of counting `index * PAGE_SIZE` rows, which
 * on a sort by a value costs a few µs per row skipped (lib/review/server/page-order.ts),
 * and the page follows on from the rows on screen even where a decision made a record
 * leave the filter. Otherwise (a jump, a refresh) the offset places it.
 */
function anchorOf(qc: QueryClient, ds: string, filter: RecordFilter, sort: RecordSort, index: number): string | undefined {
  if (index === 0) return undefined;
  const before = qc.getQueryState<RecordRow[]>(keys.page(ds, filter, sort, index - 1));
  const last = before?.data?.[PAGE_SIZE - 1];
  if (!last || before.isInvalidated || before.fetchStatus !== "idle" || changedRows.has(last)) return undefined;
  return last.id;
}

/** Row `i` from the cache, if its page has been read: no subscription, no render. */
function cachedRow(qc: QueryClient, ds: string, filter: RecordFilter, sort: RecordSort, i: number): RecordRow | undefined {
  return qc.getQueryData<RecordRow[]>(keys.page(ds, filter, sort, Math.floor(i / PAGE_SIZE)))?.[i % PAGE_SIZE];
}

/** Where the rows come from, for the grid's body (usePageRows). */
export type PageSource = { datasetId: string; filter: RecordFilter; sort: RecordSort; initialRows: RecordRow[] | undefined; enabled: boolean };

/**
 * The page's part of the grid's data: counts, the focused row, writes and reads of cached
 * rows. It subscribes to the focused row's page only; the pages under the viewport are the
 * body's (usePageRows), so that scrolling onto another page renders the rows again and not
 * the page around them (its filter bar, counts and panels).
 */
export function useGridData(opts: {
  datasetId: string;
  filter: RecordFilter;
  sort: RecordSort;
  /** The cursor's row index. */
  focus: number;
  initial?: { filter: RecordFilter; sort: RecordSort; rows: RecordRow[]; total: number; stats: ReviewStats };
}) {
  const { datasetId: ds, filter, sort, focus } = opts;
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
  const initialRows = isInitial ? opts.initial!.rows : undefined;
  const enabled = total > 0 || count.isPlaceholderData;
  const source = useMemo<PageSource>(() => ({ datasetId: ds, filter, sort, initialRows, enabled }), [ds, filter, sort, initialRows, enabled]);
  const focusPage = useQuery({ ...pageQuery(qc, ds, filter, sort, Math.floor(focus / PAGE_SIZE), initialRows), enabled });
  const focused = focusPage.data?.[focus % PAGE_SIZE];

  /** A cached row, read when it is needed (a click, a range of rows). */
  const rowAt = useCallback((i: number) => cachedRow(qc, ds, filter, sort, i), [qc, ds, filter, sort]);

  /** Applies a write's result to every cached copy of the row. */
  const patchRow = useCallback(
    (patch: RowPatch | RecordRow | (Partial<RecordRow> & { id: string })) => {
      const patched = (r: RecordRow) => {
        const row = { ...r, ...patch };
        changedRows.add(row);
        return row;
      };
      qc.setQueriesData<RecordRow[]>({ queryKey: keys.pages(ds) }, (old) => old?.map((r) => (r.id === patch.id ? patched(r) : r)));
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
  return { total, count, stats, source, focused, rowAt, patchRow, indexOf, refresh };
}

/**
 * The rows under the grid's viewport: the pages under the visible rows and one on either
 * side, so rows scrolled into view usually arrive with their data instead of as
 * placeholders swapped a moment later. `rowAt` gives no row for a page still showing the
 * previous filter's rows (placeholder data).
 */
export function usePageRows(source: PageSource, visible: { first: number; last: number }, total: number) {
  const { datasetId: ds, filter, sort } = source;
  const qc = useQueryClient();
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = Math.max(0, visible.first - 1);
  const last = Math.min(pageCount - 1, Math.max(first, visible.last + 1));
  const pageIndexes = useMemo(() => Array.from({ length: last - first + 1 }, (_, i) => first + i), [first, last]);
  const pages = useQueries({
    queries: pageIndexes.map((index) => ({ ...pageQuery(qc, ds, filter, sort, index, source.initialRows), enabled: source.enabled, placeholderData: keepPreviousData })),
  });
  const rowAt = useCallback(
    (i: number): RecordRow | undefined => {
      const k = Math.floor(i / PAGE_SIZE) - first;
      if (k < 0 || k >= pages.length) return cachedRow(qc, ds, filter, sort, i);
      return pages[k].isPlaceholderData ? undefined : pages[k].data?.[i % PAGE_SIZE];
    },
    [pages, first, qc, ds, filter, sort],
  );
  return { rowAt, error: pages.find((p) => p.error)?.error ?? null };
}
