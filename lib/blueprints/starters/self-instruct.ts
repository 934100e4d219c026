// Self-Instruct (Wang et al., 2023; ../shared/seeds/000_0756498b53af5360.txt): a pool of
// human-written instructions (a table created with the dataset) grows round by round. Each
// prompt shows 6 seed and 2 generated instructions from the pool and asks for the next one;
// the paper's filters are ordinary validators (word count, blocklist) plus "similar to the
// pool" (ROUGE-L above 0.7), and an ordinary LLM field answers only the kept instructions.
// Nothing here is special to the recipe: the pool field and the validators are field kinds.
import type { Blueprint, ValidatorField } from "../schema";
import { newField, newId } from "../defaults";
import type { StarterTable } from "./index";
import { textLlm } from "./fields";
import { BLOCKLIST, MAX_WORDS, MIN_WORDS_EXCLUSIVE } from "@/lib/recipes/self-instruct";
import { SELF_INSTRUCT_SEEDS } from "@/lib/recipes/self-instruct-seeds";

export const SELF_INSTRUCT_TABLE: StarterTable = {
  name: "instruction-pool.jsonl",
  columns: ["instruction"],
  rows: SELF_INSTRUCT_SEEDS.map((instruction) => ({ instruction })),
};

/** The paper's keyword filter as a regular expression: whole words, any case. */
export const BLOCKLIST_PATTERN = `\\b(${BLOCKLIST.map((t) => t.replace(/ /g, "\\s+")).join("|")})\\b`;

export function buildSelfInstruct(ctx: { seedTableId: string }): Blueprint {
  const validator = (name: string, description: string, check: ValidatorField["check"]): ValidatorField => ({ id: newId(), kind: "validator", name, description, mode: "reject", check });
  return {
    fields: [
      {
        ...newField("pool", "pool_examples"),
        description: "6 seed and 2 generated instructions from the pool, drawn per record; their ids are the record's lineage.",
        seedTableId: ctx.seedTableId,
      },
      textLlm({
        name: "instruction",
        description: "A new task, asked for as the next item of the numbered list.",
        system: "",
        prompt: "Come up with a series of tasks:\n\n{% for item in pool_examples %}Task {{ forloop.index }}: {{ item.instruction }}\n{% endfor %}Task {{ pool_examples.size | plus: 1 }}:",
        temperature: 0.7,
      }),
      validator("word_count", `More than ${MIN_WORDS_EXCLUSIVE} and at most ${MAX_WORDS} words: shorter ones are fragments, longer ones rambles.`, {
        type: "length",
        field: "instruction",
        unit: "words",
        min: MIN_WORDS_EXCLUSIVE + 1,
        max: MAX_WORDS,
      }),
      validator("blocklist", "No task a text-only model cannot do (images, graphs, files, maps, drawing, plotting, going somewhere).", {
        type: "regex",
        field: "instruction",
        pattern: BLOCKLIST_PATTERN,
        caseInsensitive: true,
        mustMatch: false,
      }),
      validator("novel", "ROUGE-L F1 at most 0.7 with every instruction already in the pool; a kept instruction joins the pool.", {
        type: "similar_to_pool",
        field: "instruction",
        pool: "pool_examples",
      }),
      textLlm({
        name: "response",
        description: "The answer to a kept instruction: with it, the record is an instruction-tuning pair.",
        system: "You are a helpful, precise assistant.",
        prompt: "{{ instruction }}",
        temperature: 0.7,
      }),
    ],
  };
}
