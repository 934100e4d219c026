// Evol-Instruct (Xu et al., WizardLM, 2023): simple seed instructions (a table created
// with the dataset; the user replaces it with theirs) evolve over generations into harder
// ones, and an ordinary LLM field answers the instruction that survived. The evolution's
// lineage stays in the record for review.
import type { Blueprint } from "../schema";
import { newField, newId } from "../defaults";
import type { StarterTable } from "./index";
import { textLlm } from "./fields";

/** Short, plain instructions in the spirit of the paper's Alpaca seeds: easy to evolve in several directions. */
const SEED_INSTRUCTIONS: readonly string[] = [
  "Explain why the sky is blue.",
  "Write a haiku about autumn.",
  "Give three tips for staying focused while studying.",
  "Summarize the water cycle in two sentences.",
  "Write a Python function that reverses a string.",
  "Describe how a bill becomes a law.",
  "List the planets of the solar system in order.",
  "Explain the difference between weather and climate.",
  "Suggest a name for a bakery.",
  "Convert 100 degrees Fahrenheit to Celsius.",
  "Explain what a prime number is.",
  "Write a short thank-you note to a teacher.",
  "Describe the main causes of inflation.",
  "Give an example of a metaphor.",
  "Explain how vaccines work.",
  "Write a SQL query that counts the rows of a table.",
  "Describe a healthy breakfast.",
  "Explain what photosynthesis produces.",
  "Give two arguments for learning a second language.",
  "Explain what an API is to a beginner.",
];

export const EVOL_INSTRUCT_TABLE: StarterTable = {
  name: "seed-instructions.jsonl",
  columns: ["instruction"],
  rows: SEED_INSTRUCTIONS.map((instruction) => ({ instruction })),
};

export function buildEvolInstruct(ctx: { seedTableId: string }): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "seed", name: "seed_instruction", description: "A seed instruction (a row of the seed table, in order).", seedTableId: ctx.seedTableId, column: "instruction", order: "sequential" },
      {
        ...newField("evolve", "evolved"),
        description: "The seed evolved over generations; {{ evolved.instruction }} is the last one kept, the lineage shows every step.",
        source: "seed_instruction",
      },
      textLlm({
        name: "response",
        description: "The answer to the evolved instruction: with it, the record is an instruction-tuning pair.",
        system: "You are a helpful, precise assistant.",
        prompt: "{{ evolved.instruction }}",
        temperature: 0.7,
      }),
    ],
  };
}
