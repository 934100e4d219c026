// Back-translation (seed 001): translate a real sentence into a pivot language and back.
// The round trip keeps the meaning and changes the wording in ways a paraphrase prompt
// rarely does. Two chained LLM fields; the original, the pivot text and the result stay
// side by side in review and exports.
import type { Blueprint } from "../schema";
import { newId } from "../defaults";
import { textLlm } from "./fields";

export const PIVOT_LANGUAGES: readonly string[] = ["French", "German", "Spanish", "Japanese", "Russian"];

export function buildBackTranslation(ctx: { seedTableId: string }): Blueprint {
  const llm = (name: string, description: string, prompt: string) =>
    textLlm({ name, description, system: "You are a translator. Answer with the translation only.", prompt, temperature: 0.3 });
  return {
    fields: [
      { id: newId(), kind: "seed", name: "original", description: "The real message (a row of the seed table, in order).", seedTableId: ctx.seedTableId, column: "message", order: "sequential" },
      { id: newId(), kind: "seed", name: "intent", description: "The real message's label, carried over.", seedTableId: ctx.seedTableId, column: "intent", order: "sequential" },
      { id: newId(), kind: "category", name: "pivot", description: "The language of the round trip.", options: PIVOT_LANGUAGES.map((value) => ({ value, weight: 1 })) },
      llm("pivot_text", "Step 1: the message in the pivot language.", "Translate into {{ pivot }}:\n\n{{ original }}"),
      llm("back_translation", "Step 2: the pivot text translated back into English.", "Translate into English:\n\n{{ pivot_text }}"),
      {
        id: newId(),
        kind: "validator",
        name: "back_in_english",
        description: "The round trip came back in English.",
        mode: "reject",
        check: { type: "language", field: "back_translation", language: "eng" },
      },
    ],
  };
}
