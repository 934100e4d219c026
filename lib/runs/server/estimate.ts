import "server-only";
// Tokens and cost of a whole run before it starts: render a sample of records exactly
// as the run will (same seed, same draws), count their prompt tokens, assume each
// answer's length, and extrapolate. Labelled an estimate wherever it is one.
import { placeholderText } from "@/lib/blueprints/preview";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { estimateRunCost } from "@/lib/generation/prices";
import { countChatTokens, estimateOutputTokens } from "@/lib/generation/tokens";
import { previewBlueprint } from "@/lib/datasets/server/preview";
import { priceTable } from "@/lib/providers/server/prices";

const SAMPLE = 20;

export async function estimateRun(db: Db, datasetId: string, blueprint: Blueprint, records: number, seed: number) {
  const sample = await previewBlueprint(db, datasetId, blueprint, seed, Math.min(SAMPLE, records));
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
        // Prefix match (no closing bracket) also catches `{{ name.property }}`.
        const marker = placeholderText(name).slice(0, -1);
        if (f.messages.some((m) => m.content.includes(marker))) carried += estimateOutputTokens(other);
      }
      return [{ model: f.model, tokensIn: counted.tokens + carried, tokensOut: estimateOutputTokens(llmFields.get(f.name)!) }];
    }),
  );
  const est = estimateRunCost({ perRecordSamples, sampledRecords: sample.length, records, prices: await priceTable(db) });
  return { ...est, exactInputTokens: exact, sampledRecords: sample.length, assumption: "Answer lengths are assumed from each field's max_tokens (or a default); prompt tokens are counted." };
}
