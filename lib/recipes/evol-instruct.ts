// Evol-Instruct (Xu et al., WizardLM, 2023; seed 001): an instruction is rewritten over
// several generations, each step one mutation drawn from "in-depth" evolving (add a
// constraint, deepen, concretize, ask for more reasoning steps, complicate the input) or
// "in-breadth" evolving (a new, rarer instruction in the same domain). An evolved
// instruction that fails an elimination rule is dropped, with the rule named, and its
// lineage stops there. Pure: the prompts, the draw, and the rules; the calls are made by
// generation.
import type { Rng } from "@/lib/blueprints/rng";

export type MutationKind = "depth" | "breadth";
export type Mutation = { id: string; kind: MutationKind; name: string; method: string };

/** The paper's five in-depth methods and its in-breadth one; the method texts are editable in a blueprint. */
export const MUTATIONS: readonly Mutation[] = [
  { id: "constraints", kind: "depth", name: "Add constraints", method: "Please add one more constraint or requirement into #The Given Prompt#." },
  { id: "deepen", kind: "depth", name: "Deepen", method: "If #The Given Prompt# contains inquiries about certain issues, the depth and breadth of the inquiry can be increased." },
  { id: "concretize", kind: "depth", name: "Concretize", method: "Please replace general concepts with more specific concepts." },
  {
    id: "reasoning",
    kind: "depth",
    name: "Increase reasoning steps",
    method: "If #The Given Prompt# can be solved with just a few simple thinking processes, you can rewrite it to explicitly request multiple-step reasoning.",
  },
  {
    id: "complicate_input",
    kind: "depth",
    name: "Complicate the input",
    method: "Add a concrete input the prompt works on, such as a short table, a code snippet or a data sample, and make the prompt depend on it.",
  },
  { id: "breadth", kind: "breadth", name: "In-breadth", method: "" },
];

const DEPTH = (method: string, instruction: string) => `I want you to act as a Prompt Rewriter.
Your objective is to rewrite a given prompt into a more complex version to make famous AI systems (e.g., ChatGPT and GPT-4) a bit harder to handle.
But the rewritten prompt must be reasonable and must be understood and responded to by humans.
Your rewriting cannot omit the non-text parts such as the table and code in #The Given Prompt#. Also, please do not omit the input in #The Given Prompt#.
You SHOULD complicate the given prompt using the following method:
${method}
You should try your best not to make the #Rewritten Prompt# become verbose; #Rewritten Prompt# can only add 10 to 20 words into #The Given Prompt#.
'#The Given Prompt#', '#Rewritten Prompt#', 'given prompt' and 'rewritten prompt' are not allowed to appear in #Rewritten Prompt#.
#The Given Prompt#:
${instruction}
#Rewritten Prompt#:
`;

const BREADTH = (instruction: string) => `I want you to act as a Prompt Creator.
Your goal is to draw inspiration from the #Given Prompt# to create a brand new prompt.
This new prompt should belong to the same domain as the #Given Prompt# but be even more rare.
The LENGTH and complexity of the #Created Prompt# should be similar to that of the #Given Prompt#.
The #Created Prompt# must be reasonable and must be understood and responded to by humans.
'#Given Prompt#', '#Created Prompt#', 'given prompt' and 'created prompt' are not allowed to appear in #Created Prompt#.
#Given Prompt#:
${instruction}
#Created Prompt#:
`;

/** The request that evolves `instruction` by `mutation`. */
export function evolvePrompt(mutation: Mutation, instruction: string): string {
  return mutation.kind === "breadth" ? BREADTH(instruction) : DEPTH(mutation.method, instruction);
}

/** One mutation, uniformly among those enabled (the record's seeded stream keeps runs reproducible). */
export function drawMutation(rng: Rng, mutations: readonly Mutation[] = MUTATIONS): Mutation {
  if (mutations.length === 0) throw new Error("Evol-Instruct needs at least one mutation.");
  return mutations[Math.min(mutations.length - 1, Math.floor(rng() * mutations.length))];
}

