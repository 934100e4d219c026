import "server-only";
// Tokens and cost of a whole run before it starts: render a sample of records exactly
// as the run will (same seed, same draws), count their prompt tokens, and extrapolate.
// Answer lengths are what makes the two figures differ: the worst case assumes every
// answer runs to max_tokens; the expected cost uses the lengths this dataset's fields gave
// in live samples and earlier runs (lib/generation/output-lengths.ts), when there are any.
import { placeholderText } from "@/lib/blueprints/preview";
import { judgeSchemaText } from "@/lib/blueprints/judge";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";
import type { Db } from "@/lib/db/server/prisma";
import { expectedOutputTokens, parseOutputLengths, type ExpectedOutput, type RunAnswers } from "@/lib/generation/output-lengths";
import { batchPrices, estimateRunCost, type CallSample } from "@/lib/generation/prices";
import { countChatTokens } from "@/lib/generation/tokens";
import { assistantMessages, conversationCallTokens, simulatorMessages } from "@/lib/blueprints/conversation";
import { equalityPrompt, evolvePrompt, MUTATIONS } from "@/lib/recipes/evol-instruct";
import { previewBlueprint } from "@/lib/datasets/server/preview";
import { priceTable } from "@/lib/providers/server/prices";

const SAMPLE = 20;
/** Earlier runs' records read per field for the answer length: the latest are the best guide. */
const RECENT_RECORDS = 500;

/**
 * `only`: the model fields to count (a regeneration pays for one field and its dependents).
 * `batch`: at the provider's batch prices (batch mode, batch-executor.ts).
 */
export async function estimateRun(db: Db, datasetId: string, blueprint: Blueprint, records: number, seed: number, only?: Set<string>, batch = false) {
  const sample = await previewBlueprint(db, datasetId, blueprint, seed, Math.min(SAMPLE, records));
  // Judges are model calls too: their answer is JSON of the rubric's shape.
  const llmFields = new Map(
    blueprint.fields.flatMap((f): [string, ModelCallField][] =>
      f.kind === "llm" ? [[f.name, f]] : f.kind === "conversation" || f.kind === "evolve" ? [[f.name, { ...f, output: { type: "text" } }]] : f.kind === "judge" ? [[f.name, { name: f.name, model: f.model, params: f.params, output: { type: "json", schema: judgeSchemaText(f) } }]] : [],
    ),
  );
  const expected = await expectedOutputs(db, datasetId, [...llmFields.values()]);

  let exact = true;
  const worstCalls: CallSample[] = [];
  const expectedCalls: CallSample[] = [];
  // An earlier LLM output appears in a prompt as a placeholder; it will be as long as that answer.
  const carried = (messages: { content: string }[]) => {
    let worst = 0;
    let likely = 0;
    for (const [name] of llmFields) {
      // Prefix match (no closing bracket) also catches `{{ name.property }}`.
      const marker = placeholderText(name).slice(0, -1);
      if (messages.some((m) => m.content.includes(marker))) {
        worst += expected.get(name)!.worstTokensOut;
        likely += expected.get(name)!.tokensOut;
      }
    }
    return { worst, likely };
  };
  for (const rec of sample) {
    for (const f of rec.fields) {
      if (f.kind === "conversation") {
        if ((only && !only.has(f.name)) || f.system === null || f.persona === null) continue;
        // 2N calls, each resending the conversation so far (lib/blueprints/conversation.ts).
        const system = assistantMessages(f.system, []);
        const persona = simulatorMessages(f.persona, []);
        const counted = [countChatTokens(system, f.model), countChatTokens(persona, f.model)];
        exact &&= counted.every((c) => c.exact);
        const c = carried([...system, ...persona]);
        const out = expected.get(f.name)!;
        for (const [calls, extra, perMessage] of [
          [worstCalls, c.worst, out.worstTokensOut],
          [expectedCalls, c.likely, out.tokensOut],
        ] as const) {
          for (const call of conversationCallTokens(f.turns, { system: counted[0].tokens + extra, persona: counted[1].tokens + extra, opening: 0, perMessage })) {
            calls.push({ model: f.model, tokensIn: call.tokensIn, tokensOut: call.tokensOut });
          }
        }
        continue;
      }
      if (f.kind === "evolve") {
        if (only && !only.has(f.name)) continue;
        // Up to three calls per generation (rewrite, response, equality check), counted as
        // if no evolution were dropped; the evolved instructions are not known yet, so each
        // is taken to be as long as an answer and the count is not exact.
        exact = false;
        const seed = String(rec.values[f.source] ?? "");
        const tokens = (content: string) => countChatTokens([{ role: "user", content }], f.model).tokens;
        const rewrite = tokens(evolvePrompt(MUTATIONS[0], seed));
        const equality = tokens(equalityPrompt(seed, ""));
        const out = expected.get(f.name)!;
        for (const [calls, per] of [
          [worstCalls, out.worstTokensOut],
          [expectedCalls, out.tokensOut],
        ] as const) {
          for (let g = 0; g < f.generations; g++) {
            calls.push({ model: f.model, tokensIn: rewrite + per, tokensOut: per });
            calls.push({ model: f.model, tokensIn: per, tokensOut: per });
            calls.push({ model: f.model, tokensIn: equality + 2 * per, tokensOut: per });
          }
        }
        continue;
      }
      if ((f.kind !== "llm" && f.kind !== "judge") || !f.messages || (only && !only.has(f.name))) continue;
      const counted = countChatTokens(f.messages, f.model);
      exact &&= counted.exact;
      const { worst: carriedWorst, likely: carriedExpected } = carried(f.messages);
      const out = expected.get(f.name)!;
      worstCalls.push({ model: f.model, tokensIn: counted.tokens + carriedWorst, tokensOut: out.worstTokensOut });
      expectedCalls.push({ model: f.model, tokensIn: counted.tokens + carriedExpected, tokensOut: out.tokensOut });
    }
  }
  const online = await priceTable(db);
  const prices = batch ? batchPrices(online) : online;
  const worst = estimateRunCost({ perRecordSamples: worstCalls, sampledRecords: sample.length, records, prices });
  const seen = [...expected.entries()].filter(([, e]) => e.answers > 0);
  const likely = seen.length ? estimateRunCost({ perRecordSamples: expectedCalls, sampledRecords: sample.length, records, prices }) : null;
  return {
    /** Priced at the batch prices (the form says so beside the figure it belongs to). */
    batch,
    ...worst,
    exactInputTokens: exact,
    sampledRecords: sample.length,
    /** From the answer lengths seen; null until a field has been sampled or run. */
    expected: likely && {
      costUsd: likely.costUsd,
      tokensIn: likely.tokensIn,
      tokensOut: likely.tokensOut,
      basis: seen.map(([field, e]) => ({ field, answers: e.answers, meanTokensOut: e.tokensOut, from: e.from })),
    },
    assumption: "The worst case assumes every answer uses max_tokens (or a default); prompt tokens are counted.",
    /** For "N good records": the yield of this dataset's latest finished target run; null before one. */
    targetYield: await latestTargetYield(db, datasetId),
  };
}

