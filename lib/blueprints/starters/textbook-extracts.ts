// Textbook-quality extracts (phi-1, "Textbooks Are All You Need", Gunasekar et al.
// 2023): topic, subtopic and audience are sampled so the extracts cover many concepts
// at many levels instead of repeating the model's favourite examples.
import { judgeLevels } from "./judge-levels";
import type { Blueprint } from "../schema";
import { DEFAULT_MODEL, newId } from "../defaults";
import { AUDIENCES, CS_TOPICS, SUBTOPICS_BY_TOPIC } from "./words/cs-topics";

const uniform = (values: readonly string[]) => values.map((value) => ({ value, weight: 1 }));

const EXTRACT_PROMPT =
  "Write an extract from a Computer Science textbook for a {{ audience }}. The coding language is Python 3. " +
  "This is an extract from the middle of the following topic: {{ subtopic }} ({{ topic }}). " +
  "The extract starts with a high-level overview of the topic. Then, it presents an example and describes the solution in natural language. " +
  "After that, it provides 1-2 code snippets, following the example. Each snippet has no more than 10 rows. " +
  "There should be no text after code snippets. Keep in mind that the extract should be concise and explain only one concept at a time. " +
  "Don't be too verbose. The expected length of the extract is 2 paragraphs at most.";

export function buildTextbookExtracts(): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "category", name: "topic", description: "Broad CS or math topic.", options: uniform(CS_TOPICS) },
      {
        id: newId(),
        kind: "category",
        name: "subtopic",
        description: "One concept within the topic.",
        options: [],
        dependsOn: "topic",
        conditionalOptions: Object.fromEntries(Object.entries(SUBTOPICS_BY_TOPIC).map(([topic, subs]) => [topic, uniform(subs)])),
      },
      { id: newId(), kind: "category", name: "audience", description: "Who the extract is written for.", options: uniform(AUDIENCES) },
      {
        id: newId(),
        kind: "llm",
        name: "extract",
        description: "The textbook extract.",
        system: "",
        prompt: EXTRACT_PROMPT,
        model: DEFAULT_MODEL,
        params: { temperature: 1.0 },
        output: { type: "text" },
        fewShot: { examples: [], k: 0, mode: "turns" },
      },
      {
        id: newId(),
        kind: "judge",
        name: "audience_fit",
        description: "Is the extract written for its audience?",
        over: ["audience", "subtopic", "extract"],
        criteria: [
          {
            name: "fits_audience",
            description: "Vocabulary, assumed knowledge and pace suit the audience named.",
            levels: judgeLevels([
              "Written for someone else entirely; the audience could not use it.",
              "Much too hard or too basic for the audience.",
              "Partly suitable; some parts too hard or too basic.",
              "Suitable, with a passage that misjudges the level.",
              "Exactly at the audience's level throughout.",
            ]),
          },
        ],
        model: DEFAULT_MODEL,
        params: { temperature: 0 },
      },
    ],
  };
}
