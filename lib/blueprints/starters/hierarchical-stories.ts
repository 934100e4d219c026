// Hierarchical generation (seed 003: summary → sentence → story): instead of asking for a
// whole story in one go, the model first writes a one-line summary, then a plan of a few
// sentences that expands it, then the story that follows the plan. Each step is an LLM
// field over the previous one, so a reviewer reads the summary and the plan beside the
// story and sees where a story went wrong.
import type { Blueprint } from "../schema";
import { DEFAULT_MODEL, newId } from "../defaults";
import { textLlm } from "./fields";

export const STORY_THEMES: readonly string[] = [
  "friendship", "courage", "sharing", "getting lost and found", "a new pet", "a rainy day",
  "a birthday", "learning to swim", "a lost toy", "helping a neighbour", "a first day at school",
  "a trip to the sea", "a garden that grows", "a broken kite", "a night sky full of stars",
];
export const STORY_CHARACTERS: readonly string[] = [
  "a little rabbit", "a shy girl", "a curious boy", "an old dog", "a tiny dragon", "a kind robot",
  "a brave mouse", "two sisters", "a grandmother", "a lonely cloud",
];

const uniform = (values: readonly string[]) => values.map((value) => ({ value, weight: 1 }));

export function buildHierarchicalStories(): Blueprint {
  const llm = (name: string, description: string, prompt: string, temperature: number) =>
    textLlm({ name, description, system: "You write for children aged 3 to 5, in very simple words.", prompt, temperature });
  return {
    fields: [
      { id: newId(), kind: "category", name: "theme", description: "What the story is about.", options: uniform(STORY_THEMES) },
      { id: newId(), kind: "category", name: "character", description: "Who the story is about.", options: uniform(STORY_CHARACTERS) },
      llm("summary", "Step 1: the whole story in one sentence.", "Write a one-sentence summary of a short children's story about {{ character }} and {{ theme }}. Only the sentence.", 1.0),
      llm(
        "plan",
        "Step 2: the summary expanded into a plan, one sentence per paragraph.",
        "Here is the summary of a children's story:\n{{ summary }}\n\nExpand it into a plan of 4 numbered sentences, one for each paragraph of the story: the beginning, a problem, what the character does, the ending. Only the plan.",
        0.8,
      ),
      llm(
        "story",
        "Step 3: the story, one short paragraph per sentence of the plan.",
        "Write the story from this plan, one short paragraph for each numbered sentence, in very simple words.\n\nSummary: {{ summary }}\n\nPlan:\n{{ plan }}",
        0.7,
      ),
      {
        id: newId(),
        kind: "judge",
        name: "follows",
        description: "Does the story keep to its summary and plan?",
        over: ["summary", "plan", "story"],
        criteria: [
          {
            name: "follows_plan",
            description: "Every sentence of the plan happens in the story, in order, and the story matches the summary.",
            levels: [
              { value: "pass", description: "The story tells the plan, in order, and fits the summary." },
              { value: "fail", description: "A step of the plan is missing, out of order, or the story tells something else." },
            ],
          },
        ],
        model: DEFAULT_MODEL,
        params: { temperature: 0 },
      },
    ],
  };
}