/** The paper's "no information gain" check, asked of a model. */
export function equalityPrompt(parent: string, evolved: string): string {
  return `Here are two instructions to an AI assistant. Do you think they are equal to each other, meeting the following requirements:
1. They have the same constraints and requirements.
2. They have the same depth and breadth of the inquiry.
The First Prompt: ${parent}
The Second Prompt: ${evolved}
Your Judgement (just answer: Equal or Not Equal. No need to explain the reason.):`;
}

/** Reads the equality answer; "Not Equal" wins over "Equal" (it contains the word). Unclear answers count as not equal: no evidence of no gain. */
export function readEquality(answer: string): boolean {
  const a = answer.toLowerCase();
  if (/\bnot\s+equal\b/.test(a)) return false;
  return /\bequal\b/.test(a);
}

export type EliminationRule = "no_gain" | "apology" | "no_content" | "copied_phrase" | "empty";

export const RULE_TEXT: Record<EliminationRule, string> = {
  no_gain: "no information gain over its parent (a model judged them equal)",
  apology: "the response is an apology under 80 words: the instruction is too hard to answer",
  no_content: "the response is only punctuation and stop words",
  copied_phrase: "the instruction copies a phrase of the evolving prompt (e.g. #Rewritten Prompt#)",
  empty: "the evolved instruction is empty",
};

/** Phrases of the evolving prompt that must not leak into an evolved instruction. */
const COPIED = /#\s*(?:the\s+)?(?:given|rewritten|created)\s+prompt\s*#|\b(?:given|rewritten|created)\s+prompt\b/i;

/** A compact English stop-word list (NLTK's core), enough for the "only stop words" rule. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves`.split(" "),
);

const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

/**
 * The elimination rule an evolution fails, or null when it survives. `equal` is the
 * model's equality verdict (undefined when not asked yet: the other rules go first, so a
 * step that fails for free does not pay for the check). Order: cheapest first.
 */
export function eliminationRule(step: { evolved: string; response?: string; equal?: boolean }): EliminationRule | null {
  if (!step.evolved.trim()) return "empty";
  if (COPIED.test(step.evolved)) return "copied_phrase";
  if (step.response !== undefined) {
    const w = words(step.response);
    if (/\bsorry\b/i.test(step.response) && w.length < 80) return "apology";
    if (w.every((x) => STOP_WORDS.has(x))) return "no_content";
  }
  if (step.equal === true) return "no_gain";
  return null;
}

/** One generation of a record's lineage, as stored in its value and shown in the detail panel. */
export type EvolStep = {
  generation: number;
  mutation: string;
  instruction: string;
  response?: string;
  /** Set when this step was dropped: the lineage stops here and the parent stands. */
  eliminated?: EliminationRule;
};

/** The instruction a lineage ends with: the last step that survived, else the seed. */
export function finalInstruction(seed: string, steps: readonly EvolStep[]): string {
  for (let i = steps.length - 1; i >= 0; i--) if (!steps[i].eliminated) return steps[i].instruction;
  return seed;
}

/** Per-generation counts for the run page: evolved, kept, and dropped by which rule. */
export function generationStats(lineages: readonly (readonly EvolStep[])[]): { generation: number; evolved: number; kept: number; dropped: Partial<Record<EliminationRule, number>> }[] {
  const out = new Map<number, { generation: number; evolved: number; kept: number; dropped: Partial<Record<EliminationRule, number>> }>();
  for (const steps of lineages) {
    for (const s of steps) {
      const g = out.get(s.generation) ?? { generation: s.generation, evolved: 0, kept: 0, dropped: {} };
      g.evolved++;
      if (s.eliminated) g.dropped[s.eliminated] = (g.dropped[s.eliminated] ?? 0) + 1;
      else g.kept++;
      out.set(s.generation, g);
    }
  }
  return [...out.values()].sort((a, b) => a.generation - b.generation);
}