/**
 * Good (in or over the target) ÷ attempts of the dataset's latest target run that ended.
 * Its thresholds may differ from the next launch's: the form says which run it came from.
 */
async function latestTargetYield(db: Db, datasetId: string): Promise<{ yield: number; attempts: number; runCreatedAt: string } | null> {
  const [r] = await db.$queryRaw<{ good: number; attempts: number; over: number; createdAt: Date }[]>`
    select r.good, (r.succeeded + r.failed)::int as attempts, r."createdAt",
      (select count(*)::int from "Record" x where x."runId" = r.id and x.target = 'over') as over
    from "Run" r
    where r."datasetId" = ${datasetId}::uuid and r.settings->'target' is not null and jsonb_typeof(r.settings->'target') = 'object'
      and r.status in ('completed', 'partial', 'failed') and r.succeeded + r.failed > 0
    order by r."createdAt" desc limit 1`;
  return r ? { yield: (r.good + r.over) / r.attempts, attempts: r.attempts, runCreatedAt: r.createdAt.toISOString() } : null;
}

/**
 * What each LLM field's answers are likely to be, from live samples and earlier runs. A
 * conversation's provenance sums its 2N calls, so its mean is taken per call.
 */
type ModelCallField = Pick<LlmField, "name" | "model" | "params" | "output">;

async function expectedOutputs(db: Db, datasetId: string, fields: ModelCallField[]): Promise<Map<string, ExpectedOutput>> {
  const dataset = await db.dataset.findUnique({ where: { id: datasetId }, select: { outputLengths: true } });
  const live = parseOutputLengths(dataset?.outputLengths);
  const out = new Map<string, ExpectedOutput>();
  for (const f of fields) {
    const [runs] = await db.$queryRaw<RunAnswers[]>`
      select count(*)::int as answers, coalesce(avg((p->>'tokensOut')::float8 / coalesce(jsonb_array_length(p->'conversation'->'calls'), jsonb_array_length(p->'evolve'->'calls'), 1)), 0)::float8 as "meanTokensOut"
      from (
        select provenance->'llm'->${f.name} as p from "Record"
        where "datasetId" = ${datasetId}::uuid and "runId" is not null and status = 'succeeded'
        order by "createdAt" desc limit ${RECENT_RECORDS}
      ) recent
      where p is not null and p->>'model' = ${f.model}`;
    out.set(f.name, expectedOutputTokens(f, live[f.name], runs));
  }
  return out;
}
