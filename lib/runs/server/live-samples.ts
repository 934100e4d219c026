import "server-only";
// Live samples in the editor: a few records of the unsaved blueprint generated for real,
// streamed field by field as events. Not stored: samples are a preview that costs money,
// so tokens and cost are reported per record. Templates render in the preview worker
// (preview-pool.ts) with a budget for the whole request: the studio's thread only waits
// on the network, and a request the editor has dropped stops rendering at once.
import type { Blueprint } from "@/lib/blueprints/schema";
import { offThreadRenderer } from "@/lib/blueprints/server/preview-pool";
import type { Db } from "@/lib/db/server/prisma";
import { generateRecord, ModelCallError } from "@/lib/generation/generate-record";
import { addLiveSamples, parseOutputLengths, tokensPerAnswer } from "@/lib/generation/output-lengths";
import { loadSeedRows, seedTableRowCounts } from "@/lib/seed-tables/server/seed-tables";
import { loadPool } from "@/lib/recipes/server/self-instruct-pool";
import type { PoolItem } from "@/lib/recipes/self-instruct";
import { connectionRuntime } from "./connection-runtime";
import { createModelCall } from "./model-transport";

export type SampleEvent =
  | { type: "start"; record: number; recordIndex: number }
  | { type: "field"; record: number; name: string; value: unknown }
  | { type: "delta"; record: number; field: string; text: string }
  | { type: "done"; record: number; status: "succeeded" | "failed"; error: string | null; tokensIn: number; tokensOut: number; costUsd: number; latencyMs: number }
  | { type: "error"; message: string }
  | { type: "end" };

export async function streamSamples(
  db: Db,
  input: { datasetId: string; blueprint: Blueprint; connectionId: string; count: number; seed: number },
  emit: (e: SampleEvent) => void,
  signal: AbortSignal,
  opts: { renderBudgetMs?: number } = {},
) {
  const rt = await connectionRuntime(db, input.connectionId);
  const render = offThreadRenderer({ signal, budgetMs: opts.renderBudgetMs });
  const call = createModelCall({ client: rt.client, limiter: rt.limiterFor, prices: rt.prices, maxAttempts: 3, requestTimeoutMs: 120_000, signal, stream: true });
  // Samples draw fresh records (offset by the seed) so repeated clicks show new ones.
  const indices = Array.from({ length: input.count }, (_, i) => i);
  const rowCounts = await seedTableRowCounts(db, input.datasetId);
  const lookup = await loadSeedRows(db, input.blueprint, input.seed, indices, rowCounts);
  // A pool field's samples draw from its pool as it stands (only the dataset's own tables).
  const pools: Record<string, PoolItem[]> = {};
  for (const f of input.blueprint.fields) if (f.kind === "pool" && Object.hasOwn(rowCounts, f.seedTableId)) pools[f.name] = (await loadPool(db, f.seedTableId)).items;
  // Answer lengths, for the run's expected cost (lib/generation/output-lengths.ts).
  const seen: { field: string; model: string; tokensOut: number }[] = [];
  await Promise.all(
    indices.map(async (recordIndex, record) => {
      emit({ type: "start", record, recordIndex });
      const t0 = performance.now();
      try {
        const rec = await generateRecord(input.blueprint, {
          seed: input.seed,
          recordIndex,
          seedRows: lookup(recordIndex),
          pools,
          call,
          render,
          onField: (name, value) => emit({ type: "field", record, name, value }),
          onDelta: (field, text) => emit({ type: "delta", record, field, text }),
        });
        for (const [field, p] of Object.entries(rec.llm)) if (!p.error && !p.cached && p.tokensOut > 0) seen.push({ field, model: p.model, tokensOut: tokensPerAnswer(p) });
        emit({ type: "done", record, status: rec.status, error: rec.error, tokensIn: rec.tokensIn, tokensOut: rec.tokensOut, costUsd: rec.costUsd, latencyMs: Math.round(performance.now() - t0) });
      } catch (e) {
        const message = e instanceof ModelCallError ? e.message : "The sample failed; see the studio's log.";
        if (!(e instanceof ModelCallError)) console.error("[datawright] sample failed", e);
        emit({ type: "done", record, status: "failed", error: message, tokensIn: 0, tokensOut: 0, costUsd: 0, latencyMs: Math.round(performance.now() - t0) });
      }
    }),
  );
  if (seen.length) await recordOutputLengths(db, input.datasetId, seen).catch((e) => console.error("[datawright] could not keep answer lengths", e));
}

async function recordOutputLengths(db: Db, datasetId: string, seen: { field: string; model: string; tokensOut: number }[]) {
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ outputLengths: unknown }[]>`select "outputLengths" from "Dataset" where id = ${datasetId}::uuid for update`;
    if (!rows[0]) return;
    const next = addLiveSamples(parseOutputLengths(rows[0].outputLengths), seen);
    await tx.$executeRaw`update "Dataset" set "outputLengths" = ${JSON.stringify(next)}::jsonb where id = ${datasetId}::uuid`;
  });
}
