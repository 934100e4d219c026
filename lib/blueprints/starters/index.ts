// One-click starting points for a new dataset. Each build() returns a fresh blueprint
// (new field ids) so two datasets created from one starter never share ids.
import type { Blueprint } from "../schema";
import { buildChildrenStories } from "./children-stories";
import { buildCustomerReviews } from "./customer-reviews";
import { buildTextbookExtracts } from "./textbook-extracts";
import { buildHierarchicalStories } from "./hierarchical-stories";
import { buildAugmentText } from "./augment-text";
import { buildBackTranslation } from "./back-translation";
import { buildSupportConversations } from "./support-conversations";
import { buildEvolInstruct, EVOL_INSTRUCT_TABLE } from "./evol-instruct";
import { buildSelfInstruct, SELF_INSTRUCT_TABLE } from "./self-instruct";
import { SUPPORT_MESSAGES } from "./words/support-messages";
import { buildGrammarCommands, buildNoisyAugmentation, buildPiiMasking, PII_TABLE } from "./rule-based";

/** A table a recipe brings with it (real data to augment), created with the dataset; the user replaces it with their own. */
export type StarterTable = { name: string; columns: string[]; rows: Record<string, string>[] };

export interface Starter {
  id: string;
  title: string;
  description: string;
  /** "How this method works", shown in the recipe picker, and where the method comes from. */
  method: { how: string; source: string };
  table?: StarterTable;
  /** `seedTableId`: the id of `table` once created (recipes without a table ignore it). */
  build(ctx: { seedTableId: string }): Blueprint;
}

const SUPPORT_TABLE: StarterTable = {
  name: "support-messages.jsonl",
  columns: ["message", "intent"],
  rows: SUPPORT_MESSAGES.map((m) => ({ message: m.message, intent: m.intent })),
};

