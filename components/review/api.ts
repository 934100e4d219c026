// The grid's reads (GET, parallel) and the query keys they live under. Every key starts
// with ["review", datasetId] so one invalidation refreshes the whole page.
import { readJson } from "@/lib/errors/client";
import type { RecordFilter } from "@/lib/records/filter";
import type { ReviewRead, RecordSort } from "@/lib/review/schemas";

export async function readReview<T>(datasetId: string, q: ReviewRead, signal?: AbortSignal): Promise<T> {
  return readJson<T>(await fetch(`/datasets/${datasetId}/records/data?q=${encodeURIComponent(JSON.stringify(q))}`, { signal }));
}

export const keys = {
  all: (ds: string) => ["review", ds] as const,
  pages: (ds: string) => ["review", ds, "page"] as const,
  page: (ds: string, filter: RecordFilter, sort: RecordSort, index: number) => ["review", ds, "page", filter, sort, index] as const,
  count: (ds: string, filter: RecordFilter) => ["review", ds, "count", filter] as const,
  stats: (ds: string) => ["review", ds, "stats"] as const,
  record: (ds: string, id: string) => ["review", ds, "record", id] as const,
  actions: (ds: string) => ["review", ds, "actions"] as const,
  cluster: (ds: string, id: string) => ["review", ds, "cluster", id] as const,
};
