// Runs inside a worker thread (fingerprint-workers.ts): fingerprints blocks of a full
// pass's COPY rows, so reading 1M records uses both cores instead of one. Loaded through
// tsx (the studio runs from its sources), like the preview worker. No "server-only": that
// package refuses to load outside the react-server condition this thread does not have.
import { parentPort } from "node:worker_threads";
import { fingerprintLines } from "../copy-batch";
import type { Banding } from "../lsh";

export type FingerprintJob = { seq: number; buf: Uint8Array; banding: Banding };

parentPort!.on("message", (job: FingerprintJob) => {
  const out = fingerprintLines(job.buf, job.banding);
  // Moved, not copied: the arrays were made for this message.
  parentPort!.postMessage({ seq: job.seq, out }, [out.bands.buffer as ArrayBuffer, out.hasBands.buffer as ArrayBuffer]);
});
