// Few-shot examples: which examples a record gets, and how they reach the model.
import type { FewShot, FewShotExample } from "./schema";
import type { ChatMessage } from "./chat-message";
import { rngFor } from "./rng";
import { drawDistinct } from "./samplers";

export interface FewShotDrawContext {
  seed: number;
  recordIndex: number;
  /** The LLM field's name; part of the random stream so two fields draw independently. */
  fieldName: string;
}

/**
 * The k examples (no repeats, random order) for one record. Varying the examples per
 * record is the point: a fixed set makes every output imitate the same few samples.
 */
export function drawExamples(fewShot: FewShot, ctx: FewShotDrawContext): FewShotExample[] {
  if (fewShot.k <= 0 || fewShot.examples.length === 0) return [];
  const rng = rngFor(ctx.seed, ctx.recordIndex, `${ctx.fieldName}:fewshot`);
  return drawDistinct(fewShot.examples, fewShot.k, rng);
}

/** Examples as prior conversation turns, to go after the system message. */
export function examplesAsTurns(examples: readonly FewShotExample[]): ChatMessage[] {
  return examples.flatMap((e): ChatMessage[] => [
    { role: "user", content: e.input },
    { role: "assistant", content: e.output },
  ]);
}

/** Examples as one block of text for `{{ examples }}`; empty string when there are none. */
export function examplesAsText(examples: readonly FewShotExample[]): string {
  return examples.map((e) => `Input: ${e.input}\nOutput: ${e.output}`).join("\n\n");
}
