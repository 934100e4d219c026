// An OpenAI-compatible fake chat-completions server (node:http only), used by tests,
// benchmarks and `npm run fake-llm`. It is the project's only test double, so it
// mimics the real API closely: response shapes, SSE streaming, error bodies,
// parameter validation, x-ratelimit-* headers and 429s, plus injectable faults.
// See fake-llm/README.md for the behaviour and options, and for which module does what:
// this one starts the server, routes requests and runs the chat pipeline.
import http from "node:http";
import { randomBytes } from "node:crypto";
import { answerSeed, generateAnswer } from "./answer";
import { type BatchReply, BatchStore } from "./batches";
import { invalid } from "./errors";
import { FaultPicker } from "./faults";
import { Responder, later, maskKey } from "./http";
import { RateLimits } from "./limits";
import { type FakeLlmOptions, type FakeStats, emptyStats, resolveOptions } from "./options";
import { validateChat } from "./request";
import { type ChatOutput, respondChat } from "./stream";

export { DEFAULT_MODELS, FAULT_KINDS, type FakeLlmOptions, type FakeStats, type FaultKind } from "./options";

export interface FakeLlm {
  /** Base URL including /v1, e.g. http://127.0.0.1:54321/v1 */
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): FakeStats;
  /** Clears stats, refills the rate-limit buckets and restarts faultSequence / faultSeed draws. */
  reset(): void;
  /** Changes options at runtime (port/host excepted). */
  configure(partial: Partial<FakeLlmOptions>): void;
  /**
   * Closes the key's rate-limit window for `ms`: every chat request until then gets a 429
   * whose retry-after(-ms) is the time left, as when another client drained the quota or a
   * provider's fixed window is spent. Requests already admitted finish normally.
   */
  closeWindow(ms: number): void;
}


const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** A batch input file may be 200 MB; the multipart envelope adds a little. */
const MAX_UPLOAD_BYTES = 201 * 1024 * 1024;
const MODEL_CREATED = 1_715_367_049;

