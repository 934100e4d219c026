import "server-only";
// Batch mode: a run whose requests go through the provider's Batch API (OpenAI's files +
// batches) at half price. It works in rounds: every record still to do is generated with
// a model call that answers from the answers landed so far and, for a request with none,
// notes it and stops the record (BatchPending); the noted requests are written as input
// files (at most 50,000 requests and 200 MB each), uploaded and submitted; the batches are
// polled; their output files land in RunBatchAnswer, and the records they complete are
// written by the same RecordWriter as online runs (validation, cache, cost). A record whose
// later field reads an earlier one needs one round per such step. Failed and expired
// requests are noted again in the next round, until the run's attempt limit.
//
// Nothing is lost or sent twice across a restart: a RunBatch row (with the positions it
// holds) is written before its file is uploaded, the provider's batch carries the row's id
// in its metadata, a row with no provider id is first looked up in the provider's list, and
// positions in a batch not yet ingested are never put in another.
import type OpenAI from "openai";
import { toFile } from "openai";
import type { Blueprint } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { env } from "@/lib/env";
import { requestCacheKey } from "@/lib/generation/cache-key";
import { generateRecord, ModelCallError, RecordInterrupted, type ModelAnswer, type ModelCall } from "@/lib/generation/generate-record";
import { batchPrice, costUsd, priceFor } from "@/lib/generation/prices";
import type { Prisma } from "@/lib/generated/prisma/client";
import { prepareValidators } from "@/lib/quality/validators/evaluate";
import { loadSeedRows, seedTableRowCounts } from "@/lib/seed-tables/server/seed-tables";
import type { RunSettings } from "../schemas";
import type { connectionRuntime } from "./connection-runtime";
import { evolveFieldNames } from "./evolution-tally";
import { endRun, RecordWriter, runControls, watchRun, type ExecuteOptions } from "./executor";
import { requestBody } from "./model-transport";

/** OpenAI's limits for one batch. */
export const BATCH_LIMITS = { requests: 50_000, bytes: 200 * 1024 * 1024 };
/** Statuses after which a batch's files are final (then it is ingested once). */
const FINAL = new Set(["completed", "expired", "failed", "cancelled"]);
/** Rows whose positions are still held by a batch. */
const HOLDING = ["preparing", "validating", "in_progress", "finalizing", "completed", "expired", "failed", "cancelled", "cancelling"];
const SEED_CHUNK = 1_000;

export type BatchExecuteOptions = ExecuteOptions & {
  /** Default DATAWRIGHT_BATCH_POLL_MS (5 s: batches take minutes to hours, a poll costs nothing). */
  pollMs?: number;
  /** Per-batch limits (tests split small runs into several batches). */
  limits?: { requests: number; bytes: number };
  /** Called when a batch was created at the provider and its id stored (tests stop the run there). */
  onSubmitted?: (providerBatchId: string) => void;
};

/** The record needs an answer that has not arrived: not stored, generated again when it has. */
export class BatchPending extends RecordInterrupted {
  constructor() {
    super(new Error("waiting for a batch"));
    this.name = "BatchPending";
  }
}

type Runtime = Awaited<ReturnType<typeof connectionRuntime>>;
type Line = { customId: string; position: number; text: string };
type RunRow = { id: string; datasetId: string; firstIndex: number; requested: number; seed: number; blueprintVersion: { version: number } };

