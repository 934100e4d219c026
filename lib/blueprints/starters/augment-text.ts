// Augmentation of real data (seed 001, "data augmentation"): each record takes one row of
// a real table and asks a model for a variant of it: a paraphrase, the same message in a
// formal or an informal tone, shorter or longer. The original stays beside the variant in
// review and in exports (input/output pairs are a common training format), and the label
// of the real row (here the intent) carries over to the variant.
import type { Blueprint } from "../schema";
import { DEFAULT_MODEL, newId } from "../defaults";
import { textLlm } from "./fields";

export const AUGMENTATIONS: readonly string[] = ["paraphrase", "formal", "informal", "shorter", "longer"];

const INSTRUCTION = `{% case augmentation %}
{% when "paraphrase" %}Rewrite the message below in different words. Keep its meaning and every fact in it.
{% when "formal" %}Rewrite the message below in a formal, polite tone. Keep its meaning and every fact in it.
{% when "informal" %}Rewrite the message below in a casual, informal tone, as someone would text a friend. Keep its meaning and every fact in it.
{% when "shorter" %}Rewrite the message below as briefly as possible, in one short sentence. Keep what the customer asks for.
{% when "longer" %}Rewrite the message below with more detail and context, in three or four sentences. Do not add new requests.
{% endcase %}
Answer with the rewritten message only.

Message: {{ original }}`;

export function buildAugmentText(ctx: { seedTableId: string }): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "seed", name: "original", description: "The real message (a row of the seed table, in order).", seedTableId: ctx.seedTableId, column: "message", order: "sequential" },
      { id: newId(), kind: "seed", name: "intent", description: "The real message's label, carried over to its variant.", seedTableId: ctx.seedTableId, column: "intent", order: "sequential" },
      { id: newId(), kind: "category", name: "augmentation", description: "Which variant to write.", options: AUGMENTATIONS.map((value) => ({ value, weight: 1 })) },
      textLlm({
        name: "variant",
        description: "The rewritten message.",
        system: "You rewrite customer-support messages for a training set. You never answer them.",
        prompt: INSTRUCTION,
        temperature: 0.9,
      }),
      {
        id: newId(),
        kind: "judge",
        name: "faithful",
        description: "Is the variant the same request as the original?",
        over: ["original", "augmentation", "variant"],
        criteria: [
          {
            name: "same_meaning",
            description: "The variant asks for the same thing, with the same facts, as the original, in the asked-for style.",
            levels: [
              { value: "pass", description: "Same request and facts, in the asked-for style." },
              { value: "fail", description: "A fact or the request changed, something was answered instead of rewritten, or the style is wrong." },
            ],
          },
        ],
        model: DEFAULT_MODEL,
        params: { temperature: 0 },
      },
    ],
  };
}
