import "server-only";
// Per-process state of a provider connection: its SDK client and its rate limiter. One
// limiter per connection (not per run) so two runs on the same key share its limits.
import type OpenAI from "openai";
import type { Db } from "@/lib/db/server/prisma";
import type { PriceTable } from "@/lib/generation/prices";
import { RateLimiter } from "@/lib/generation/rate-limiter";
import { createClient, resolveConnection } from "@/lib/providers/server/connections";
import { priceTable } from "@/lib/providers/server/prices";

type Runtime = { client: OpenAI; limiter: RateLimiter; prices: PriceTable; baseUrl: string; fingerprint: string };
const runtimes = new Map<string, Runtime>();

export async function connectionRuntime(db: Db, connectionId: string): Promise<Runtime> {
  const resolved = await resolveConnection(db, connectionId);
  const prices = await priceTable(db);
  const fingerprint = `${resolved.baseUrl}|${resolved.apiKey ?? ""}|${resolved.maxConcurrency}`;
  let rt = runtimes.get(connectionId);
  if (!rt || rt.fingerprint !== fingerprint) {
    // Before the first answer nothing is known about the provider's limits. The limiter's
    // own default sends 4 requests and waits; against a slow model (2 s an answer) that
    // wastes a whole wave of a 512-wide run. The connection's concurrency cap is the
    // user's statement of what this provider takes, so it is the opening burst too
    // (hosted presets default to 16; a drained key then costs at most that many 429s once).
    const limiter = new RateLimiter({ maxConcurrency: resolved.maxConcurrency, initialBurst: resolved.maxConcurrency });
    rt = { client: createClient(resolved), limiter, prices, baseUrl: resolved.baseUrl, fingerprint };
    runtimes.set(connectionId, rt);
  }
  rt.prices = prices;
  return rt;
}
