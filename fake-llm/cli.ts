// `npm run fake-llm -- [flags]`: runs the fake OpenAI-compatible server so the studio
// can be tried without an API key. See fake-llm/README.md.
import { parseArgs } from "node:util";
import { DEFAULT_MODELS, FAULT_KINDS, type FakeLlm, type FakeLlmOptions, type FaultKind, startFakeLlm } from "./server";

const HELP = `Usage: npm run fake-llm -- [options]

A fake OpenAI-compatible API (chat completions, models) on 127.0.0.1.

Options:
  --port <n>                 port (default 8787; 0 = random)
  --host <addr>              interface (default 127.0.0.1)
  --latency-ms <ms>          latency per completion (default 0; streams spread it over chunks)
  --jitter-ms <ms>           extra random latency in [0, ms)
  --rpm <n>                  requests per minute (default unlimited)
  --tpm <n>                  tokens per minute (default unlimited)
  --fail-rate <p>            probability of a 500
  --rate-429 <p>             probability of an injected 429
  --hang-rate <p>            probability of a request that never answers
  --broken-json-rate <p>     probability of truncated JSON (JSON-mode requests)
  --wrong-schema-rate <p>    probability of JSON violating the schema (json_schema requests)
  --disconnect-rate <p>      probability of dropping the connection mid-response
  --odd-bytes-rate <p>       probability of an answer with a NUL and an unpaired surrogate in it
  --rate-400 <p>             probability of an injected 400 (a refused request)
  --fault-seed <n>           make the fault draws reproducible
  --fault-sequence <list>    faults for the first requests, e.g. 500,500,ok,hang
                             (${FAULT_KINDS.join(", ")}, ok)
  --api-key <key>            accepted key (repeatable; default: any non-empty key)
  --models <list>            comma-separated model ids
  --no-header-faults         ignore x-fake-fault / x-fake-latency-ms request headers
  --lenient-params           accept unknown request parameters
  --batch-step-ms <ms>       Batch API: time of each of validating, in_progress, finalizing (default 1000)
  --batch-expire-rate <p>    Batch API: probability that a request expires (batch_expired)
  --batch-fail-rate <p>      Batch API: probability that a request fails with a 500 in the error file
  -h, --help                 show this help
`;

function fail(message: string): never {
  process.stderr.write(`fake-llm: ${message.replace(/^fake-llm: /, "")}\n\n${HELP}`);
  process.exit(2);
}

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) fail(`--${name} expects a number, got '${value}'`);
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: false,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "latency-ms": { type: "string" },
      "jitter-ms": { type: "string" },
      rpm: { type: "string" },
      tpm: { type: "string" },
      "fail-rate": { type: "string" },
      "rate-429": { type: "string" },
      "hang-rate": { type: "string" },
      "broken-json-rate": { type: "string" },
      "wrong-schema-rate": { type: "string" },
      "disconnect-rate": { type: "string" },
      "odd-bytes-rate": { type: "string" },
      "rate-400": { type: "string" },
      "fault-seed": { type: "string" },
      "fault-sequence": { type: "string" },
      "api-key": { type: "string", multiple: true },
      models: { type: "string" },
      "no-header-faults": { type: "boolean" },
      "lenient-params": { type: "boolean" },
      "batch-step-ms": { type: "string" },
      "batch-expire-rate": { type: "string" },
      "batch-fail-rate": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
} catch (e) {
  fail((e as Error).message);
}
const v = parsed.values;
if (v.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

let faultSequence: (FaultKind | null)[] | undefined;
if (v["fault-sequence"] !== undefined) {
  faultSequence = v["fault-sequence"]
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      if (s === "ok" || s === "none" || s === "-") return null;
      if (!(FAULT_KINDS as readonly string[]).includes(s)) fail(`unknown fault '${s}' in --fault-sequence`);
      return s as FaultKind;
    });
}

const options: FakeLlmOptions = {
  port: num("port", v.port) ?? 8787,
  host: v.host ?? "127.0.0.1",
  latencyMs: num("latency-ms", v["latency-ms"]),
  jitterMs: num("jitter-ms", v["jitter-ms"]),
  rpm: num("rpm", v.rpm),
  tpm: num("tpm", v.tpm),
  failRate: num("fail-rate", v["fail-rate"]),
  rate429: num("rate-429", v["rate-429"]),
  hangRate: num("hang-rate", v["hang-rate"]),
  brokenJsonRate: num("broken-json-rate", v["broken-json-rate"]),
  wrongSchemaRate: num("wrong-schema-rate", v["wrong-schema-rate"]),
  disconnectRate: num("disconnect-rate", v["disconnect-rate"]),
  oddBytesRate: num("odd-bytes-rate", v["odd-bytes-rate"]),
  rate400: num("rate-400", v["rate-400"]),
  faultSeed: num("fault-seed", v["fault-seed"]),
  faultSequence,
  apiKeys: v["api-key"],
  models: v.models
    ?.split(",")
    .map((m) => m.trim())
    .filter(Boolean),
  headerFaults: !v["no-header-faults"],
  strictParams: !v["lenient-params"],
  batchStepMs: num("batch-step-ms", v["batch-step-ms"]),
  batchExpireRate: num("batch-expire-rate", v["batch-expire-rate"]),
  batchFailRate: num("batch-fail-rate", v["batch-fail-rate"]),
};
// Drop unset flags so the server's defaults apply.
for (const key of Object.keys(options) as (keyof FakeLlmOptions)[]) {
  if (options[key] === undefined) delete options[key];
}

let server: FakeLlm;
try {
  server = await startFakeLlm(options);
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "EADDRINUSE") fail(`port ${options.port} is already in use; pick another with --port`);
  fail(err.message);
}

const apiKey = options.apiKeys?.[0] ?? "fake-key (any non-empty value works)";
const limits = [
  options.rpm ? `${options.rpm} requests/min` : null,
  options.tpm ? `${options.tpm} tokens/min` : null,
].filter(Boolean);
process.stdout.write(
  [
    `Fake OpenAI-compatible API listening on ${server.url}`,
    "",
    "Use it from the studio: add an OpenAI-compatible provider with",
    `  Base URL: ${server.url}`,
    `  API key:  ${apiKey}`,
    `  Models:   ${(options.models ?? DEFAULT_MODELS).join(", ")}`,
    "or, for OpenAI SDK clients, set",
    `  OPENAI_BASE_URL=${server.url} OPENAI_API_KEY=${options.apiKeys?.[0] ?? "fake-key"}`,
    "",
    `Latency: ${options.latencyMs ?? 0} ms${options.jitterMs ? ` (+ up to ${options.jitterMs} ms)` : ""}; ` +
      `rate limits: ${limits.length ? limits.join(", ") : "none"}.`,
    "Answers are synthetic (derived from the prompt), not real model output. Ctrl+C to stop.",
    "",
  ].join("\n"),
);

// A summary line at most every 10 s when there was traffic (no per-request logging).
let lastTotal = 0;
const ticker = setInterval(() => {
  const st = server.stats();
  if (st.totalRequests === lastTotal) return;
  lastTotal = st.totalRequests;
  const statuses = Object.entries(st.byStatus)
    .map(([code, n]) => `${code}:${n}`)
    .join(" ");
  process.stdout.write(
    `[fake-llm] requests ${st.totalRequests} (${statuses}) in-flight ${st.inFlight} (max ${st.maxInFlight}) tokens ${st.totalTokens}\n`,
  );
}, 10_000);
ticker.unref();

let stopping = false;
async function stop() {
  if (stopping) process.exit(130);
  stopping = true;
  clearInterval(ticker);
  await server.close();
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
