import "server-only";
// One export = one read-only REPEATABLE READ transaction on one connection: the split
// counts, every split file and the dataset card see the same snapshot, so a reviewer accepting
// records meanwhile cannot make the card disagree with the files.
import type pg from "pg";
import { arrayBatch, type CellBatch, type CellKind } from "../cells";
import { cellLayout, CopyBinaryParser } from "../copy-binary";
import { CopyOut } from "./copy-out";
import type { RawClient, RawPool } from "./raw-pg";

export class ExportSession {
  private closed = false;
  private constructor(private readonly client: RawClient) {}

  static async open(pool: RawPool): Promise<ExportSession> {
    const client = await pool.connect();
    try {
      await client.query("begin isolation level repeatable read read only");
      // Storage order (no ORDER BY: sorting 1M rows of 1 KB spills a gigabyte to disk and
      // cost 30-50% of the throughput). With synchronized scans off, a scan starts at the
      // first page, so the preview's first rows are the file's first rows.
      await client.query("set local synchronize_seqscans = off");
      // A parallel plan interleaves its workers' rows in no fixed order; one process keeps
      // the file's order stable (and measured no faster on two cores anyway).
      await client.query("set local max_parallel_workers_per_gather = 0");
      await client.query("set local work_mem = '64MB'");
    } catch (e) {
      client.release(true);
      throw e;
    }
    return new ExportSession(client);
  }

  async query<T extends Record<string, unknown>>(sql: string): Promise<T[]> {
    return (await this.client.query<T>(sql)).rows;
  }

  /**
   * Rows of a query whose columns are cells of these kinds (see cells.ts), as they stream
   * from PostgreSQL, read in place from the socket's chunks (copy-out.ts).
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
   * be in the middle of a COPY: it is destroyed rather than returned to the pool.
   */
  async close(ok: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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
