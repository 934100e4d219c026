import "server-only";
// Plain `pg` beside Prisma, for what Prisma cannot do: COPY in and out (exports stream
// through binary COPY; imports load through COPY FROM). One small pool per process.
import pg from "pg";
import { env } from "@/lib/env";
import { DomainError } from "@/lib/errors/domain-error";

export type RawPool = pg.Pool;
export type RawClient = pg.PoolClient;

const g = globalThis as unknown as { datawrightRawPool?: pg.Pool };

/**
 * How long a download or an import waits for one of the pool's connections. Without a
 * limit, a pool held by stuck sessions made every later export and import hang with no
 * answer; after this wait they are told the studio is busy instead.
 */
export const CONNECT_WAIT_MS = 10_000;

export function createRawPool(url: string, max = 6, opts: { connectWaitMs?: number } = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: opts.connectWaitMs ?? CONNECT_WAIT_MS });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", (e) => console.error("[datawright] idle database connection failed:", e.message));
  return pool;
}

/**
 * A connection from the pool, or a DomainError("unavailable") once the pool's wait runs
 * out (pg-pool says only "timeout exceeded when trying to connect"). The client has an
 * error listener while it is checked out: pg-pool removes its own then, and a connection
 * the server ends (an idle-in-transaction timeout) emits "error", which with no listener
 * would end the process.
 */
export async function connectRaw(pool: RawPool): Promise<RawClient> {
  let client: RawClient;
  try {
    client = await pool.connect();
  } catch (e) {
    if (e instanceof Error && /timeout exceeded when trying to connect/.test(e.message)) {
      throw new DomainError(
        "unavailable",
        `The studio is busy: all ${pool.options.max} database connections for downloads and imports are in use. Try again in a moment, or cancel a download or import that is still running.`,
      );
    }
    throw e;
  }
  client.on("error", ignoreCheckedOutError);
  const release = client.release.bind(client);
  client.release = (err?: Error | boolean) => {
    client.removeListener("error", ignoreCheckedOutError);
    release(err);
  };
  return client;
}

// The query that was running receives the same error, and whoever holds the client
// releases it as broken; nothing more to do here.
function ignoreCheckedOutError() {}

export function rawPool(): pg.Pool {
  if (g.datawrightRawPool) return g.datawrightRawPool;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the studio with `./studio start`, which provides the database.");
  g.datawrightRawPool = createRawPool(url);
  return g.datawrightRawPool;
}

/** Ends the pool rawPool() made, if any (tests that switch database, scripts on exit). */
export async function closeRawPool() {
  const pool = g.datawrightRawPool;
  g.datawrightRawPool = undefined;
  await pool?.end().catch(() => {});
}