export const STARTERS: readonly Starter[] = [
  {
    id: "children-stories",
    title: "Children's stories",
    description:
      "TinyStories-style short stories in very simple words. Each record forces a random verb, noun and adjective and two story features into the prompt, which keeps thousands of stories diverse.",
    method: {
      how: "Attribute sampling: every record draws a verb, a noun, an adjective and two story features, and the prompt must use them all. The model cannot fall back on its few favourite stories, so thousands of records stay diverse.",
      source: "Eldan & Li, TinyStories (2023)",
    },
    build: buildChildrenStories,
  },
  {
    id: "customer-reviews",
    title: "Labelled customer reviews",
    description:
      "Product reviews written to match a sampled sentiment label (positive/neutral/negative), across shop categories, products, aspects and lengths. JSON output with title, body and rating; few-shot examples vary per record.",
    method: {
      how: "Label-conditioned generation: the label (sentiment) is sampled first and the review is written to match it, so every label is right by construction; few-shot examples vary per record and the output is strict JSON.",
      source: "Synthetic data for text classification (label-conditioned prompting)",
    },
    build: buildCustomerReviews,
  },
  {
    id: "textbook-extracts",
    title: "Textbook extracts",
    description:
      "Short Python textbook extracts in the style of phi-1 (\"Textbooks Are All You Need\"), by topic, subtopic and audience: an overview, a worked example and 1-2 small code snippets.",
    method: {
      how: "Topic × subtopic × audience sampling, with the subtopics depending on the topic, for textbook-quality teaching text.",
      source: "Gunasekar et al., Textbooks Are All You Need (phi-1, 2023)",
    },
    build: buildTextbookExtracts,
  },
  {
    id: "hierarchical-stories",
    title: "Hierarchical stories",
    description: "Summary → plan → story: three LLM fields, each over the one before, and a judge that checks the story keeps to its plan.",
    method: {
      how: "Hierarchical generation: the model first writes a one-line summary, then expands it into a plan of one sentence per paragraph, then writes the story from the plan. Each step is easier than the whole, the stories are more coherent, and in review the summary and plan sit beside the story.",
      source: "Fan et al., Hierarchical Neural Story Generation (2018), summary → sentence → story",
    },
    build: buildHierarchicalStories,
  },
  {
    id: "augment-text",
    title: "Augment real text",
    description: "Variants of real messages (a sample table of support messages, replace it with yours): paraphrase, formal, informal, shorter, longer. The original and its label stay beside each variant.",
    method: {
      how: "Augmentation: each record reads one real row in order and asks for one rewrite drawn from paraphrase, formal, informal, shorter or longer. The label of the real row carries over, and a judge checks the rewrite kept the request and its facts. Export original → variant as pairs, or the variants with their labels.",
      source: "Data augmentation surveys (paraphrasing, style transfer)",
    },
    table: SUPPORT_TABLE,
    build: buildAugmentText,
  },
  {
    id: "back-translation",
    title: "Back-translation",
    description: "Real messages translated into a pivot language and back (two chained LLM fields): new wording, same meaning. A validator rejects round trips that did not come back in English.",
    method: {
      how: "Back-translation: translate a real sentence into a pivot language (French, German, Spanish, Japanese or Russian, drawn per record), then translate that back. The round trip changes wording and word order in ways a paraphrase prompt rarely does, and keeps the meaning.",
      source: "Sennrich et al., Improving Neural Machine Translation Models with Monolingual Data (2016)",
    },
    table: SUPPORT_TABLE,
    build: buildBackTranslation,
  },
  {
    id: "conversations",
    title: "Conversations",
    description:
      "Multi-turn customer-support chats: a simulated customer with a sampled persona (name, age, goal, mood) talks with a support agent for 2–4 turns. Reviewed as a chat; exports to OpenAI chat and ShareGPT as multi-turn examples.",
    method: {
      how: "Self-chat: one model plays both sides. The user simulator gets the persona and the conversation so far with the roles flipped and writes the customer's next message; the assistant gets its system prompt and the conversation and replies. Each turn is two calls, and the number of turns is drawn per record. Sampling the persona keeps the conversations as varied as the customers.",
      source: "Xu et al., Baize (2023), self-chat; Ding et al., UltraChat (2023), a user simulator talking with an assistant",
    },
    build: buildSupportConversations,
  },
  {
    id: "evol-instruct",
    title: "Evol-Instruct",
    description:
      "Simple seed instructions (a sample table, replace it with yours) rewritten over 4 generations into harder ones, then answered. Each record keeps its lineage: every step's mutation, instruction and response, kept or dropped by which rule.",
    method: {
      how: "Evol-Instruct: each generation rewrites the instruction with one mutation drawn per record: in depth (add a constraint, deepen, concretize, ask for more reasoning steps, complicate the input) or in breadth (a new, rarer instruction in the same domain). Each evolved instruction is answered and eliminated when it copies the rewriting prompt, its answer is a short apology or empty of content, or a model judges it equal to its parent; a dropped step ends the lineage. A response field answers the instruction that survived.",
      source: "Xu et al., WizardLM: Empowering Large Language Models to Follow Complex Instructions (2023)",
    },
    table: EVOL_INSTRUCT_TABLE,
    build: buildEvolInstruct,
  },
  {
    id: "self-instruct",
    title: "Self-Instruct",
    description:
      "Grow a pool of instructions from 25 human-written seeds (a table, replace it with yours) round by round, each new one filtered for length, blocklisted words and similarity to the pool, then answered. Per-round counts on the run page.",
    method: {
      how: "Self-Instruct: each prompt shows 6 seed and 2 generated instructions from the pool and asks the model for the next task. A candidate is dropped when it has 3 words or fewer or more than 150, names something a text model cannot do (image, graph, file, map, draw, plot, …), or its ROUGE-L F1 with any instruction already in the pool is above 0.7. Kept ones join the pool, so later prompts show them, and get a response. Rounds go on to the target pool size; five rounds in a row that keep nothing stop the run.",
      source: "Wang et al., Self-Instruct: Aligning Language Models with Self-Generated Instructions (2023)",
    },
    table: SELF_INSTRUCT_TABLE,
    build: buildSelfInstruct,
  },
  {
    id: "grammar-commands",
    title: "Grammar commands",
    description: "Smart-home commands with their intent label, expanded from a grammar you edit (no model call), plus a short model reply to each.",
    method: {
      how: "Rule-based generation: a context-free grammar lists the ways each intent can be said; every record expands it with its own seed. The grammar writes the intent and the text together, so labels are right by construction, and coverage is exactly what the rules allow.",
      source: "Rule-based generation with context-free grammars (seed 001: rule-based generation)",
    },
    build: buildGrammarCommands,
  },
  {
    id: "noisy-augmentation",
    title: "Noisy text augmentation",
    description: "Variants of real sentences (a sample table, replace it with yours) by synonym replacement, word swaps and deletions, with no model call. The label carries over.",
    method: {
      how: "Perturbation: each sentence goes through seeded transforms (synonyms, swapped words, dropped words). Models trained on the noisy copies learn to tolerate typos and paraphrase; the label of the real row stays right because the meaning barely moves.",
      source: "Wei & Zou, EDA (2019); seed 001: perturbation",
    },
    table: SUPPORT_TABLE,
    build: buildNoisyAugmentation,
  },
  {
    id: "pii-masking",
    title: "PII masking",
    description: "Texts with invented personal data beside the same texts with names, e-mails, phones, addresses, cards, dates and order ids masked: pairs for training a redaction model.",
    method: {
      how: "Data masking: entities are found by patterns and a list of first names, plus your own regular expressions (here order ids), and replaced by typed placeholders. The original and its masked copy form a training pair; token masking on top gives infilling targets.",
      source: "Seed 001: data masking, token masking",
    },
    table: PII_TABLE,
    build: buildPiiMasking,
  },
];

export { buildAugmentText, buildBackTranslation, buildChildrenStories, buildCustomerReviews, buildHierarchicalStories, buildSupportConversations, buildTextbookExtracts };
