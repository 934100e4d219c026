// Customer reviews with a known sentiment label, e.g. to train or test a sentiment
// classifier. The label is sampled first and the review written to match it, so the
// label is correct by construction rather than guessed afterwards.
import { judgeLevels } from "./judge-levels";
import type { Blueprint } from "../schema";
import { DEFAULT_MODEL, newId } from "../defaults";
import { PRODUCT_CATEGORIES, PRODUCTS_BY_CATEGORY, REVIEW_ASPECTS } from "./words/products";

const uniform = (values: readonly string[]) => values.map((value) => ({ value, weight: 1 }));

export const REVIEW_SCHEMA = JSON.stringify(
  {
    type: "object",
    properties: {
      title: { type: "string", description: "Short review headline." },
      body: { type: "string", description: "The review text." },
      rating: { type: "integer", minimum: 1, maximum: 5, description: "Stars, 1 to 5." },
    },
    required: ["title", "body", "rating"],
    additionalProperties: false,
  },
  null,
  2,
);

const REVIEW_PROMPT = `Write a {{ sentiment }} customer review of a {{ product }} (shop category: {{ category }}).
Focus mainly on: {{ aspect }}.
Length of the body: {{ length }}.
The star rating must match the sentiment: positive 4-5, neutral 3, negative 1-2.`;

/** Renders an example input exactly like the prompt above, so examples look like real turns. */
function exampleInput(v: { sentiment: string; product: string; category: string; aspect: string; length: string }): string {
  return `Write a ${v.sentiment} customer review of a ${v.product} (shop category: ${v.category}).
Focus mainly on: ${v.aspect}.
Length of the body: ${v.length}.
The star rating must match the sentiment: positive 4-5, neutral 3, negative 1-2.`;
}

const EXAMPLES = [
  {
    input: exampleInput({ sentiment: "positive", product: "electric kettle", category: "kitchen", aspect: "ease of use", length: "short (1-2 sentences)" }),
    output: JSON.stringify({
      title: "Boils fast, no fuss",
      body: "Fill it, press the switch, and it's done in about two minutes; the auto shut-off and the clear water window make it foolproof.",
      rating: 5,
    }),
  },
  {
    input: exampleInput({ sentiment: "negative", product: "rain jacket", category: "clothing", aspect: "durability after a few months", length: "medium (one paragraph)" }),
    output: JSON.stringify({
      title: "Seams gave up by spring",
      body: "It kept me dry for the first few weeks, but after about three months of daily bike commuting the taped seams on the shoulders started peeling and now water gets in every time it rains properly. The zipper pull also snapped off. For a jacket sold as waterproof, I expected it to last at least one season.",
      rating: 2,
    }),
  },
  {
    input: exampleInput({ sentiment: "neutral", product: "board game", category: "toys", aspect: "setup and instructions", length: "medium (one paragraph)" }),
    output: JSON.stringify({
      title: "Fun once you get past the rulebook",
      body: "The game itself is enjoyable and the pieces are decent quality, but the instructions are confusing: we had to look up a video to understand how scoring works. Setup takes about fifteen minutes, which is a bit long for a family game night. Not bad, just not as easy to start as the box suggests.",
      rating: 3,
    }),
  },
  {
    input: exampleInput({ sentiment: "negative", product: "wireless mouse", category: "electronics", aspect: "customer service", length: "short (1-2 sentences)" }),
    output: JSON.stringify({
      title: "Support never got back to me",
      body: "The scroll wheel started double-clicking after a month and I emailed support three times without a single reply.",
      rating: 1,
    }),
  },
];

export function buildCustomerReviews(): Blueprint {
  return {
    fields: [
      {
        id: newId(),
        kind: "category",
        name: "sentiment",
        description: "The label: what the review must express.",
        options: [
          { value: "positive", weight: 40 },
          { value: "neutral", weight: 20 },
          { value: "negative", weight: 40 },
        ],
      },
      { id: newId(), kind: "category", name: "category", description: "Shop category.", options: uniform(PRODUCT_CATEGORIES) },
      {
        id: newId(),
        kind: "category",
        name: "product",
        description: "A product type from the chosen category.",
        options: [],
        dependsOn: "category",
        conditionalOptions: Object.fromEntries(Object.entries(PRODUCTS_BY_CATEGORY).map(([cat, products]) => [cat, uniform(products)])),
      },
      { id: newId(), kind: "category", name: "aspect", description: "What the review focuses on.", options: uniform(REVIEW_ASPECTS) },
      {
        id: newId(),
        kind: "category",
        name: "length",
        description: "How long the review body is.",
        options: [
          { value: "short (1-2 sentences)", weight: 40 },
          { value: "medium (one paragraph)", weight: 40 },
          { value: "long (2-3 paragraphs)", weight: 20 },
        ],
      },
      {
        id: newId(),
        kind: "llm",
        name: "review",
        description: "The review as {title, body, rating}.",
        system:
          "You write realistic customer reviews for an online shop. Sound like a real customer: concrete details, natural and varied wording, no marketing language, no brand names. Reply with JSON only.",
        prompt: REVIEW_PROMPT,
        model: DEFAULT_MODEL,
        params: { temperature: 1.0 },
        output: { type: "json", schema: REVIEW_SCHEMA },
        fewShot: { examples: EXAMPLES, k: 2, mode: "turns" },
      },
      { id: newId(), kind: "expression", name: "label", description: "The sentiment label, for export.", template: "{{ sentiment }}" },
      {
        id: newId(),
        kind: "judge",
        name: "label_check",
        description: "Does the review say what its label says?",
        over: ["sentiment", "review"],
        criteria: [
          {
            name: "matches_sentiment",
            description: "The review's title, body and rating express the sentiment it is labelled with.",
            levels: judgeLevels([
              "Says the opposite of the label.",
              "Leans away from the label.",
              "Mixed or unclear: a reader could not tell.",
              "Matches the label, with a part that pulls the other way.",
              "Clearly and consistently matches the label, rating included.",
            ]),
          },
        ],
        model: DEFAULT_MODEL,
        params: { temperature: 0 },
      },
    ],
  };
}
