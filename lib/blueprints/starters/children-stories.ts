// TinyStories (Eldan & Li, 2023): tiny stories for small language models, made diverse
// by forcing a random verb, noun and adjective and a random pair of story features
// into every prompt.
import type { Blueprint } from "../schema";
import { judgeLevels } from "./judge-levels";
import { DEFAULT_MODEL, newId } from "../defaults";
import { SIMPLE_ADJECTIVES } from "./words/adjectives";
import { SIMPLE_NOUNS } from "./words/nouns";
import { SIMPLE_VERBS } from "./words/verbs";

export const STORY_FEATURES: readonly string[] = [
  "the story should contain at least one dialogue",
  "the story has a bad ending",
  "the story has a moral value",
  "the story has a plot twist",
  "the story should contain foreshadowing",
  "the story has some form of conflict",
];

const uniform = (words: readonly string[]) => words.map((value) => ({ value, weight: 1 }));

export function buildChildrenStories(): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "category", name: "verb", description: "A simple verb the story must use.", options: uniform(SIMPLE_VERBS) },
      { id: newId(), kind: "category", name: "noun", description: "A simple noun the story must use.", options: uniform(SIMPLE_NOUNS) },
      {
        id: newId(),
        kind: "category",
        name: "adjective",
        description: "A simple adjective the story must use.",
        options: uniform(SIMPLE_ADJECTIVES),
      },
      { id: newId(), kind: "subset", name: "features", description: "Two story features, in random order.", options: [...STORY_FEATURES], k: 2 },
      {
        id: newId(),
        kind: "llm",
        name: "story",
        description: "The story itself.",
        system: "",
        prompt:
          'Write a short story (3-5 paragraphs) which only uses very simple words that a 3 year old child would likely understand. The story should use the verb "{{ verb }}", the noun "{{ noun }}" and the adjective "{{ adjective }}". The story should have the following features: {{ features | join: ", " }}. Remember to only use simple words!',
        model: DEFAULT_MODEL,
        params: { temperature: 1.0 },
        output: { type: "text" },
        fewShot: { examples: [], k: 0, mode: "turns" },
      },
      {
        id: newId(),
        kind: "judge",
        name: "quality",
        description: "Does the story keep TinyStories' rules?",
        over: ["verb", "noun", "adjective", "story"],
        criteria: [
          {
            name: "simple_words",
            description: "Only uses words a 3-year-old child would understand.",
            levels: judgeLevels([
              "Many hard or adult words; a small child would be lost.",
              "Several words a small child would not know.",
              "Mostly simple, with a few hard words.",
              "Simple throughout, one or two slightly hard words.",
              "Every word is one a 3-year-old knows.",
            ]),
          },
          {
            name: "uses_words",
            description: "Uses the given verb, noun and adjective (any form of the word counts).",
            levels: [
              { value: "pass", description: "All three words appear." },
              { value: "fail", description: "At least one of the three words is missing." },
            ],
          },
          {
            name: "coherent",
            description: "The story makes sense from start to end: events follow, characters stay the same.",
            levels: judgeLevels([
              "Makes no sense; sentences do not connect.",
              "Hard to follow; events contradict each other.",
              "Mostly follows, with a jump or a loose end.",
              "Clear, with a small slip.",
              "Clear and complete, every event follows from the one before.",
            ]),
          },
        ],
        model: DEFAULT_MODEL,
        params: { temperature: 0 },
      },
    ],
  };
}
