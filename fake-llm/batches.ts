// OpenAI's Files and Batch API, in memory: POST /v1/files (multipart, purpose "batch"),
// GET /v1/files/{id}[/content], POST /v1/batches, GET /v1/batches[/{id}], POST
// /v1/batches/{id}/cancel. A batch moves validating → in_progress → finalizing →
// completed (or expired when some of its requests ran out of time, failed when its
// input file is malformed), one step every `batchStepMs` of wall time, read lazily
// when it is asked for, so no timer outlives the server and a test sets 0 to skip the wait.
// Each request is answered by the same chat pipeline as online ones (validateChat,
// generateAnswer, completionBody); answers go to the output file, refused requests and
// expired ones to the error file, with request_counts as OpenAI reports them.
import { randomBytes } from "node:crypto";
import { answerSeed, generateAnswer } from "./answer";
import { type ApiError, invalid } from "./errors";
import { fnv1a } from "./random";
import { validateChat } from "./request";
import { completionBody, type ChatOutput } from "./stream";

/** What the batch store needs from the server's current options. */
export interface BatchOptions {
  modelSet: Set<string>;
  strictParams: boolean;
  /** Wall time of each of validating, in_progress and finalizing (ms). */
  batchStepMs: number;
  /** Probability that a request of a batch is not done before its window ends (it lands in the error file as batch_expired). */
  batchExpireRate: number;
  /** Probability that a request of a batch fails with a 500 in the error file. */
  batchFailRate: number;
  /** Largest input file accepted (bytes). */
  batchMaxFileBytes: number;
}

/** OpenAI's limits for one batch. */
export const BATCH_MAX_REQUESTS = 50_000;
export const BATCH_MAX_FILE_BYTES = 200 * 1024 * 1024;

type StoredFile = { id: string; filename: string; purpose: string; bytes: number; created_at: number; content: string };
type Batch = {
  id: string;
  input_file_id: string;
  endpoint: string;
  completion_window: string;
  metadata: Record<string, string> | null;
  created_at: number;
  /** performance.now() at creation: the steps are counted from here. */
  startedMs: number;
  /** Set when the input is malformed: the batch fails at validation. */
  errors: { object: "list"; data: { code: string; message: string; param: string | null; line: number | null }[] } | null;
  lines: { custom_id: string; body: unknown }[];
  cancelled: boolean;
  /** Computed once, when the batch first reaches finalizing. */
  result: { output_file_id: string | null; error_file_id: string | null; completed: number; failed: number; expired: boolean } | null;
};

export type BatchReply = { status: number; body: string } | ApiError;

const now = () => Math.floor(Date.now() / 1000);

export class BatchStore {
  private files = new Map<string, StoredFile>();
  private batches = new Map<string, Batch>();
  private order: string[] = [];
  private answers = 0;
  constructor(
    private readonly opts: () => BatchOptions,
    private readonly out: ChatOutput,
    /** The server's current counters (reset() replaces them): `batches` is kept here. */
    private readonly counts: () => { created: number; requests: number; expired: number },
  ) {}

