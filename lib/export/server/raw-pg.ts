import "server-only";
// Plain `pg` beside Prisma, for what Prisma cannot do: COPY in and out (exports stream
// through binary COPY; imports load through COPY FROM). One small pool per process.
import pg from "pg";
import { env } from "@/lib/env";

export type RawPool = pg.Pool;
export type RawClient = pg.PoolClient;

const g = globalThis as unknown as { datawrightRawPool?: pg.Pool };

export function createRawPool(url: string, max = 6): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle client that loses its connection must not crash the process.
  pool.on("error", (e) => console.error("[datawright] idle database connection failed:", e.message));
  return pool;
}

export function rawPool(): pg.Pool {
  if (g.datawrightRawPool) return g.datawrightRawPool;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the studio with `./studio start`, which provides the database.");
  g.datawrightRawPool = createRawPool(url);
  return g.datawrightRawPool;
}
