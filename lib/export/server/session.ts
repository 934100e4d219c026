import "server-only";
// One export = one read-only REPEATABLE READ transaction on one connection: the split
// counts, every split file and the dataset card see the same snapshot, so a reviewer accepting
// records meanwhile cannot make the card disagree with the files.
//
// The session is tied to the request: when the browser goes away (the request's signal)
// or the body is cancelled, abort() ends the connection at once, in the middle of a COPY
// or not. A COPY nobody reads otherwise waits on a full socket for good, holding a pool
// connection and an old snapshot (which made CREATE INDEX CONCURRENTLY wait minutes).
import type pg from "pg";
import { DomainError } from "@/lib/errors/domain-error";
import type { CellBatch, CellKind } from "@/lib/db/copy/cells";
import { arrayBatch } from "../cells";
import { cellLayout, CopyBinaryParser } from "@/lib/db/copy/binary";
import { CopyOut } from "@/lib/db/copy/server/copy-out";
import { connectRaw, type RawClient, type RawPool } from "@/lib/db/copy/server/raw-pg";

/**
 * Server-side limits, a net under the signal for whatever it misses. One COPY is one
 * statement for the whole download, so its limit is generous; between statements (a zip
 * between files, the card) the session waits only on the browser reading.
 */
export const EXPORT_TIMEOUTS = { statementMs: 30 * 60_000, idleInTransactionMs: 2 * 60_000 };

export const exportCancelled = () => new DomainError("invalid_input", "The download was cancelled.");

export type SessionOptions = { signal?: AbortSignal; statementTimeoutMs?: number; idleInTransactionTimeoutMs?: number };

export class ExportSession {
  private closed = false;
  private aborted = false;
  private unlisten: () => void = () => {};
  private constructor(private readonly client: RawClient) {}

  static async open(pool: RawPool, opts: SessionOptions = {}): Promise<ExportSession> {
    const { signal } = opts;
    if (signal?.aborted) throw exportCancelled();
    const client = await connectRaw(pool);
    const session = new ExportSession(client);
    if (signal) {
      const onAbort = () => session.abort();
      signal.addEventListener("abort", onAbort, { once: true });
      session.unlisten = () => signal.removeEventListener("abort", onAbort);
    }
    try {
      if (signal?.aborted) throw exportCancelled();
      await client.query("begin isolation level repeatable read read only");
      await client.query(`set local statement_timeout = ${Math.round(opts.statementTimeoutMs ?? EXPORT_TIMEOUTS.statementMs)}`);
      await client.query(`set local idle_in_transaction_session_timeout = ${Math.round(opts.idleInTransactionTimeoutMs ?? EXPORT_TIMEOUTS.idleInTransactionMs)}`);
      // Storage order (no ORDER BY: sorting 1M rows of 1 KB spills a gigabyte to disk and
      // cost 30-50% of the throughput). With synchronized scans off, a scan starts at the
      // first page, so the preview's first rows are the file's first rows.
      await client.query("set local synchronize_seqscans = off");
      // A parallel plan interleaves its workers' rows in no fixed order; one process keeps
      // the file's order stable (and measured no faster on two cores anyway).
      await client.query("set local max_parallel_workers_per_gather = 0");
      await client.query("set local work_mem = '64MB'");
    } catch (e) {
      const cancelled = session.aborted;
      await session.close(false);
      throw cancelled ? exportCancelled() : e;
    }
    return session;
  }

  /** True once abort() ended the session: the errors that follow are the cancellation, not faults. */
  get cancelled(): boolean {
    return this.aborted;
  }

  /**
   * Ends the session now: the connection is closed (destroyed if a query is running), the
   * query waiting on it fails, and the pool gets its slot back.
   */
  abort(): void {
    if (this.closed) return;
    this.aborted = true;
    void this.close(false);
  }

  async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    return (await this.client.query<T>(sql)).rows;
  }

  /**
   * Rows of a query whose columns are cells of these kinds (see cells.ts), as they stream
   * from PostgreSQL, read in place from the socket's chunks (lib/db/copy/server/copy-out.ts).
   */
  async *copy(sql: string, kinds: readonly CellKind[]): AsyncGenerator<CellBatch, void, undefined> {
    const out = new CopyOut(`copy (${sql}) to stdout (format binary)`);
    void this.client.query(out as unknown as pg.QueryConfig);
    const parser = new CopyBinaryParser(kinds.length ? kinds : ["prefixed"]);
    for await (const frames of out.frames()) {
      const batch = parser.pushFrames(frames);
      if (batch) yield batch;
    }
    parser.finish();
  }

  /**
   * The first rows the same query gives through COPY, for the preview. A LIMIT could
   * change the plan (an index scan instead of a sequential one) and with it which rows
   * come first; a cursor planned for all its rows (cursor_tuple_fraction = 1, as COPY
   * plans) gets COPY's plan, and fetching stops after `n` rows.
   */
  async firstRows(sql: string, n: number, kinds: readonly CellKind[]): Promise<CellBatch> {
    await this.client.query("set local cursor_tuple_fraction = 1");
    await this.client.query(`declare datawright_preview no scroll cursor for ${sql}`);
    const res = await this.client.query<(string | number | null)[]>({ text: `fetch ${Number(n)} from datawright_preview`, rowMode: "array" });
    await this.client.query("close datawright_preview");
    if (kinds.length === 0) return arrayBatch(res.rows as (string | null)[][], 1);
    // A flagged cell and its bit become one prefixed cell.
    const { flag, bit } = cellLayout(kinds);
    const rows = res.rows.map((raw) =>
      kinds.map((kind, c) => {
        const v = raw[c] as string | null;
        if (kind !== "flagged" || v === null) return v;
        return ((raw[flag[c]] as number) >>> bit[c]) & 1 ? "s" + v : "j" + v;
      }),
    );
    return arrayBatch(rows, kinds.length, kinds.map((k) => k !== "text"));
  }

  /**
   * Ends the transaction. After an early stop (a cancelled download) the connection may
   * be in the middle of a COPY: it is ended rather than returned to the pool (pg's end()
   * destroys the socket when a query is running, sends Terminate otherwise).
   */
  async close(ok: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unlisten();
    if (!ok) {
      this.client.release(true);
      return;
    }
    try {
      await this.client.query("commit");
      this.client.release();
    } catch {
      this.client.release(true);
    }
  }
}