  async upload(contentType: string | undefined, raw: Buffer): Promise<BatchReply> {
    if (!contentType?.startsWith("multipart/form-data")) return invalid("The request must be multipart/form-data with a `file` and a `purpose`.", null, null, 400);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
    } catch {
      return invalid("Could not parse multipart form data.");
    }
    const purpose = form.get("purpose");
    const file = form.get("file");
    if (typeof purpose !== "string" || !purpose) return invalid("Missing required parameter: 'purpose'.", "purpose", "missing_required_parameter");
    if (!file || typeof file === "string") return invalid("Missing required parameter: 'file'.", "file", "missing_required_parameter");
    const content = await file.text();
    const bytes = Buffer.byteLength(content);
    const max = Math.min(BATCH_MAX_FILE_BYTES, this.opts().batchMaxFileBytes);
    if (purpose === "batch" && bytes > max) return invalid(`File is too large (${bytes} bytes); the limit for batch files is ${max} bytes.`, "file");
    return { status: 200, body: JSON.stringify(this.fileObject(this.store(file.name || "upload.jsonl", purpose, content))) };
  }

  file(id: string, content: boolean): BatchReply {
    const f = this.files.get(id);
    if (!f) return invalid(`No such File object: ${id}`, "id", null, 404);
    return content ? { status: 200, body: f.content } : { status: 200, body: JSON.stringify(this.fileObject(f)) };
  }

  create(raw: string): BatchReply {
    let body: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      body = JSON.parse(raw);
    } catch {
      return invalid("We could not parse the JSON body of your request.");
    }
    if (typeof body.input_file_id !== "string") return invalid("Missing required parameter: 'input_file_id'.", "input_file_id", "missing_required_parameter");
    if (body.endpoint !== "/v1/chat/completions") return invalid(`Invalid value for 'endpoint': expected '/v1/chat/completions'.`, "endpoint", "invalid_value");
    if (body.completion_window !== "24h") return invalid(`Invalid value for 'completion_window': expected '24h'.`, "completion_window", "invalid_value");
    const file = this.files.get(body.input_file_id);
    if (!file) return invalid(`No such File object: ${body.input_file_id}`, "input_file_id", null, 404);
    if (file.purpose !== "batch") return invalid(`The file ${file.id} has purpose '${file.purpose}'; a batch needs purpose 'batch'.`, "input_file_id");
    const { lines, errors } = parseInput(file.content);
    const batch: Batch = {
      id: `batch_${randomBytes(12).toString("hex")}`,
      input_file_id: file.id,
      endpoint: body.endpoint,
      completion_window: "24h",
      metadata: body.metadata && typeof body.metadata === "object" ? (body.metadata as Record<string, string>) : null,
      created_at: now(),
      startedMs: performance.now(),
      errors: errors.length ? { object: "list", data: errors.slice(0, 100) } : null,
      lines,
      cancelled: false,
      result: null,
    };
    this.batches.set(batch.id, batch);
    this.order.push(batch.id);
    this.counts().created++;
    return { status: 200, body: JSON.stringify(this.batchObject(batch)) };
  }

  get(id: string): BatchReply {
    const b = this.batches.get(id);
    if (!b) return invalid(`No batch found with id '${id}'.`, null, null, 404);
    return { status: 200, body: JSON.stringify(this.batchObject(b)) };
  }

  cancel(id: string): BatchReply {
    const b = this.batches.get(id);
    if (!b) return invalid(`No batch found with id '${id}'.`, null, null, 404);
    const status = this.status(b);
    if (status === "validating" || status === "in_progress") b.cancelled = true;
    return { status: 200, body: JSON.stringify(this.batchObject(b)) };
  }

  /** Newest first, with OpenAI's cursor paging (`after`, `limit` up to 100). */
  list(query: URLSearchParams): BatchReply {
    const limit = Math.min(100, Math.max(1, Number(query.get("limit") ?? 20) || 20));
    const ids = [...this.order].reverse();
    const after = query.get("after");
    const from = after ? ids.indexOf(after) + 1 : 0;
    const page = ids.slice(from, from + limit).map((id) => this.batchObject(this.batches.get(id)!));
    const body = { object: "list", data: page, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: from + limit < ids.length };
    return { status: 200, body: JSON.stringify(body) };
  }

  private store(filename: string, purpose: string, content: string): StoredFile {
    const f = { id: `file-${randomBytes(12).toString("hex")}`, filename, purpose, bytes: Buffer.byteLength(content), created_at: now(), content };
    this.files.set(f.id, f);
    return f;
  }

  private fileObject(f: StoredFile) {
    return { id: f.id, object: "file", bytes: f.bytes, created_at: f.created_at, filename: f.filename, purpose: f.purpose, status: "processed", status_details: null };
  }

  /** The status by the time elapsed: one step per `batchStepMs`. */
  private status(b: Batch): "validating" | "failed" | "in_progress" | "finalizing" | "completed" | "expired" | "cancelled" {
    const step = this.opts().batchStepMs;
    const steps = step <= 0 ? 3 : Math.floor((performance.now() - b.startedMs) / step);
    if (b.cancelled) {
      this.finalize(b, true);
      return "cancelled";
    }
    if (steps < 1) return "validating";
    if (b.errors) return "failed";
    if (steps < 2) return "in_progress";
    if (steps < 3) return "finalizing";
    this.finalize(b, false);
    return b.result!.expired ? "expired" : "completed";
  }

  private finalize(b: Batch, cancelled: boolean) {
    if (b.result) return;
    const o = this.opts();
    const output: string[] = [];
    const errors: string[] = [];
    let expired = false;
    for (const line of b.lines) {
      const draw = (salt: string) => (fnv1a(`${b.id}|${line.custom_id}|${salt}`) >>> 0) / 4294967296;
      const reqId = `batch_req_${randomBytes(12).toString("hex")}`;
      if (cancelled || draw("expire") < o.batchExpireRate) {
        expired ||= !cancelled;
        this.counts().expired++;
        const code = cancelled ? "batch_cancelled" : "batch_expired";
        const message = cancelled ? "This request was not executed because the batch was cancelled." : "This request could not be executed before the completion window expired.";
        errors.push(JSON.stringify({ id: reqId, custom_id: line.custom_id, response: null, error: { code, message } }));
        continue;
      }
      const answer = this.answer(line.body, draw("fail") < o.batchFailRate);
      const response = { status_code: answer.status, request_id: `req_${randomBytes(8).toString("hex")}`, body: JSON.parse(answer.body) };
      (answer.status === 200 ? output : errors).push(JSON.stringify({ id: reqId, custom_id: line.custom_id, response, error: null }));
    }
    this.counts().requests += b.lines.length;
    const file = (lines: string[], kind: string) => (lines.length ? this.store(`${b.id}_${kind}.jsonl`, `batch_${kind}`, lines.join("\n") + "\n").id : null);
    b.result = { output_file_id: file(output, "output"), error_file_id: file(errors, "error"), completed: output.length, failed: errors.length, expired };
  }

  /** One request through the online pipeline: 200 with a chat.completion, or the error it would get. */
  private answer(body: unknown, fail: boolean): { status: number; body: string } {
    const o = this.opts();
    const parsed = validateChat(body, o.strictParams);
    const refuse = (e: ApiError) => ({ status: e.status, body: JSON.stringify({ error: { message: e.message, type: e.type, param: e.param, code: e.code } }) });
    if ("status" in parsed) return refuse(parsed);
    if (parsed.stream) return refuse(invalid("Streaming is not supported in batches.", "stream"));
    if (!o.modelSet.has(parsed.model)) return refuse(invalid(`The model \`${parsed.model}\` does not exist or you do not have access to it.`, null, "model_not_found", 404));
    if (fail) return { status: 500, body: JSON.stringify({ error: { message: "The server had an error while processing your request. Sorry about that!", type: "server_error", param: null, code: null } }) };
    const a = generateAnswer(parsed, answerSeed(parsed, () => ++this.answers), null);
    this.out.delivered(a);
    return { status: 200, body: completionBody(this.out, `chatcmpl-${this.out.http.idPrefix}${this.out.http.nextId().toString(36)}`, now(), parsed, a) };
  }

  private batchObject(b: Batch) {
    const status = this.status(b);
    const total = b.errors ? 0 : b.lines.length;
    const done = status === "completed" || status === "expired" || status === "cancelled";
    return {
      id: b.id,
      object: "batch",
      endpoint: b.endpoint,
      errors: b.errors,
      input_file_id: b.input_file_id,
      completion_window: b.completion_window,
      status,
      output_file_id: done ? b.result!.output_file_id : null,
      error_file_id: done ? b.result!.error_file_id : null,
      created_at: b.created_at,
      in_progress_at: status === "validating" || status === "failed" ? null : b.created_at,
      expires_at: b.created_at + 86_400,
      finalizing_at: done || status === "finalizing" ? now() : null,
      completed_at: status === "completed" ? now() : null,
      failed_at: status === "failed" ? now() : null,
      expired_at: status === "expired" ? now() : null,
      cancelled_at: status === "cancelled" ? now() : null,
      request_counts: { total, completed: done ? b.result!.completed : 0, failed: done ? b.result!.failed : 0 },
      metadata: b.metadata,
    };
  }
}

