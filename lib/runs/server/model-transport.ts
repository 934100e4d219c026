import "server-only";
// One model request, the way a run makes it: response cache, the connection's shared
// rate limiter, a per-request timeout, and retries with backoff for what can heal
// (429, 5xx, timeouts, dropped connections). This is where a request is retried.
import type OpenAI from "openai";
import { ModelCallError, RecordInterrupted, type ModelAnswer, type ModelCall, type ModelRequest } from "@/lib/generation/generate-record";
import { requestCacheKey } from "@/lib/generation/cache-key";
import { costUsd, priceFor, type PriceTable } from "@/lib/generation/prices";
import type { RateLimiter } from "@/lib/generation/rate-limiter";
import { backoffMs, classifyFailure, shouldStopRun, type Outcome } from "@/lib/generation/retry";

export type CacheStore = {
  get(key: string): Promise<ModelAnswer | undefined>;
  put(key: string, answer: ModelAnswer): void;
};

export type TransportOptions = {
  client: OpenAI;
  /**
   * The limiter, or one per model: limits belong to a (connection, model) pair, so a run
   * whose fields use two models waits on each model's own window (connection-runtime.ts).
   */
  limiter: RateLimiter | ((model: string) => RateLimiter);
  prices: PriceTable;
  cache?: CacheStore;
  /** Part of every cache key: the dataset and the server (see cache-key.ts). */
  cacheNamespace?: string;
  maxAttempts: number;
  requestTimeoutMs: number;
  signal?: AbortSignal;
  /** Stream answers (live samples); batch runs do not, it only costs parsing. */
  stream?: boolean;
};

/**
 * What a benchmark observes of this process's traffic: each request as it is sent, and
 * each 429 window as it is learned (bench/worker-probe.ts counts requests sent inside a
 * window, across a kill and restart). Unset, it costs one property check per request.
 */
export const transportProbe: { sent?: (at: number) => void; rateLimited?: (at: number, retryAfterMs: number) => void } = {};

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** The chat request body as sent (batch mode writes the same body into its input file). */
export function requestBody(req: ModelRequest, logprobs: boolean) {
  const p = req.params;
  return {
    model: req.model,
    messages: req.messages,
    ...(p.temperature !== undefined && { temperature: p.temperature }),
    ...(p.top_p !== undefined && { top_p: p.top_p }),
    ...(p.max_tokens !== undefined && { max_tokens: p.max_tokens }),
    ...(p.seed !== undefined && { seed: p.seed }),
    ...(req.responseFormat && { response_format: req.responseFormat }),
    ...(logprobs && { logprobs: true }),
  };
}

/** Cheap token estimate for the limiter's budget; exact counts come back in `usage`. */
function estimateTokens(req: ModelRequest): number {
  let chars = 0;
  for (const m of req.messages) chars += m.content.length;
  return Math.ceil(chars / 4) + (req.params.max_tokens ?? 256);
}

/** Outcomes the stop rule reads: the run's first requests tell whether its setup works. */
const STOP_RULE_FIRST = 3;

/**
 * 429s a request may meet, per attempt it is allowed (`maxAttempts`), before its record
 * fails. A 429 is the provider pacing the connection, not a fault of the record: behind a
 * limit that sends no headers, the AIMD window learns it from 429s, and while it narrows
 * any request can meet several in a row (two runs of 60 on a limit of 4 failed one record
 * this way with 5 attempts in all, in two full test runs of 12-05). Other failures
 * keep the `maxAttempts` budget.
 */
export const RATE_LIMITED_TRIES_PER_ATTEMPT = 4;

