import "server-only";
// COPY ... FROM STDIN on a raw connection (raw-pg.ts), through pg-copy-streams: the
// writing side of COPY, as copy-out.ts is the reading side. The caller writes the rows
// (binary.ts has the format's header) and ends the stream, or aborts it.
import { from as copyFrom, type CopyStreamQuery } from "pg-copy-streams";
import type { RawClient } from "./raw-pg";

export type CopyIn = {
  stream: CopyStreamQuery;
  /** Settles when PostgreSQL has taken every row (after `stream.end()`), or the COPY failed. */
  done: Promise<void>;
};

/** Starts `sql` (a `copy ... from stdin`) on the client; the caller holds its transaction. */
export function startCopyIn(client: RawClient, sql: string): CopyIn {
  const stream = client.query(copyFrom(sql));
  const done = new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
  });
  done.catch(() => {}); // awaited by the caller; an early failure must not go unhandled meanwhile
  return { stream, done };
}

/** Sends CopyFail and waits for PostgreSQL to acknowledge it, so ROLLBACK can follow. */
export async function abortCopyIn(copy: CopyIn, cause: unknown): Promise<void> {
  await new Promise<void>((resolve) => {
    copy.stream.once("close", resolve);
    copy.stream.destroy(cause instanceof Error ? cause : new Error(String(cause)));
  });
}
