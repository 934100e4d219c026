// The Self-Instruct recipe's seed pool: 25 human-written instructions across kinds of
// task (writing, classification, extraction, reasoning, code, advice, rewriting), so the
// first prompts already show the model that tasks differ in form, not just in topic.
// Self-Instruct started from 175 such seeds; 25 keep the recipe editable at a glance.
// Each passes the run's own filters (self-instruct.test.ts), so none is rejected against
// the others when the pool is loaded.
export const SELF_INSTRUCT_SEEDS: readonly string[] = [
  "Write a polite email declining a job offer while leaving the door open for the future.",
  "Classify the sentiment of this tweet as positive, negative or neutral: \"The train was late again, but the coffee was great.\"",
  "Explain to a ten-year-old why the moon changes shape over a month.",
  "Given a list of ingredients, suggest a dinner recipe that uses most of them: eggs, spinach, feta, rice.",
  "Rewrite the following sentence in the passive voice: The committee approved the new budget yesterday.",
  "What are three questions you should ask before signing a lease for an apartment?",
  "Write a Python function that returns the n-th Fibonacci number without recursion.",
  "Extract every date mentioned in this text and list them in ISO format: We met on March 3rd, 2021 and again two weeks later on the 17th.",
  "Summarize the story of Romeo and Juliet in exactly two sentences.",
  "Is the following argument valid? All cats are mammals; some mammals fly; therefore some cats fly. Explain why.",
  "Suggest five names for a small bakery that specializes in sourdough bread.",
  "Translate this customer complaint into formal French: My parcel arrived damaged and nobody answers the phone.",
  "A train leaves at 14:20 and the trip takes 3 hours and 55 minutes. When does it arrive?",
  "Give feedback on this opening line of a short story: It was a dark and stormy night.",
  "List the pros and cons of working from home for a team of software engineers.",
  "Convert this recipe quantity for four people into one for ten: 300 g of flour, 2 eggs, 250 ml of milk.",
  "Write a SQL query that finds customers who placed more than three orders in 2023.",
  "Describe a typical morning routine that helps a student prepare for an exam.",
  "Identify the logical fallacy in this statement: Everyone I know likes this phone, so it must be the best one.",
  "Compose a limerick about a forgetful robot who loses its keys.",
  "How would you explain the difference between weather and climate to a friend?",
  "Sort these animals by their average lifespan, longest first: dog, tortoise, mouse, elephant, parrot.",
  "Draft a short apology message to a customer whose order was shipped to the wrong address.",
  "Generate a multiple-choice question with four options about the water cycle, and mark the correct answer.",
  "Recommend a weekly exercise plan for a beginner who has thirty minutes a day.",
];