export async function executeBatchRun(db: Db, run: RunRow, blueprint: Blueprint, settings: RunSettings, rt: Runtime, opts: BatchExecuteOptions = {}): Promise<void> {
  const { stop, outcome, halt, cache, release } = runControls(db, run, settings, rt, opts);
  const pollMs = opts.pollMs ?? env().DATAWRIGHT_BATCH_POLL_MS;
  const limits = opts.limits ?? BATCH_LIMITS;
  const client = rt.client;

  // Answers and failures landed so far (a resumed run reads what earlier processes stored).
  const answers = new Map<string, ModelAnswer>();
  const failures = new Map<string, { error: string; attempts: number }>();
  for (const a of await db.runBatchAnswer.findMany({ where: { runId: run.id } })) {
    if (a.answer) answers.set(a.customId, a.answer as unknown as ModelAnswer);
    else failures.set(a.customId, { error: a.error ?? "failed", attempts: a.attempts });
  }
  const done = new Set((await db.$queryRaw<{ position: number }[]>`select index - ${run.firstIndex}::int as position from "Record" where "runId" = ${run.id}::uuid`).map((r) => r.position));

  // The requests the current round's records are waiting for, by custom_id.
  let noted = new Map<string, Line>();
  const call: ModelCall = async (req) => {
    const body = requestBody(req, !!req.logprobs);
    const keyParts = { record: { ...req.record, field: req.field.name }, model: body.model, messages: body.messages, params: req.params, responseFormat: req.responseFormat };
    // Unique within the run for each distinct request of each record; the same on a resume.
    const customId = requestCacheKey({ namespace: `batch|${run.id}`, ...keyParts });
    const cacheKey = cache ? requestCacheKey({ namespace: `${run.datasetId}|${rt.baseUrl}`, ...keyParts }) : undefined;
    if (cacheKey) {
      const hit = await cache!.get(cacheKey);
      if (hit) return { ...hit, cached: true, costUsd: 0, latencyMs: 0, attempts: 0 };
    }
    const answer = answers.get(customId);
    if (answer) {
      if (cacheKey) cache!.put(cacheKey, answer);
      return answer;
    }
    const failed = failures.get(customId);
    if (failed && failed.attempts >= settings.maxAttempts) throw new ModelCallError(`${failed.error} (gave up after ${failed.attempts} batch attempts)`, failed.attempts);
    noted.set(customId, { customId, position: req.record.position, text: JSON.stringify({ custom_id: customId, method: "POST", url: "/v1/chat/completions", body }) });
    throw new BatchPending();
  };

  const validators = prepareValidators(blueprint);
  const writer = new RecordWriter(db, run.id, run.datasetId, run.firstIndex, run.blueprintVersion.version, validators, cache, null, 0, evolveFieldNames(blueprint));
  const rowCounts = await seedTableRowCounts(db, run.datasetId);
  const hasSeedFields = blueprint.fields.some((f) => f.kind === "seed");
  const watcher = watchRun(db, run.id, rt, halt);
  let spent = (await db.run.findUniqueOrThrow({ where: { id: run.id }, select: { costUsd: true } })).costUsd;

  try {
    // Rows a stopped process wrote but may not have submitted: the provider is asked first.
    await adoptOrphans(db, client, run.id);
    for (;;) {
      if (stop.signal.aborted) break;
      const holding = await db.runBatch.findMany({ where: { runId: run.id, status: { in: HOLDING } }, orderBy: { createdAt: "asc" } });
      for (const b of holding) {
        if (stop.signal.aborted) break;
        if (b.status === "preparing") continue; // adopted or resubmitted by adoptOrphans on the next start
        const latest = FINAL.has(b.status) ? null : await client.batches.retrieve(b.providerBatchId!, { signal: stop.signal, maxRetries: 3 });
        if (latest && (latest.status !== b.status || JSON.stringify(latest.request_counts) !== JSON.stringify(b.requestCounts))) {
          await db.runBatch.update({ where: { id: b.id }, data: { status: latest.status, requestCounts: (latest.request_counts ?? undefined) as Prisma.InputJsonValue | undefined } });
        }
        const status = latest?.status ?? b.status;
        if (FINAL.has(status)) await ingest(db, client, run.id, b.id, b.requests, latest ?? (await client.batches.retrieve(b.providerBatchId!, { maxRetries: 3 })), answers, failures, rt, stop.signal);
      }
      const busy = new Set<number>();
      for (const b of await db.runBatch.findMany({ where: { runId: run.id, status: { in: HOLDING } }, select: { positions: true } })) for (const p of b.positions) busy.add(p);

      // Generate every record that is neither stored nor waiting in a batch.
      const todo: number[] = [];
      for (let i = 0; i < run.requested; i++) if (!done.has(i) && !busy.has(i)) todo.push(i);
      noted = new Map();
      for (let c = 0; c < todo.length && !stop.signal.aborted; c += SEED_CHUNK) {
        const chunk = todo.slice(c, c + SEED_CHUNK);
        const seedRows = hasSeedFields ? await loadSeedRows(db, blueprint, run.seed, chunk, rowCounts) : null;
        for (const position of chunk) {
          if (settings.budgetUsd !== null && spent >= settings.budgetUsd) {
            halt("partial", `Stopped at the budget cap of $${settings.budgetUsd.toFixed(2)}.`);
            break;
          }
          try {
            const rec = await generateRecord(blueprint, { seed: run.seed, recordIndex: position, seedRows: seedRows?.(position) ?? {}, call, maxReasks: settings.maxReasks });
            spent += rec.costUsd;
            done.add(position);
            writer.add(rec);
            opts.onRecord?.(rec);
          } catch (e) {
            if (e instanceof BatchPending) continue;
            if (e instanceof ModelCallError && e.fatalForRun) halt("failed", `Stopped early: ${e.message}`);
            else if (!(e instanceof RecordInterrupted)) throw e;
          }
        }
      }
      await writer.flush();
      if (stop.signal.aborted) break;
      if (noted.size) await submit(db, client, run.id, [...noted.values()], limits, stop.signal, failures, opts.onSubmitted);
      else if (holding.length === 0) break; // nothing waiting and nothing to ask: every record is stored
      await sleep(pollMs, stop.signal).catch(() => {});
    }
  } catch (e) {
    if (!stop.signal.aborted) {
      opts.log?.(`run ${run.id} (batch) crashed: ${(e as Error).stack}`);
      halt("failed", `The run stopped: ${e instanceof Error ? e.message : String(e)}`);
    }
  } finally {
    clearInterval(watcher);
    release();
  }
  // Cancelled by the user: the provider stops too, instead of finishing (and billing) the
  // batches in flight. What they answered before stopping is kept if the run is resumed.
  if (outcome.stop?.status === "cancelled") await cancelAtProvider(db, client, run.id);
  await writer.flush();
  await writer.checkDuplicates();

  await endRun(db, run, outcome, opts.signal, null);
}

