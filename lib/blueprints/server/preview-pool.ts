import "server-only";
// Previews and live samples render in a worker thread, with a time budget for the whole
// request. Liquid renders synchronously: one preview of ten nested-loop expression fields
// held the server's only thread for 30 s and every other request (runs included) waited.
// Here work that runs past its budget has its worker terminated (a new one starts for the
// next request), and work superseded by a newer request (or whose request was aborted)
// is dropped. Runs render in their own process's thread as before: nothing here touches
// them, and a preview's runaway template costs them nothing.
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PreviewRecord } from "@/lib/blueprints/preview";
import type { SeedRowsForRecord } from "@/lib/blueprints/samplers";
import type { Blueprint, FieldValue, LlmField } from "@/lib/blueprints/schema";
import type { ChatMessage } from "@/lib/blueprints/messages";
import { DomainError } from "@/lib/errors/domain-error";
import type { Renderer } from "@/lib/generation/generate-record";
import type { RenderJob, RenderJobBody } from "./preview-worker";

/** The whole preview request's budget (each template also has its own, lib/blueprints/render.ts). */
export const PREVIEW_BUDGET_MS = 5_000;

type Pending = { job: RenderJob; resolve: (r: unknown) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout; key: string | undefined; cancel?: () => void };

// The studio runs from its sources (./studio start); the worker is loaded through tsx,
// resolved from the checkout rather than from the bundle Next builds.
const WORKER_FILE = path.join(process.cwd(), "lib/blueprints/server/preview-worker.ts");

let worker: Worker | null = null;
/** Settles once the current worker has loaded its modules (or has failed to start). */
let workerReady: Promise<void> = Promise.resolve();
let nextId = 1;
const pending = new Map<number, Pending>();
/** The latest job per editor (dataset): an older one still waiting is superseded. */
const latestByKey = new Map<string, number>();

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_FILE, { execArgv: ["--import", "tsx"] });
  w.unref();
  let markReady!: () => void;
  workerReady = new Promise((resolve) => (markReady = resolve));
  w.on("message", (m: { ready: true } | { id: number; ok: true; result: unknown } | { id: number; ok: false; message: string }) => {
    if ("ready" in m) return markReady();
    const p = pending.get(m.id);
    if (!p) return;
    settle(m.id);
    if (m.ok) p.resolve(m.result);
    else p.reject(new DomainError("invalid_input", m.message));
  });
  const fail = (e: Error) => {
    // A worker stopped on purpose (restart) has already handed its jobs on.
    markReady();
    if (worker !== w) return;
    worker = null;
    for (const id of [...pending.keys()]) {
      const p = pending.get(id)!;
      settle(id);
      p.reject(e);
    }
  };
  w.on("error", fail);
  w.on("exit", (code) => fail(new Error(`The preview worker stopped (code ${code}).`)));
  worker = w;
  return w;
}

function settle(id: number) {
  const p = pending.get(id);
  if (!p) return;
  clearTimeout(p.timer);
  p.cancel?.();
  pending.delete(id);
  if (p.key !== undefined && latestByKey.get(p.key) === id) latestByKey.delete(p.key);
}

/**
 * Stops the worker (it may be stuck in a template) and hands the jobs still waiting to a
 * new one: only the job that ran too long, or was superseded, is lost.
 */
function restart() {
  const w = worker;
  worker = null;
  void w?.terminate();
  const waiting = [...pending.values()];
  if (waiting.length) {
    const fresh = getWorker();
    for (const p of waiting) fresh.postMessage(p.job);
  }
}

/** The job the worker is on: jobs run in the order they were sent. */
const running = () => Math.min(...pending.keys());

/** Drops one job (its own error), stopping the worker when the job is the one it is on. */
function drop(id: number, error: Error) {
  const p = pending.get(id);
  if (!p) return;
  const wasRunning = running() === id;
  settle(id);
  p.reject(error);
  if (wasRunning) restart();
}

/**
 * Sends one job to the worker. It fails with `timeoutMessage` after `budgetMs`, and when
 * `signal` aborts (the browser went away, or the editor sent a newer request). `key`
 * names the editor asking: a newer job with the same key supersedes an older one.
 */
