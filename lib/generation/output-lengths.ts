// Answer lengths seen so far, per LLM field, for the cost estimate. Assuming every answer
// runs to max_tokens put a children's-stories estimate at $0.0506 for a run that cost
// $0.0171; the lengths the model actually gave (live samples, earlier runs of the field)
// say what a run is likely to cost, and max_tokens stays beside it as the worst case.
// Pure: no I/O.
import { z } from "zod";
import type { LlmField } from "@/lib/blueprints/schema";
import { estimateOutputTokens } from "./tokens";

/** Live samples kept per field: enough for a mean, small enough to sit on the dataset row. */
export const KEEP_LIVE_SAMPLES = 20;

/** Dataset.outputLengths: answer lengths (output tokens) from live samples, per field. */
export const OutputLengths = z.record(z.string(), z.object({ model: z.string(), tokensOut: z.array(z.number().int().min(0)) }));
export type OutputLengths = z.infer<typeof OutputLengths>;

export function parseOutputLengths(json: unknown): OutputLengths {
  const parsed = OutputLengths.safeParse(json);
  return parsed.success ? parsed.data : {};
}

/**
 * Adds live samples' answer lengths. A field whose model changed starts over: another model
 * writes answers of another length.
 */
export function addLiveSamples(current: OutputLengths, seen: { field: string; model: string; tokensOut: number }[]): OutputLengths {
  const next: OutputLengths = { ...current };
  for (const s of seen) {
    const prev = next[s.field];
    const kept = prev && prev.model === s.model ? prev.tokensOut : [];
    next[s.field] = { model: s.model, tokensOut: [...kept, s.tokensOut].slice(-KEEP_LIVE_SAMPLES) };
  }
  return next;
}

/** Output tokens of one answer of a field: a conversation's provenance sums its 2N calls, so it counts per call. */
export function tokensPerAnswer(p: { tokensOut: number; conversation?: { calls: unknown[] } }): number {
  return p.conversation && p.conversation.calls.length > 0 ? Math.round(p.tokensOut / p.conversation.calls.length) : p.tokensOut;
}

/** Answers of a field seen in earlier runs' records (same model): how many, and their mean. */
export type RunAnswers = { answers: number; meanTokensOut: number };

export type ExpectedOutput = {
  /** Expected output tokens per call. */
  tokensOut: number;
  /** The worst case: max_tokens (or the default assumption). */
  worstTokensOut: number;
  /** Answers the expectation is based on; 0 means none seen and tokensOut is the worst case. */
  answers: number;
  from: ("live samples" | "earlier runs")[];
};

export function expectedOutputTokens(field: Pick<LlmField, "model" | "params" | "output">, live: OutputLengths[string] | undefined, runs: RunAnswers | undefined): ExpectedOutput {
  const worst = estimateOutputTokens(field);
  const liveSeen = live && live.model === field.model ? live.tokensOut : [];
  const runSeen = runs && runs.answers > 0 ? runs : undefined;
  const answers = liveSeen.length + (runSeen?.answers ?? 0);
  if (answers === 0) return { tokensOut: worst, worstTokensOut: worst, answers: 0, from: [] };
  const total = liveSeen.reduce((a, b) => a + b, 0) + (runSeen ? runSeen.meanTokensOut * runSeen.answers : 0);
  // A max_tokens lowered since cuts answers off there: never expect more than the cap.
  const cap = field.params.max_tokens ?? Number.POSITIVE_INFINITY;
  const from: ExpectedOutput["from"] = [];
  if (liveSeen.length) from.push("live samples");
  if (runSeen) from.push("earlier runs");
  return { tokensOut: Math.min(cap, Math.round(total / answers)), worstTokensOut: worst, answers, from };
}
