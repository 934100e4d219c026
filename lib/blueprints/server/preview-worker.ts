// Runs inside a worker thread (lib/blueprints/server/preview-pool.ts): the pure, Liquid
// part of previews and live samples, so a template that loops for seconds blocks this
// thread and not the studio's. Loaded through tsx (the studio runs from its sources).
import { parentPort } from "node:worker_threads";
import { buildMessages } from "@/lib/blueprints/messages";
import { previewRecords } from "@/lib/blueprints/preview";
import { renderTemplate } from "@/lib/blueprints/render";
import type { SeedRowsForRecord } from "@/lib/blueprints/samplers";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";

/** What the worker is asked: a whole preview, or one step of a live sample's record. */
export type RenderJobBody =
  | { kind: "preview"; blueprint: Blueprint; seed: number; count: number; rows: SeedRowsForRecord[] }
  | { kind: "expression"; template: string; scope: Record<string, unknown> }
  | { kind: "messages"; field: LlmField; scope: Record<string, unknown>; seed: number; recordIndex: number };

export type RenderJob = RenderJobBody & { id: number };

function run(job: RenderJob): unknown {
  switch (job.kind) {
    case "preview":
      return previewRecords(job.blueprint, { seed: job.seed, count: job.count, seedRows: (i) => job.rows[i] ?? {} });
    case "expression":
      return renderTemplate(job.template, job.scope);
    case "messages":
      return buildMessages(job.field, job.scope, { seed: job.seed, recordIndex: job.recordIndex }).messages;
  }
}

parentPort!.on("message", (job: RenderJob) => {
  try {
    parentPort!.postMessage({ id: job.id, ok: true, result: run(job) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
// Loading this file and its imports through tsx takes 0.3-5 s (machine load): budgets start
// when the pool hears this, so a cold start is not counted against a template.
// A first render compiles Liquid's code paths: done here, so the first preview's budget
// pays for its own templates only.
renderTemplate("{{ x }}", { x: 1 });
parentPort!.postMessage({ ready: true });
