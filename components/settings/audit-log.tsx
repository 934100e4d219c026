"use client";
// Settings → Audit (lib/audit/README.md): the trail newest first, filtered by action,
// person and dataset, a keyset page at a time ("Show older" continues after the last row
// shown). The first page comes from the server; filters and paging call listAuditAction.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorText, Label } from "@/components/ui/field";
import { listAuditAction } from "@/lib/audit/actions";
import { AUDIT_ACTIONS, AUDIT_PAGE_SIZE, actionLabel, describeEvent, type AuditCursor } from "@/lib/audit/events";
import type { AuditPage } from "@/lib/audit/server/list";
import { unwrap } from "@/lib/errors/client";

type Filters = { action: string; actorId: string; datasetId: string };
type Choices = { people: { id: string; name: string }[]; datasets: { id: string; name: string }[] };
const COLUMNS = ["When", "Who", "Action", "What", "Dataset"];
const NONE: Filters = { action: "", actorId: "", datasetId: "" };
const selectClass = "w-full rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm";

const noop = () => () => {};
/** The time in the reader's locale and zone; the server renders UTC, the browser then its own. */
function When({ iso }: { iso: string }) {
  const browser = useSyncExternalStore(noop, () => true, () => false);
  const d = new Date(iso);
  return (
    <time dateTime={iso} title={iso}>
      {browser ? d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }) : `${iso.slice(0, 19).replace("T", " ")} UTC`}
    </time>
  );
}

export function AuditLog({ first, filters: choices }: { first: AuditPage; filters: Choices }) {
  const id = useId();
  const [filters, setFilters] = useState<Filters>(NONE);
  const unfiltered = filters.action === "" && filters.actorId === "" && filters.datasetId === "";
  const query = useInfiniteQuery({
    queryKey: ["audit", filters],
    queryFn: ({ pageParam }) =>
      unwrap(
        listAuditAction({
          ...(filters.action ? { action: filters.action } : {}),
          ...(filters.actorId ? { actorId: filters.actorId } : {}),
          ...(filters.datasetId ? { datasetId: filters.datasetId } : {}),
          ...(pageParam ? { after: pageParam } : {}),
          limit: AUDIT_PAGE_SIZE,
        }),
      ),
    initialPageParam: null as AuditCursor | null,
    getNextPageParam: (last) => last.next,
    initialData: unfiltered ? { pages: [first], pageParams: [null] } : undefined,
    // The server's first page is fresh when the page loads; refetched when filters change.
    staleTime: 30_000,
  });
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLSelectElement>) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="space-y-4">
      <form className="grid grid-cols-1 items-end gap-3 sm:grid-cols-[1fr_1fr_1fr_auto]" onSubmit={(e) => e.preventDefault()} aria-label="Filter the audit trail">
        <div>
          <Label htmlFor={`${id}-action`}>Action</Label>
          <select id={`${id}-action`} className={selectClass} value={filters.action} onChange={set("action")}>
            <option value="">All actions</option>
            {Object.keys(AUDIT_ACTIONS).map((a) => (
              <option key={a} value={a}>{actionLabel(a)}</option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor={`${id}-person`}>Person</Label>
          <select id={`${id}-person`} className={selectClass} value={filters.actorId} onChange={set("actorId")}>
            <option value="">Everyone</option>
            {choices.people.map((p) => (
              <option key={p.id} value={p.id}>{p.name}</option>
            ))}
          </select>
        </div>
        <div>
          <Label htmlFor={`${id}-dataset`}>Dataset</Label>
          <select id={`${id}-dataset`} className={selectClass} value={filters.datasetId} onChange={set("datasetId")}>
            <option value="">All datasets</option>
            {choices.datasets.map((d) => (
              <option key={d.id} value={d.id}>{d.name}</option>
            ))}
          </select>
        </div>
        <Button onClick={() => setFilters(NONE)} disabled={unfiltered}>Clear filters</Button>
      </form>

      <ErrorText id={`${id}-error`}>{query.error?.message}</ErrorText>
      <p role="status" className="text-sm text-stone-500">
        {query.isPending ? "Loading…" : `${events.length.toLocaleString("en")} event${events.length === 1 ? "" : "s"} shown${query.hasNextPage ? ", older ones below" : ""}.`}
      </p>

      {!query.isPending && events.length === 0 ? (
        unfiltered ? (
          <EmptyState title="Nothing in the audit trail yet">Review decisions, edits, exports, key and role changes appear here as people make them.</EmptyState>
        ) : (
          <EmptyState title="No events match these filters">Change or clear the filters to see more.</EmptyState>
        )
      ) : (
        <table className="w-full overflow-hidden rounded-lg border border-stone-200 bg-white text-left text-sm">
          <caption className="sr-only">Audit events, newest first</caption>
          <thead className="bg-stone-50 text-stone-600">
            <tr>
              {COLUMNS.map((c) => (
                <th key={c} scope="col" className="px-3 py-2 font-medium">{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} className="border-t border-stone-100 align-top" data-testid="audit-event">
                <td className="whitespace-nowrap px-3 py-2 text-stone-600"><When iso={e.at} /></td>
                <td className="px-3 py-2">{e.actorName}</td>
                <td className="whitespace-nowrap px-3 py-2">{actionLabel(e.action)}</td>
                <td className="px-3 py-2 text-stone-700">{describeEvent(e)}</td>
                <td className="px-3 py-2 text-stone-600">{e.datasetName ?? (e.datasetId ? "deleted dataset" : "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.hasNextPage && (
        <Button onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? "Loading older events…" : "Show older events"}
        </Button>
      )}
    </div>
  );
}