/** Checks every line as OpenAI does at validation; any bad line fails the whole batch. */
function parseInput(content: string) {
  const lines: { custom_id: string; body: unknown }[] = [];
  const errors: { code: string; message: string; param: string | null; line: number | null }[] = [];
  const seen = new Set<string>();
  const rows = content.split("\n");
  for (let i = 0; i < rows.length; i++) {
    const text = rows[i]!.trim();
    if (!text) continue;
    const line = i + 1;
    let row: { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
    try {
      row = JSON.parse(text);
    } catch {
      errors.push({ code: "invalid_json_line", message: "This line is not parseable as valid JSON.", param: null, line });
      continue;
    }
    if (typeof row.custom_id !== "string" || !row.custom_id) errors.push({ code: "missing_required_parameter", message: "Missing required parameter: 'custom_id'.", param: "custom_id", line });
    else if (seen.has(row.custom_id)) errors.push({ code: "duplicate_custom_id", message: `The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.`, param: "custom_id", line });
    else if (row.method !== "POST") errors.push({ code: "invalid_method", message: "Method must be POST.", param: "method", line });
    else if (row.url !== "/v1/chat/completions") errors.push({ code: "mismatched_endpoint", message: "The provided url does not match the batch's endpoint /v1/chat/completions.", param: "url", line });
    else if (!row.body || typeof row.body !== "object") errors.push({ code: "missing_required_parameter", message: "Missing required parameter: 'body'.", param: "body", line });
    else {
      seen.add(row.custom_id);
      lines.push({ custom_id: row.custom_id, body: row.body });
    }
  }
  if (lines.length > BATCH_MAX_REQUESTS) errors.push({ code: "too_many_requests", message: `A batch holds at most ${BATCH_MAX_REQUESTS} requests; this file has ${lines.length}.`, param: null, line: null });
  if (lines.length === 0 && errors.length === 0) errors.push({ code: "empty_file", message: "The input file has no requests.", param: null, line: null });
  return { lines, errors };
}
