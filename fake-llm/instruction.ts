// Self-Instruct asks for the next task of a numbered list ("... Task 9:"). A real model
// answers with one new instruction: mostly new, now and then a near-copy of one it has
// seen, too short, or something a text model cannot do (draw, plot). The fake answers
// such prompts with an instruction built from a large space of verbs, subjects and
// framings, and the same small share of those misses, so a Self-Instruct run keeps most
// candidates but not all and every filter has something to reject.
import { type Rng, randInt } from "./random";

/** The prompt shape Self-Instruct ends with: the number of the task to write next. */
export function asksForNextTask(lastUser: string): boolean {
  return /\bTask\s+\d+:\s*$/.test(lastUser);
}

const VERBS = ["Explain", "Describe", "Summarize", "Compare", "List", "Suggest", "Write", "Classify", "Outline", "Evaluate", "Rewrite", "Recommend", "Identify", "Estimate", "Translate", "Critique", "Plan", "Argue", "Define", "Predict"];
const OBJECTS = ["three risks of", "a short poem about", "the main causes of", "a checklist for", "the history of", "a persuasive paragraph on", "five questions about", "the trade-offs of", "a beginner's guide to", "common mistakes in", "an analogy for", "a two-day itinerary for", "the ethical issues in", "a recipe inspired by", "a job posting for", "a haiku about", "the key steps of", "a dialogue about", "a one-line slogan for", "a quiz on"];
const TOPICS = ["renewable energy", "learning a new language", "remote work", "urban gardening", "personal budgeting", "volcanoes", "the French Revolution", "machine translation", "sleep hygiene", "public libraries", "electric bicycles", "coral reefs", "negotiating a salary", "open-source software", "ancient Egypt", "training for a marathon", "composting at home", "the stock market", "bird migration", "video game design", "small-business marketing", "cloud computing", "jazz music", "water conservation", "first aid", "chess openings", "the human immune system", "moving to a new city", "medieval castles", "time management"];
const AUDIENCES = ["", "", " for a ten-year-old", " for a busy parent", " in plain language", " for a university student", " in under fifty words", " for a retired teacher", " as a numbered list", " with one concrete example"];
const UNDOABLE = ["Draw a diagram of", "Plot a chart of", "Make a map of", "Attach an image showing"];

export function nextTaskInstruction(rng: Rng): string {
  const topic = TOPICS[randInt(rng, 0, TOPICS.length - 1)];
  const roll = rng();
  // ~4% too short, ~4% not doable by a text model, the rest a real instruction (of which
  // a few land close to an earlier one, since the space is finite).
  if (roll < 0.04) return `Discuss ${topic}.`;
  if (roll < 0.08) return `${UNDOABLE[randInt(rng, 0, UNDOABLE.length - 1)]} ${topic}.`;
  const verb = VERBS[randInt(rng, 0, VERBS.length - 1)];
  const object = OBJECTS[randInt(rng, 0, OBJECTS.length - 1)];
  const audience = AUDIENCES[randInt(rng, 0, AUDIENCES.length - 1)];
  return `${verb} ${object} ${topic}${audience}.`;
}
