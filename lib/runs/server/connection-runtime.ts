import "server-only";
// Per-process state of a provider connection: its SDK client and its rate limiters. One
// limiter per (connection, model), not per run, so two runs on the same key and model
// share its limits (providers state them per model: x-ratelimit-* of one model's answers
// say nothing of another's, and a hidden concurrency limit is per deployment), while a
// run on another model of the same key does not shrink their window.
// The limiter's 429 pause is the connection's, not the process's: it is recorded in
// ProviderConnection.rateLimitedUntil, so a process started after a kill -9, or another
// worker, waits out a window that has already answered 429 instead of sending into it
// (13 requests inside a retry-after window in issue 11). Cost: one write per pause (not
// per 429 of a burst), and reads that ride on queries made anyway: at run start here,
// every 500 ms in the executor's watcher.
import type OpenAI from "openai";
import type { Db } from "@/lib/db/server/prisma";
import type { PriceTable } from "@/lib/generation/prices";
import { RateLimiter } from "@/lib/generation/rate-limiter";
import { createClient, resolveConnection } from "@/lib/providers/server/connections";
import { priceTable } from "@/lib/providers/server/prices";

type Runtime = {
  client: OpenAI;
  /** The limiter of a model of this connection, created on first use. */
  limiterFor: (model: string) => RateLimiter;
  /** Every model limiter so far: a pause another process recorded applies to each. */
  limiters: Map<string, RateLimiter>;
  /** Holds back every model's limiter until `until` (a pause recorded for the connection). */
  honourPause: (until: number) => void;
  prices: PriceTable;
  baseUrl: string;
  fingerprint: string;
};
const runtimes = new Map<string, Runtime>();

/** The process's runtime for a connection, created on first use and kept while its settings hold. */
export async function connectionRuntime(db: Db, connectionId: string): Promise<Runtime> {
  const resolved = await resolveConnection(db, connectionId);
  const prices = await priceTable(db);
  const fingerprint = `${resolved.baseUrl}|${resolved.apiKey ?? ""}|${resolved.maxConcurrency}`;
  let rt = runtimes.get(connectionId);
  if (!rt || rt.fingerprint !== fingerprint) {
    rt = newRuntime(db, resolved, prices, fingerprint);
    runtimes.set(connectionId, rt);
  } else if (resolved.rateLimitedUntil) {
    rt.honourPause(resolved.rateLimitedUntil.getTime());
  }
  rt.prices = prices;
  return rt;
}

/**
 * A runtime with fresh process state (what a restarted process gets), not shared with
 * connectionRuntime's: for tests of what survives a restart.
 */
export async function freshConnectionRuntime(db: Db, connectionId: string): Promise<Runtime> {
  const resolved = await resolveConnection(db, connectionId);
  return newRuntime(db, resolved, await priceTable(db), "");
}

function newRuntime(db: Db, resolved: Awaited<ReturnType<typeof resolveConnection>>, prices: PriceTable, fingerprint: string): Runtime {
  // Before the first answer nothing is known about the provider's limits. The limiter's
  // own default sends 4 requests and waits; against a slow model (2 s an answer) that
  // wastes a whole wave of a 512-wide run. The connection's concurrency cap is the
  // user's statement of what this provider takes, so it is the opening burst too
  // (hosted presets default to 16; a drained key then costs at most that many 429s once).
  // A recorded pause holds that burst back, and the limiter then probes and ramps.
  // The recorded pause is the connection's (a 429 of any model): conservative for the
  // other models, which then probe and ramp back within a round trip or two.
  const onPause = pauseRecorder(db, resolved.id);
  const limiters = new Map<string, RateLimiter>();
  let pausedUntil = resolved.rateLimitedUntil?.getTime() ?? null;
  const limiterFor = (model: string) => {
    let limiter = limiters.get(model);
    if (!limiter) {
      limiter = new RateLimiter({ maxConcurrency: resolved.maxConcurrency, initialBurst: resolved.maxConcurrency, pausedUntil, onPause });
      limiters.set(model, limiter);
    }
    return limiter;
  };
  const honourPause = (until: number) => {
    if (pausedUntil === null || until > pausedUntil) pausedUntil = until;
    for (const l of limiters.values()) l.honourPause(until);
  };
  return { client: createClient(resolved), limiterFor, limiters, honourPause, prices, baseUrl: resolved.baseUrl, fingerprint };
}

/**
 * Records pause ends, one write at a time: a burst of 429s (every request in flight when
 * the window closed) extends the pause many times within milliseconds, and only the
 * latest end is worth a round trip. `greatest` keeps another process's later end.
 */
function pauseRecorder(db: Db, connectionId: string): (until: number) => void {
  let wanted = 0;
  let written = 0;
  let writing = false;
  const write = async () => {
    writing = true;
    try {
      while (wanted > written) {
        const until = wanted;
        await db.$executeRaw`update "ProviderConnection" set "rateLimitedUntil" = greatest("rateLimitedUntil", ${new Date(until)}::timestamptz) where id = ${connectionId}::uuid`;
        written = until;
      }
    } catch (e) {
      // This process still honours the pause; only other processes miss it. The next 429 retries.
      console.error(`[datawright] could not record the rate-limit pause of connection ${connectionId}:`, e instanceof Error ? e.message : e);
    } finally {
      writing = false;
    }
  };
  return (until) => {
    if (until > wanted) wanted = until;
    if (!writing) void write();
  };
}
