import "server-only";
// Worker threads that fingerprint a full pass's rows (fingerprint-worker.ts) while the
// pass's own thread reads the COPY stream and hands them blocks of whole rows. Started for
// one pass and stopped at its end: a pass is rare and long, and an idle worker holds ~50 MB.
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { LineBatch } from "../copy-batch";
import type { Banding } from "../lsh";
import type { FingerprintJob } from "./fingerprint-worker";

// Resolved from the checkout rather than from the bundle Next builds (see preview-pool.ts).
const WORKER_FILE = path.join(process.cwd(), "lib/quality/server/fingerprint-worker.ts");

type Slot = { worker: Worker; busy: number };

export class FingerprintWorkers {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { slot: Slot; resolve: (b: LineBatch) => void; reject: (e: Error) => void }>();
  private nextSeq = 0;
  private failure: Error | null = null;

  constructor(
    count: number,
    private readonly banding: Banding,
  ) {
    this.slots = Array.from({ length: count }, () => {
      const slot: Slot = { worker: new Worker(WORKER_FILE, { execArgv: ["--import", "tsx"] }), busy: 0 };
      slot.worker.on("message", (m: { seq: number; out: LineBatch }) => {
        const p = this.pending.get(m.seq);
        if (!p) return;
        this.pending.delete(m.seq);
        slot.busy--;
        p.resolve(m.out);
      });
      const fail = (e: Error) => this.fail(e);
      slot.worker.on("error", fail);
      slot.worker.on("exit", (code) => fail(new Error(`A fingerprint worker stopped (code ${code}).`)));
      return slot;
    });
  }

  /** Blocks handed out and not yet returned: the reader waits when there are too many. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Fingerprints a block of whole rows in the least busy worker (the block is copied). */
  run(block: Uint8Array): Promise<LineBatch> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const seq = this.nextSeq++;
    const buf = new Uint8Array(block); // its own memory, moved to the worker without a second copy
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { slot, resolve, reject });
      slot.busy++;
      slot.worker.postMessage({ seq, buf, banding: this.banding } satisfies FingerprintJob, [buf.buffer]);
    });
  }

  private fail(e: Error) {
    if (this.failure) return;
    this.failure = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error("The fingerprint workers were stopped.");
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
