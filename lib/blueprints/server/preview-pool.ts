import "server-only";
// Previews render in a worker thread, with a time budget for the whole request. Liquid
// renders synchronously: one preview of ten nested-loop expression fields held the
// server's only thread for 30 s and every other request (runs included) waited. Here a
// preview that runs past its budget has its worker terminated (a new one starts for the
// next request), and a preview superseded by a newer one from the same editor is dropped.
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { PreviewRecord } from "@/lib/blueprints/preview";
import type { SeedRowsForRecord } from "@/lib/blueprints/samplers";
import type { Blueprint } from "@/lib/blueprints/schema";
import { DomainError } from "@/lib/errors/domain-error";

/** The whole preview request's budget (each template also has its own, lib/blueprints/render.ts). */
export const PREVIEW_BUDGET_MS = 5_000;

type Job = { id: number; blueprint: Blueprint; seed: number; count: number; rows: SeedRowsForRecord[] };
type Pending = { job: Job; resolve: (r: PreviewRecord[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; key: string | undefined };

// The studio runs from its sources (./studio start); the worker is loaded through tsx,
// resolved from the checkout rather than from the bundle Next builds.
const WORKER_FILE = path.join(process.cwd(), "lib/blueprints/server/preview-worker.ts");

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
/** The latest job per editor (dataset): an older one still waiting is superseded. */
const latestByKey = new Map<string, number>();

function getWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_FILE, { execArgv: ["--import", "tsx"] });
  w.unref();
  w.on("message", (m: { id: number; ok: true; records: PreviewRecord[] } | { id: number; ok: false; message: string }) => {
    const p = pending.get(m.id);
    if (!p) return;
    settle(m.id);
    if (m.ok) p.resolve(m.records);
    else p.reject(new DomainError("invalid_input", m.message));
  });
  const fail = (e: Error) => {
    // A worker stopped on purpose (restart) has already handed its jobs on.
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

/**
 * Renders preview records off the main thread. `key` names the editor asking (its
 * dataset): a newer request with the same key supersedes an older one still in the queue.
 */
export function renderPreviewOffThread(input: { blueprint: Blueprint; seed: number; count: number; rows: SeedRowsForRecord[]; key?: string; budgetMs?: number }): Promise<PreviewRecord[]> {
  const id = nextId++;
  const budgetMs = input.budgetMs ?? PREVIEW_BUDGET_MS;
  if (input.key !== undefined) {
    const older = latestByKey.get(input.key);
    const p = older !== undefined ? pending.get(older) : undefined;
    if (p) {
      const wasRunning = running() === older;
      settle(older!);
      p.reject(new DomainError("conflict", "A newer preview replaced this one."));
      if (wasRunning) restart();
    }
    latestByKey.set(input.key, id);
  }
  return new Promise<PreviewRecord[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      const p = pending.get(id);
      if (!p) return;
      const wasRunning = running() === id;
      settle(id);
      reject(new DomainError("invalid_input", `The preview took longer than ${budgetMs / 1000} s and was stopped: simplify loops in the templates.`));
      if (wasRunning) restart();
    }, budgetMs);
    const job: Job = { id, blueprint: input.blueprint, seed: input.seed, count: input.count, rows: input.rows };
    pending.set(id, { job, resolve, reject, timer, key: input.key });
    getWorker().postMessage(job);
  });
}
