// One-click starting points for a new dataset. Each build() returns a fresh blueprint
// (new field ids) so two datasets created from one starter never share ids.
import type { Blueprint } from "../schema";
import { buildChildrenStories } from "./children-stories";
import { buildCustomerReviews } from "./customer-reviews";
import { buildTextbookExtracts } from "./textbook-extracts";

export interface Starter {
  id: string;
  title: string;
  description: string;
  build(): Blueprint;
}

export const STARTERS: readonly Starter[] = [
  {
    id: "children-stories",
    title: "Children's stories",
    description:
      "TinyStories-style short stories in very simple words. Each record forces a random verb, noun and adjective and two story features into the prompt, which keeps thousands of stories diverse.",
    build: buildChildrenStories,
  },
  {
    id: "customer-reviews",
    title: "Labelled customer reviews",
    description:
      "Product reviews written to match a sampled sentiment label (positive/neutral/negative), across shop categories, products, aspects and lengths. JSON output with title, body and rating; few-shot examples vary per record.",
    build: buildCustomerReviews,
  },
  {
    id: "textbook-extracts",
    title: "Textbook extracts",
    description:
      "Short Python textbook extracts in the style of phi-1 (\"Textbooks Are All You Need\"), by topic, subtopic and audience: an overview, a worked example and 1-2 small code snippets.",
    build: buildTextbookExtracts,
  },
];

export { buildChildrenStories, buildCustomerReviews, buildTextbookExtracts };
