import "server-only";
import type { Db, Tx } from "./prisma";

/**
 * Runs `fn` in a transaction: a new one, or the caller's when `db` is a transaction
 * already (a service composing writes; a test that rolls a change back to show its audit
 * event goes with it). An interactive transaction client has no $transaction.
 */
export function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = db as Partial<Pick<Db, "$transaction">>;
  return typeof client.$transaction === "function" ? (db as Db).$transaction(fn) : fn(db as Tx);
}
