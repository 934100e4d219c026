// Single-record writes from one browser (see README, "Optimistic concurrency"): each
// record's writes run one after another, each sending the revision the previous one left,
// so quick keys on one record (accept, then a label) do not conflict with each other.
// Pure: the cache, the server and the messages are passed in, so it is tested without React.

type Row = { id: string; revision: number };

export type WriteDeps<R extends Row, P extends { id: string }> = {
  /** Applies fields (the optimistic change, the server's answer) to every cached copy of the row. */
  patch(p: P | (Partial<R> & { id: string })): void;
  /** The row as the cache has it when its turn comes (with what earlier writes returned); undefined: use the row written. */
  current(row: R): { revision: number } | undefined;
  /** The row as the server has it now, shown after a failed write; null when that read fails too. */
  reload(id: string): Promise<R | null>;
  onError(e: unknown): void;
  /** After a failed write, once the reloaded row is in (e.g. refetch the record's details). */
  failed(id: string): void;
  /** After every write, whatever its outcome (e.g. refetch the review progress). */
  settled(id: string): void;
};

export function createWriteChains() {
  const chains = new Map<string, Promise<unknown>>();
  return {
    /**
     * Shows `optimistic` at once, then sends the write when the record's earlier writes are
     * done. Resolves true when the server took it; false after a failure (a conflict
     * included), once the row shows what the server has.
     */
    write<R extends Row, P extends { id: string }>(
      row: R,
      optimistic: Partial<R>,
      send: (revision: number) => Promise<P | R>,
      deps: WriteDeps<R, P>,
    ): Promise<boolean> {
      // Only the fields the write changes: the revision in the cache must stay the server's.
      deps.patch({ id: row.id, ...optimistic });
      const prev = chains.get(row.id) ?? Promise.resolve();
      const next = prev
        .catch(() => {})
        .then(async () => {
          const current = deps.current(row);
          try {
            const patch = await send(current?.revision ?? row.revision);
            deps.patch(patch);
            return true;
          } catch (e) {
            deps.onError(e);
            // On a conflict (or any failure) show what the server has now.
            const fresh = await deps.reload(row.id).catch(() => null);
            if (fresh) deps.patch(fresh);
            deps.failed(row.id);
            return false;
          } finally {
            deps.settled(row.id);
          }
        });
      chains.set(row.id, next);
      return next;
    },
  };
}