function submit<T>(body: RenderJobBody, opts: { budgetMs: number; timeoutMessage: string; key?: string; signal?: AbortSignal }): Promise<T> {
  if (opts.signal?.aborted) return Promise.reject(superseded());
  const id = nextId++;
  if (opts.key !== undefined) {
    const older = latestByKey.get(opts.key);
    if (older !== undefined) drop(older, new DomainError("conflict", "A newer preview replaced this one."));
    latestByKey.set(opts.key, id);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => drop(id, superseded());
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const job = { ...body, id } as RenderJob;
    const p: Pending = { job, resolve: resolve as (r: unknown) => void, reject, key: opts.key, cancel: () => opts.signal?.removeEventListener("abort", onAbort) };
    pending.set(id, p);
    getWorker().postMessage(job);
    // The budget runs from when the worker can start on it: a cold worker's start-up is not
    // the template's time.
    void workerReady.then(() => {
      if (pending.get(id) === p) p.timer = setTimeout(() => drop(id, new DomainError("invalid_input", opts.timeoutMessage)), opts.budgetMs);
    });
  });
}

const superseded = () => new DomainError("conflict", "The request was cancelled.");

/**
 * Renders preview records off the main thread. `key` names the editor asking (its
 * dataset): a newer request with the same key supersedes an older one still in the queue.
 */
export function renderPreviewOffThread(input: { blueprint: Blueprint; seed: number; count: number; rows: SeedRowsForRecord[]; key?: string; budgetMs?: number }): Promise<PreviewRecord[]> {
  const budgetMs = input.budgetMs ?? PREVIEW_BUDGET_MS;
  return submit<PreviewRecord[]>(
    { kind: "preview", blueprint: input.blueprint, seed: input.seed, count: input.count, rows: input.rows },
    { budgetMs, key: input.key, timeoutMessage: `The preview took longer than ${budgetMs / 1000} s and was stopped: simplify loops in the templates.` },
  );
}

/** Render time one live-samples request may spend, all its records together. */
export const SAMPLES_RENDER_BUDGET_MS = 5_000;

/**
 * The template steps of one request's records (live samples), rendered in the worker.
 * The budget is the request's whole render time: the clock runs while any of its steps is
 * waiting on the worker, and stops while the records wait on the model, whose answers
 * take as long as they take. Once spent, or once `signal` aborts, every step still
 * waiting is dropped and later ones fail at once.
 */
export function offThreadRenderer(opts: { signal: AbortSignal; budgetMs?: number }): Renderer {
  const budgetMs = opts.budgetMs ?? SAMPLES_RENDER_BUDGET_MS;
  const timeoutMessage = `Rendering the templates took longer than ${budgetMs / 1000} s and was stopped: simplify loops in the templates.`;
  let usedMs = 0;
  let active = 0;
  let since = 0;
  let spent = false;
  // Each step's own timer is the budget left when it is sent: the clock runs the whole
  // time a step waits, so every waiting step's timer ends when the budget does.
  const step = async <T>(body: RenderJobBody): Promise<T> => {
    if (spent) throw new DomainError("invalid_input", timeoutMessage);
    // A cold worker's start-up is not the templates' time (see submit).
    getWorker();
    await workerReady;
    if (opts.signal.aborted) throw superseded();
    const now = performance.now();
    if (active === 0) since = now;
    const left = budgetMs - usedMs - (now - since);
    active++;
    try {
      return await submit<T>(body, { budgetMs: Math.max(0, left), timeoutMessage, signal: opts.signal });
    } catch (e) {
      if (e instanceof DomainError && e.message === timeoutMessage) spent = true;
      throw e;
    } finally {
      if (--active === 0) usedMs += performance.now() - since;
    }
  };
  return {
    expression: (template: string, scope: Record<string, unknown>) => step<FieldValue>({ kind: "expression", template, scope }),
    messages: (field: LlmField, scope: Record<string, unknown>, ctx: { seed: number; recordIndex: number }) => step<ChatMessage[]>({ kind: "messages", field, scope, ...ctx }),
  };
}