export async function startFakeLlm(options: FakeLlmOptions = {}): Promise<FakeLlm> {
  let opts = resolveOptions(null, options);
  let stats = emptyStats();
  const limits = new RateLimits();
  const faults = new FaultPicker();
  const wire = new Responder(() => stats, limits);
  let answerCounter = 0;
  const fingerprint = `fp_${randomBytes(5).toString("hex")}`;
  let inFlight = 0;
  /** Chat requests in flight per model, for the hidden maxInFlightPerModel limit. */
  const modelInFlight = new Map<string, number>();
  let onDrained: (() => void) | null = null;
  const closeWindow = (ms: number) => limits.closeWindow(ms);
  limits.reset(opts.rpm, opts.tpm);
  faults.reset(opts);

  const output: ChatOutput = {
    http: wire,
    fingerprint,
    maxStreamChunks: () => opts.maxStreamChunks,
    streamed: () => {
      stats.streamed++;
    },
    delivered: (a) => {
      stats.promptTokens += a.promptTokens;
      stats.completionTokens += a.completionTokens;
      stats.totalTokens += a.promptTokens + a.completionTokens;
    },
  };

  function handleChat(req: http.IncomingMessage, res: http.ServerResponse, raw: string, started: number) {
    stats.chatCompletions++;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      wire.sendError(
        res,
        invalid(
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please visit https://platform.openai.com/docs/libraries or contact us through our help center at help.openai.com.)",
        ),
        started,
      );
      return;
    }
    const parsed = validateChat(body, opts.strictParams);
    if ("status" in parsed) {
      wire.sendError(res, parsed, started);
      return;
    }
    if (!opts.modelSet.has(parsed.model)) {
      wire.sendError(
        res,
        invalid(`The model \`${parsed.model}\` does not exist or you do not have access to it.`, null, "model_not_found", 404),
        started,
      );
      return;
    }

    if (parsed.logprobs !== null && opts.noLogprobs.has(parsed.model)) {
      wire.sendError(res, invalid("Unsupported parameter: 'logprobs' is not supported with this model.", "logprobs", "unsupported_parameter"), started);
      return;
    }
    opts.onChatRequest?.((body as { messages: unknown[] }).messages);
    const seedHash = answerSeed(parsed, () => ++answerCounter);
    const normal = generateAnswer(parsed, seedHash, null);
    const refusal = limits.admit(parsed.model, normal.promptTokens + normal.completionTokens, performance.now());
    if (refusal) {
      stats.rateLimited++;
      wire.send429(res, refusal.message, refusal.type, refusal.waitMs, started);
      return;
    }
    if (opts.maxInFlightPerModel > 0) {
      const model = parsed.model;
      const n = modelInFlight.get(model) ?? 0;
      if (n >= opts.maxInFlightPerModel) {
        stats.rateLimited++;
        wire.send429(res, `Too many concurrent requests for ${model}. Please retry shortly.`, "requests", 100, started);
        return;
      }
      modelInFlight.set(model, n + 1);
      res.once("close", () => modelInFlight.set(model, (modelInFlight.get(model) ?? 1) - 1));
    }

    const fault = faults.pick(opts, req, parsed);
    if (fault) stats.faults[fault]++;
    let latency = opts.latencyMs + (opts.jitterMs > 0 ? Math.random() * opts.jitterMs : 0);
    if (opts.headerFaults) {
      const lh = req.headers["x-fake-latency-ms"];
      if (typeof lh === "string" && lh !== "" && Number(lh) >= 0) latency = Number(lh);
    }

    switch (fault) {
      case "hang":
        return; // Never answered; the response closes with its socket (client abort or close()).
      case "429": {
        const r = limits.injected(parsed.model, opts.fault429RetryAfterMs);
        wire.send429(res, r.message, r.type, r.waitMs, started);
        return;
      }
      case "500":
        later(res, latency, () =>
          wire.sendError(
            res,
            {
              status: 500,
              message:
                "The server had an error while processing your request. Sorry about that! You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
              type: "server_error",
              param: null,
              code: null,
            },
            started,
          ),
        );
        return;
      case "400":
        later(res, latency, () =>
          wire.sendError(
            res,
            invalid("Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.", null, "content_policy_violation"),
            started,
          ),
        );
        return;
      case "503":
        later(res, latency, () =>
          wire.sendError(
            res,
            { status: 503, message: "The engine is currently overloaded, please try again later.", type: "server_error", param: null, code: null },
            started,
          ),
        );
        return;
    }
    const answer = fault === "broken-json" || fault === "wrong-schema" || fault === "odd-bytes" ? generateAnswer(parsed, seedHash, fault) : normal;
    respondChat(output, res, parsed, answer, fault, latency, started);
  }

  const batches = new BatchStore(() => opts, output, () => stats.batches);

  function sendBatchReply(res: http.ServerResponse, reply: BatchReply, started: number, contentType = "application/json") {
    if (!("body" in reply)) return wire.sendError(res, reply, started);
    if (contentType === "application/json") return wire.sendJson(res, reply.status, reply.body, started);
    // File content is JSON Lines, sent as OpenAI does (application/octet-stream).
    if (res.destroyed || res.headersSent) return;
    const h = wire.baseHeaders(contentType, started, false);
    h["content-length"] = Buffer.byteLength(reply.body);
    wire.countStatus(reply.status);
    res.writeHead(reply.status, h).end(reply.body);
  }

  /** Files and batches (batches.ts); the body is read whole, as for chat. */
  function handleBatchApi(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, query: URLSearchParams, started: number) {
    const parts = path.replace(/\/$/, "").split("/").slice(2); // ["files", id, "content"] or ["batches", id, "cancel"]
    if (method === "GET") {
      req.resume();
      if (parts[0] === "files" && parts[1]) {
        const content = parts[2] === "content";
        return sendBatchReply(res, batches.file(decodeURIComponent(parts[1]), content), started, content ? "application/octet-stream" : "application/json");
      }
      if (parts[0] === "batches") return sendBatchReply(res, parts[1] ? batches.get(decodeURIComponent(parts[1])) : batches.list(query), started);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_UPLOAD_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_UPLOAD_BYTES) return wire.sendError(res, invalid("Request body too large.", null, null, 413), started);
      const raw = Buffer.concat(chunks);
      if (parts[0] === "files" && parts.length === 1) {
        void batches.upload(req.headers["content-type"], raw).then((reply) => sendBatchReply(res, reply, started));
        return;
      }
      if (parts[0] === "batches" && parts.length === 1) return sendBatchReply(res, batches.create(raw.toString("utf8")), started);
      if (parts[0] === "batches" && parts[2] === "cancel") return sendBatchReply(res, batches.cancel(decodeURIComponent(parts[1]!)), started);
      wire.sendError(res, invalid(`Invalid URL (${method} ${path})`, null, null, 404), started, false);
    });
  }

  function modelJson(id: string): string {
    return JSON.stringify({ id, object: "model", created: MODEL_CREATED, owned_by: id.includes(":") ? "library" : "system" });
  }

  const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 70_000 }, (req, res) => {
    const started = performance.now();
    // Out-of-band counters for benchmarks that run the server in another process; not
    // counted as traffic, and not part of the OpenAI API.
    if (req.url === "/fake/stats" && req.method === "GET") {
      req.resume();
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(stats));
      return;
    }
    if (req.url?.startsWith("/fake/close-window?") && req.method === "POST") {
      req.resume();
      const ms = Number(new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1)).get("ms"));
      if (!(ms >= 0)) {
        res.writeHead(400, { "content-type": "application/json" }).end(`{"error":"ms must be a number >= 0"}`);
        return;
      }
      closeWindow(ms);
      res.writeHead(204).end();
      return;
    }
    stats.totalRequests++;
    inFlight++;
    if (inFlight > stats.maxInFlight) stats.maxInFlight = inFlight;
    res.once("close", () => {
      if (--inFlight === 0 && onDrained) onDrained();
    });
    req.on("error", () => {});

    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q >= 0 ? url.slice(0, q) : url;
    const method = req.method ?? "GET";

    let route: "chat" | "models" | "model" | "health" | "batch" | null = null;
    if (method === "POST" && (path === "/v1/chat/completions" || path === "/v1/chat/completions/")) route = "chat";
    else if (method === "GET" && (path === "/v1/models" || path === "/v1/models/")) route = "models";
    else if (method === "GET" && path.startsWith("/v1/models/")) route = "model";
    else if (method === "GET" && (path === "/health" || path === "/healthz")) route = "health";
    else if ((method === "GET" || method === "POST") && /^\/v1\/(files|batches)(\/|$)/.test(path)) route = "batch";

    if (route === null) {
      req.resume();
      wire.sendError(res, invalid(`Invalid URL (${method} ${path})`, null, null, 404), started, false);
      return;
    }
    if (route === "health") {
      wire.sendJson(res, 200, `{"status":"ok"}`, started, false);
      return;
    }

    const auth = req.headers.authorization;
    const m = typeof auth === "string" ? /^Bearer\s+(\S.*)$/i.exec(auth) : null;
    const key = m ? m[1]!.trim() : "";
    if (!key) {
      req.resume();
      wire.sendError(
        res,
        invalid(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
          null,
          null,
          401,
        ),
        started,
        false,
      );
      return;
    }
    if (opts.apiKeys && !opts.apiKeys.has(key)) {
      req.resume();
      wire.sendError(
        res,
        invalid(
          `Incorrect API key provided: ${opts.echoKeyInErrors ? key : maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          null,
          "invalid_api_key",
          401,
        ),
        started,
        false,
      );
      return;
    }

    if (route === "batch") {
      handleBatchApi(req, res, method, path, new URLSearchParams(q >= 0 ? url.slice(q + 1) : ""), started);
      return;
    }
    if (route === "models") {
      req.resume();
      wire.sendJson(res, 200, `{"object":"list","data":[${opts.models.map(modelJson).join(",")}]}`, started);
      return;
    }
    if (route === "model") {
      req.resume();
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      if (opts.modelSet.has(id)) wire.sendJson(res, 200, modelJson(id), started);
      else {
        wire.sendError(
          res,
          invalid(`The model '${id}' does not exist`, "model", "model_not_found", 404),
          started,
        );
      }
      return;
    }

    // POST /v1/chat/completions
    let raw = "";
    let size = 0;
    let tooLarge = false;
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        raw = "";
        wire.sendError(res, invalid("Request body too large.", null, null, 413), started);
        return;
      }
      raw += chunk;
    });
    req.on("end", () => {
      if (!tooLarge) handleChat(req, res, raw, started);
    });
  });
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
    else socket.destroy();
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1", backlog: 4096 }, () => {
      server.off("error", reject);
      resolvePromise();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const host = options.host ?? "127.0.0.1";
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closed: Promise<void> | null = null;

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    close() {
      if (!closed) {
        const serverClosed = new Promise<void>((resolveClose) => server.close(() => resolveClose()));
        // Wait for every response's close handler too: they clear pending latency timers.
        const drained = new Promise<void>((resolveDrain) => {
          if (inFlight === 0) resolveDrain();
          else onDrained = resolveDrain;
        });
        // Destroys keep-alive and in-flight sockets, hanging requests included.
        server.closeAllConnections();
        closed = Promise.all([serverClosed, drained]).then(() => undefined);
      }
      return closed;
    },
    stats() {
      return {
        ...stats,
        byStatus: { ...stats.byStatus },
        faults: { ...stats.faults },
        batches: { ...stats.batches },
        inFlight,
      };
    },
    closeWindow,
    reset() {
      stats = emptyStats();
      stats.maxInFlight = inFlight;
      limits.reopenWindow();
      limits.reset(opts.rpm, opts.tpm);
      faults.reset(opts);
    },
    configure(partial) {
      const prev = opts;
      opts = resolveOptions(prev, partial);
      if (opts.rpm !== prev.rpm || opts.tpm !== prev.tpm) limits.reset(opts.rpm, opts.tpm);
      if ("faultSeed" in partial || "faultSequence" in partial) faults.reset(opts);
    },
  };
}
