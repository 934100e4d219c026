import "server-only";
// Tokens and cost of a whole run before it starts: render a sample of records exactly
// as the run will (same seed, same draws), count their prompt tokens, assume each
// answer's length, and extrapolate. Labelled an estimate wherever it is one.
import { previewRecords, seedRowLookup, seedRowsNeeded } from "@/lib/blueprints/preview";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { estimateRunCost } from "@/lib/generation/prices";
import { countChatTokens, estimateOutputTokens } from "@/lib/generation/tokens";
import { fetchSeedRows } from "@/lib/seed-tables/server/seed-tables";
import { listPrices } from "@/lib/providers/server/connections";

const SAMPLE = 20;

export async function estimateRun(db: Db, datasetId: string, blueprint: Blueprint, records: number, seed: number) {
  const tables = await db.seedTable.findMany({ where: { datasetId }, select: { id: true, rowCount: true } });
  const indices = Array.from({ length: Math.min(SAMPLE, records) }, (_, i) => i);
  const plan = seedRowsNeeded(blueprint, seed, indices, Object.fromEntries(tables.map((t) => [t.id, t.rowCount])));
  const rows = await fetchSeedRows(db, plan.byTable);
  const sample = previewRecords(blueprint, { seed, count: indices.length, seedRows: seedRowLookup(plan, rows) });
  const llmFields = new Map(blueprint.fields.filter((f): f is LlmField => f.kind === "llm").map((f) => [f.name, f]));

  let exact = true;
  const perRecordSamples = sample.flatMap((rec) =>
    rec.fields.flatMap((f) => {
      if (f.kind !== "llm" || !f.messages) return [];
      const counted = countChatTokens(f.messages, f.model);
      exact &&= counted.exact;
      // An earlier LLM output appears here as a placeholder; it will be as long as that answer.
      let carried = 0;
      for (const [name, other] of llmFields) {
        if (f.messages.some((m) => m.content.includes(`⟨output of ${name}`))) carried += estimateOutputTokens(other);
      }
      return [{ model: f.model, tokensIn: counted.tokens + carried, tokensOut: estimateOutputTokens(llmFields.get(f.name)!) }];
    }),
  );
  const prices = Object.fromEntries((await listPrices(db)).map((p) => [p.model, { input: p.inputPerMTok, output: p.outputPerMTok }]));
  const est = estimateRunCost({ perRecordSamples: perRecordSamples.map((s) => ({ ...s })), sampledRecords: sample.length, records, prices });
  return { ...est, exactInputTokens: exact, sampledRecords: sample.length, assumption: "Answer lengths are assumed from each field's max_tokens (or a default); prompt tokens are counted." };
}
