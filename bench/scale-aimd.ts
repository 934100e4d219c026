// `scale` group, aimd_fidelity: a provider with a hidden limit of 40 requests in flight
// per model and no x-ratelimit-* headers (fake-llm's maxInFlightPerModel), driven through
// the run's RateLimiter at a run concurrency of 64 for one minute, against 40 requests
// kept in flight on the same server without the limit (what knowing the limit gives).
import OpenAI from "openai";
import { startFakeLlm } from "../fake-llm/server";
import { RateLimiter } from "../lib/generation/rate-limiter";

const LIMIT = 40;
const CONCURRENCY = 64;

async function drive(url: string, concurrency: number, durationMs: number) {
  const client = new OpenAI({ baseURL: url, apiKey: "sk-bench", maxRetries: 0 });
  // As connection-runtime.ts makes it: the run's concurrency is the opening burst too.
  const limiter = new RateLimiter({ maxConcurrency: concurrency, initialBurst: concurrency });
  const end = Date.now() + durationMs;
  let ok = 0;
  let rejected = 0;
  const worker = async () => {
    while (Date.now() < end) {
      const permit = await limiter.acquire(0);
      try {
        await client.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }], max_tokens: 8 });
        permit.release({ status: 200 });
        if (Date.now() < end) ok++;
      } catch (e) {
        const status = (e as { status?: number }).status;
        const headers = (e as { headers?: Headers }).headers;
        permit.release({ status, headers: headers ? Object.fromEntries(headers.entries()) : undefined });
        if (status === 429 && Date.now() < end) rejected++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ok, rejected, window: limiter.stats().window };
}

export async function benchScaleAimd(durationMs = 60_000): Promise<Record<string, number>> {
  const limited = await startFakeLlm({ maxInFlightPerModel: LIMIT, latencyMs: 500, jitterMs: 1000 });
  const open = await startFakeLlm({ latencyMs: 500, jitterMs: 1000 });
  try {
    const aimd = await drive(limited.url, CONCURRENCY, durationMs);
    const ideal = await drive(open.url, LIMIT, durationMs);
    return {
      aimd_fidelity: aimd.ok / ideal.ok,
      aimd_429_share: aimd.rejected / (aimd.ok + aimd.rejected),
      aimd_ok: aimd.ok,
      aimd_ideal_ok: ideal.ok,
      aimd_final_window: aimd.window ?? -1,
    };
  } finally {
    await limited.close();
    await open.close();
  }
}
