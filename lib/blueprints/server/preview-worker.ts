// Runs inside a worker thread (lib/blueprints/server/preview-pool.ts): renders preview
// records, the pure part of a preview, so a template that loops for seconds blocks this
// thread and not the studio's. Loaded through tsx (the studio runs from its sources).
import { parentPort } from "node:worker_threads";
import { previewRecords } from "@/lib/blueprints/preview";
import type { SeedRowsForRecord } from "@/lib/blueprints/samplers";
import type { Blueprint } from "@/lib/blueprints/schema";

export type PreviewJob = { id: number; blueprint: Blueprint; seed: number; count: number; rows: SeedRowsForRecord[] };

parentPort!.on("message", (job: PreviewJob) => {
  try {
    const records = previewRecords(job.blueprint, { seed: job.seed, count: job.count, seedRows: (i) => job.rows[i] ?? {} });
    parentPort!.postMessage({ id: job.id, ok: true, records });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