export function createModelCall(opts: TransportOptions): ModelCall {
  // The first completed requests of this run (successes and final failures), for
  // shouldStopRun: three identical refusals (a model answering 400 to every request) stop
  // the run instead of failing every record one by one, paying for each.
  const outcomes: Outcome[] = [];
  const settle = (o: Outcome) => {
    if (outcomes.length < STOP_RULE_FIRST) outcomes.push(o);
    return shouldStopRun(outcomes, { firstN: STOP_RULE_FIRST });
  };
  // The key, so a provider that echoes it in an error never gets it stored or shown.
  const secrets = [opts.client.apiKey];
  // Logprobs are asked for (judges) until the server refuses them once: then never again
  // on this connection, and the refused request is sent again without them at once.
  let logprobsRefused = false;
  return async (req) => {
    let body = requestBody(req, !!req.logprobs && !logprobsRefused);
    const key = opts.cache
      ? requestCacheKey({
          namespace: opts.cacheNamespace,
          record: { ...req.record, field: req.field.name },
          model: body.model,
          messages: body.messages,
          params: req.params,
          responseFormat: req.responseFormat,
        })
      : undefined;
    if (key) {
      const hit = await opts.cache!.get(key);
      if (hit) return { ...hit, cached: true, costUsd: 0, latencyMs: 0, attempts: 0 };
    }
    const estimate = estimateTokens(req);
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      const limiter = typeof opts.limiter === "function" ? opts.limiter(req.model) : opts.limiter;
      const permit = await limiter.acquire(estimate, opts.signal).catch((reason) => {
        throw new RecordInterrupted(reason);
      });
      transportProbe.sent?.(Date.now());
      const timeout = AbortSignal.timeout(opts.requestTimeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      const t0 = performance.now();
      try {
        const { content, tokensIn, tokensOut, headers, logprobs } = opts.stream
          ? await streamed(opts.client, body, signal, req.onDelta)
          : await plain(opts.client, body, signal);
        permit.release({ headers, status: 200, tokensUsed: tokensIn + tokensOut });
        const answer: ModelAnswer = {
          content,
          tokensIn,
          tokensOut,
          latencyMs: Math.round(performance.now() - t0),
          attempts: attempt,
          cached: false,
          costUsd: costUsd(tokensIn, tokensOut, priceFor(req.model, opts.prices)),
          ...(logprobs && { logprobs }),
        };
        if (key) opts.cache!.put(key, answer);
        settle({ ok: true });
        return answer;
      } catch (e) {
        if (opts.signal?.aborted) {
          permit.release({ status: 499 });
          throw new RecordInterrupted(opts.signal.reason);
        }
        const timedOut = timeout.aborted;
        const err = e as { status?: number; headers?: Headers; code?: string; message?: string };
        if (body.logprobs && err.status === 400 && /logprob/i.test(err.message ?? "")) {
          permit.release({ headers: err.headers, status: 400 });
          logprobsRefused = true;
          body = requestBody(req, false);
          attempt--;
          continue;
        }
        const failure = classifyFailure(timedOut ? { code: "ETIMEDOUT", error: e, secrets } : { status: err.status, error: e, code: err.code, secrets });
        const retryAfterMs = retryAfterFrom(err.headers);
        if (err.status === 429 && retryAfterMs !== undefined) transportProbe.rateLimited?.(Date.now(), retryAfterMs);
        permit.release({ headers: err.headers, status: err.status ?? 0, retryAfterMs, rateLimited: failure.kind === "rate_limit" });
        if (failure.fatalForRun) {
          settle({ ok: false, failure });
          throw new ModelCallError(failure.message, attempt, true);
        }
        if (failure.kind === "rate_limit") rateLimited++;
        const spent = failure.kind === "rate_limit" ? rateLimited >= opts.maxAttempts * RATE_LIMITED_TRIES_PER_ATTEMPT : attempt - rateLimited >= opts.maxAttempts;
        if (!failure.retryable || spent) {
          const stop = settle({ ok: false, failure });
          if (stop.stop) throw new ModelCallError(`${stop.reason} (the run's first ${STOP_RULE_FIRST} requests all failed the same way)`, attempt, true);
          throw new ModelCallError(attempt > 1 ? `${failure.message} (gave up after ${attempt} attempts)` : failure.message, attempt);
        }
        await sleep(backoffMs(attempt, { retryAfterMs }), opts.signal).catch((reason) => {
          throw new RecordInterrupted(reason);
        });
      }
    }
  };
}

function retryAfterFrom(headers: Headers | undefined): number | undefined {
  if (!headers?.get) return undefined;
  const ms = Number(headers.get("retry-after-ms"));
  if (ms > 0) return ms;
  const s = Number(headers.get("retry-after"));
  return s > 0 ? s * 1000 : undefined;
}

type Body = ReturnType<typeof requestBody>;

const tokensOf = (lp: { content?: { token: string; logprob: number }[] | null } | null | undefined) => lp?.content?.map((t) => ({ token: t.token, logprob: t.logprob }));

async function plain(client: OpenAI, body: Body, signal: AbortSignal) {
  const { data, response } = await client.chat.completions
    .create(body as OpenAI.ChatCompletionCreateParamsNonStreaming, { signal, maxRetries: 0 })
    .withResponse();
  return {
    content: data.choices[0]?.message?.content ?? "",
    logprobs: tokensOf(data.choices[0]?.logprobs),
    tokensIn: data.usage?.prompt_tokens ?? 0,
    tokensOut: data.usage?.completion_tokens ?? 0,
    headers: response.headers,
  };
}

async function streamed(client: OpenAI, body: Body, signal: AbortSignal, onDelta?: (t: string) => void) {
  const { data: stream, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } } as OpenAI.ChatCompletionCreateParamsStreaming, { signal, maxRetries: 0 })
    .withResponse();
  let content = "";
  let tokensIn = 0;
  let tokensOut = 0;
  let logprobs: { token: string; logprob: number }[] | undefined;
  for await (const chunk of stream) {
    const got = tokensOf(chunk.choices[0]?.logprobs);
    if (got) (logprobs ??= []).push(...got);
    const delta = chunk.choices[0]?.delta?.content;
    if (delta) {
      content += delta;
      onDelta?.(delta);
    }
    if (chunk.usage) {
      tokensIn = chunk.usage.prompt_tokens;
      tokensOut = chunk.usage.completion_tokens;
    }
  }
  return { content, tokensIn, tokensOut, headers: response.headers, logprobs };
}
