// Text answers to the three Evol-Instruct asks (lib/recipes/evol-instruct.ts), so a run
// against the fake server keeps some evolutions and drops others the way a real model's
// would: a rewrite usually adds a clause, sometimes comes back unchanged (the equality
// check then finds no gain), sometimes echoes the "#Rewritten Prompt#" label, and
// sometimes asks for something so hard that its answer is an apology. The equality
// check is answered truthfully (Equal only for the same text).
import { type Rng, extractKeywords, phrase, pick, randInt } from "./random";

const CLAUSES = [
  "Limit the answer to exactly three short paragraphs.",
  "Include one concrete example drawn from everyday life.",
  "Explain each step of your reasoning before the conclusion.",
  "Compare at least two different approaches and say which is better.",
  "Address a reader who has no background in the subject.",
  "Mention one common mistake and how to avoid it.",
];

/** A clause a model would refuse: the answer to an instruction carrying it is an apology. */
export const IMPOSSIBLE_CLAUSE = "Prove the answer holds in every conceivable case, citing unpublished sources.";

const REWRITE = /#The Given Prompt#:\n([\s\S]*?)\n#Rewritten Prompt#:\s*$/;
const CREATE = /#Given Prompt#:\n([\s\S]*?)\n#Created Prompt#:\s*$/;
const EQUALITY = /The First Prompt: ([\s\S]*?)\nThe Second Prompt: ([\s\S]*?)\nYour Judgement \(just answer: Equal or Not Equal/;

const norm = (s: string) => s.trim().replace(/\s+/g, " ").toLowerCase();

/** The answer to an Evol-Instruct ask in the last user message, or null when it is not one. */
export function evolAnswer(text: string, rng: Rng): string | null {
  const eq = EQUALITY.exec(text);
  if (eq) return norm(eq[1]) === norm(eq[2]) ? "Equal" : "Not Equal";
  const rewrite = REWRITE.exec(text);
  if (rewrite) {
    const given = rewrite[1].trim();
    const roll = rng();
    if (roll < 0.1) return given;
    if (roll < 0.2) return `#Rewritten Prompt#: ${given} ${pick(rng, CLAUSES)}`;
    if (roll < 0.3) return `${given} ${IMPOSSIBLE_CLAUSE}`;
    return `${given} ${pick(rng, CLAUSES)}`;
  }
  const create = CREATE.exec(text);
  if (create) {
    const words = extractKeywords(create[1]);
    return `Describe ${phrase(rng, words, randInt(rng, 2, 4))} in a rarely considered setting, and explain why it matters.`;
  }
  if (text.includes(IMPOSSIBLE_CLAUSE)) return "I'm sorry, but I can't provide that: no answer could be proven for every case.";
  return null;
}