/**
 * Splits the requests into batches within the limits (a record's requests stay in one),
 * and for each: the row with its positions first, then the upload, then the batch with the
 * row's id in its metadata, then the provider's id on the row.
 */
async function submit(db: Db, client: OpenAI, runId: string, lines: Line[], limits: { requests: number; bytes: number }, signal: AbortSignal, failures: Failures, onSubmitted?: (id: string) => void) {
  const groups: Line[][] = [];
  let current: Line[] = [];
  let bytes = 0;
  for (const line of lines) {
    const size = Buffer.byteLength(line.text) + 1;
    const samePosition = current.length > 0 && current.at(-1)!.position === line.position;
    if (current.length && !samePosition && (current.length + 1 > limits.requests || bytes + size > limits.bytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(line);
    bytes += size;
  }
  if (current.length) groups.push(current);
  for (const group of groups) {
    if (signal.aborted) return;
    const positions = [...new Set(group.map((l) => l.position))];
    const row = await db.runBatch.create({ data: { runId, positions, requests: group.length } });
    const refused = await createAtProvider(db, client, row.id, group.map((l) => l.text).join("\n") + "\n", onSubmitted);
    // A file the provider refuses: each of its requests counts a failed attempt with the
    // provider's reason (sent again next round, its record failed at the attempt limit),
    // and the run goes on with the rest.
    if (refused) await storeAnswers(db, runId, group.map((l) => ({ customId: l.customId, answer: null, error: refused, attempts: (failures.get(l.customId)?.attempts ?? 0) + 1 })), failures);
  }
}

/** Uploads and creates the batch; returns the provider's reason when it refused them (a 4xx). */
async function createAtProvider(db: Db, client: OpenAI, rowId: string, content: string, onSubmitted?: (id: string) => void): Promise<string | null> {
  try {
    const file = await client.files.create({ file: await toFile(Buffer.from(content), `datawright-${rowId}.jsonl`), purpose: "batch" }, { maxRetries: 3 });
    await db.runBatch.update({ where: { id: rowId }, data: { inputFileId: file.id } });
    const batch = await client.batches.create(
      { input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h", metadata: { datawright_batch: rowId } },
      { maxRetries: 3 },
    );
    await db.runBatch.update({ where: { id: rowId }, data: { providerBatchId: batch.id, status: batch.status, requestCounts: (batch.request_counts ?? undefined) as Prisma.InputJsonValue | undefined } });
    onSubmitted?.(batch.id);
    return null;
  } catch (e) {
    // Refused outright (a 4xx other than 429): nothing was submitted, so the row lets its
    // positions go; the reason stays on the row for the run page.
    const status = (e as { status?: number }).status;
    if (status && status >= 400 && status < 500 && status !== 429) {
      const reason = e instanceof Error ? e.message : String(e);
      await db.runBatch.update({ where: { id: rowId }, data: { status: "rejected", error: reason } });
      return reason;
    }
    throw e;
  }
}

async function cancelAtProvider(db: Db, client: OpenAI, runId: string) {
  const open = await db.runBatch.findMany({ where: { runId, status: { in: ["validating", "in_progress", "finalizing"] }, providerBatchId: { not: null } } });
  for (const b of open) {
    try {
      const cancelled = await client.batches.cancel(b.providerBatchId!, { maxRetries: 3 });
      await db.runBatch.update({ where: { id: b.id }, data: { status: cancelled.status } });
    } catch (e) {
      console.error(`[datawright] could not cancel batch ${b.providerBatchId} of run ${runId}:`, e);
    }
  }
}

/** Rows left "preparing" by a process that stopped: adopt the provider's batch carrying the row's id, or submit the row's requests now. */
async function adoptOrphans(db: Db, client: OpenAI, runId: string) {
  const orphans = await db.runBatch.findMany({ where: { runId, status: "preparing" } });
  if (!orphans.length) return;
  const wanted = new Map(orphans.map((o) => [o.id, o]));
  const oldest = Math.min(...orphans.map((o) => o.createdAt.getTime())) / 1000 - 60;
  for await (const b of client.batches.list({ limit: 100 })) {
    const rowId = (b.metadata as Record<string, string> | null)?.datawright_batch;
    if (rowId && wanted.has(rowId)) {
      await db.runBatch.update({ where: { id: rowId }, data: { providerBatchId: b.id, inputFileId: b.input_file_id, status: b.status, requestCounts: (b.request_counts ?? undefined) as Prisma.InputJsonValue | undefined } });
      wanted.delete(rowId);
    }
    if (wanted.size === 0 || b.created_at < oldest) break; // newest first: older batches cannot be ours
  }
  // Never created at the provider: the row lets its positions go and the round notes them again.
  if (wanted.size) await db.runBatch.updateMany({ where: { id: { in: [...wanted.keys()] } }, data: { status: "abandoned", error: "The studio stopped before this batch was submitted; its requests were sent again." } });
}

type OutputLine = {
  custom_id: string;
  response: { status_code: number; body: { choices?: { message?: { content?: string | null }; logprobs?: { content?: { token: string; logprob: number }[] | null } | null }[]; usage?: { prompt_tokens: number; completion_tokens: number }; model?: string; error?: { message?: string } } } | null;
  error: { code?: string; message?: string } | null;
};

/** Stores a finished batch's answers and failures, then marks it ingested (its positions are free again). */
async function ingest(db: Db, client: OpenAI, runId: string, rowId: string, requests: number, batch: OpenAI.Batches.Batch, answers: Map<string, ModelAnswer>, failures: Map<string, { error: string; attempts: number }>, rt: Runtime, signal: AbortSignal) {
  const rows: AnswerRow[] = [];
  const lines: OutputLine[] = [];
  for (const fileId of [batch.output_file_id, batch.error_file_id]) {
    if (!fileId) continue;
    const text = await (await client.files.content(fileId, { signal, maxRetries: 3 })).text();
    for (const l of text.split("\n")) if (l.trim()) lines.push(JSON.parse(l) as OutputLine);
  }
  const created = batch.created_at * 1000;
  for (const l of lines) {
    const prior = failures.get(l.custom_id)?.attempts ?? 0;
    const body = l.response?.body;
    if (l.response?.status_code === 200 && body?.choices) {
      const tokensIn = body.usage?.prompt_tokens ?? 0;
      const tokensOut = body.usage?.completion_tokens ?? 0;
      const logprobs = body.choices[0]?.logprobs?.content?.map((t) => ({ token: t.token, logprob: t.logprob }));
      const answer: ModelAnswer = {
        content: body.choices[0]?.message?.content ?? "",
        tokensIn,
        tokensOut,
        latencyMs: Math.max(0, Date.now() - created),
        attempts: prior + 1,
        cached: false,
        costUsd: costUsd(tokensIn, tokensOut, batchPrice(priceFor(body.model ?? "", rt.prices))),
        ...(logprobs && { logprobs }),
      };
      rows.push({ customId: l.custom_id, answer, error: null, attempts: prior + 1 });
    } else {
      const error = l.error?.message ?? body?.error?.message ?? `HTTP ${l.response?.status_code ?? "?"}`;
      rows.push({ customId: l.custom_id, answer: null, error: l.error?.code ? `${l.error.code}: ${error}` : error, attempts: prior + 1 });
    }
  }
  const batchError = batch.status === "failed" ? (batch.errors?.data ?? []).map((e) => `${e.line ? `line ${e.line}: ` : ""}${e.message}`).join("; ") || "The provider failed the batch." : null;
  // Requests in neither file (a batch failed at validation, one cancelled): each counts as
  // a failed attempt with the batch's reason, so it is sent again, up to the attempt limit.
  if (rows.length < requests && batch.input_file_id) {
    const seen = new Set(rows.map((r) => r.customId));
    const input = await (await client.files.content(batch.input_file_id, { signal, maxRetries: 3 })).text();
    for (const l of input.split("\n")) {
      if (!l.trim()) continue;
      const customId = (JSON.parse(l) as { custom_id: string }).custom_id;
      if (seen.has(customId)) continue;
      const attempts = (failures.get(customId)?.attempts ?? 0) + 1;
      rows.push({ customId, answer: null, error: batchError ?? `The batch ended ${batch.status} without answering this request.`, attempts });
    }
  }
  await storeAnswers(db, runId, rows, failures, db.runBatch.update({ where: { id: rowId }, data: { status: "ingested", error: batchError, requestCounts: (batch.request_counts ?? undefined) as Prisma.InputJsonValue | undefined } }));
  for (const r of rows) if (r.answer) answers.set(r.customId, r.answer);
}

type Failures = Map<string, { error: string; attempts: number }>;
type AnswerRow = { customId: string; answer: ModelAnswer | null; error: string | null; attempts: number };

/** Stores answers and failed attempts (with `also`, e.g. the batch marked ingested, in the same transaction), then notes the failures here. */
async function storeAnswers(db: Db, runId: string, rows: AnswerRow[], failures: Failures, also?: Prisma.PrismaPromise<unknown>) {
  await db.$transaction([
    db.$executeRawUnsafe(
      `insert into "RunBatchAnswer" ("runId", "customId", answer, error, attempts)
       select $1::uuid, x."customId", x.answer, x.error, x.attempts from json_to_recordset($2::json) as x("customId" text, answer jsonb, error text, attempts int)
       on conflict ("runId", "customId") do update set answer = coalesce("RunBatchAnswer".answer, excluded.answer), error = excluded.error, attempts = excluded.attempts`,
      runId,
      JSON.stringify(rows),
    ),
    ...(also ? [also] : []),
  ]);
  for (const r of rows) if (!r.answer) failures.set(r.customId, { error: r.error!, attempts: r.attempts });
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
