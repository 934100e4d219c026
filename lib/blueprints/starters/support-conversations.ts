// Conversations (self-chat): one model plays a customer with a sampled persona and a
// support agent, for 2-4 turns drawn per record. The persona (name, age, goal, mood) is
// what keeps thousands of conversations from all being the same polite exchange;
// UltraChat and Baize build multi-turn data the same way.
import type { Blueprint } from "../schema";
import { DEFAULT_MODEL, newId } from "../defaults";

export const SUPPORT_NAMES: readonly string[] = [
  "Maria", "James", "Aiko", "Ravi", "Fatima", "Lukas", "Chloé", "Tomasz", "Amara", "Diego", "Mei", "Olu", "Sven", "Priya", "Noah", "Leila",
];
export const SUPPORT_GOALS: readonly string[] = [
  "get a refund for a router that stopped working after a week",
  "change the delivery address of an order that has already shipped",
  "understand a charge on the last invoice",
  "cancel a subscription before it renews tomorrow",
  "reset the password of an account whose e-mail no longer works",
  "find out why a parcel marked as delivered never arrived",
  "swap a jacket for a bigger size",
  "set up the mobile app on a new phone",
  "report a discount code that does not apply at checkout",
  "move a plan from monthly to yearly billing",
];
export const SUPPORT_MOODS: readonly string[] = ["calm", "in a hurry", "frustrated", "confused", "polite but firm", "anxious"];

const uniform = (values: readonly string[]) => values.map((value) => ({ value, weight: 1 }));

export function buildSupportConversations(): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "category", name: "name", description: "The customer's first name.", options: uniform(SUPPORT_NAMES) },
      { id: newId(), kind: "number", name: "age", description: "The customer's age.", min: 18, max: 80, integer: true },
      { id: newId(), kind: "category", name: "goal", description: "What the customer wants from support.", options: uniform(SUPPORT_GOALS) },
      { id: newId(), kind: "category", name: "mood", description: "How the customer comes across.", options: uniform(SUPPORT_MOODS) },
      {
        id: newId(),
        kind: "conversation",
        name: "conversation",
        description: "A customer (simulated from the persona) and a support agent, 2–4 turns.",
        persona:
          "You are {{ name }}, {{ age }} years old, writing to an online shop's customer support. You want to {{ goal }}. You are {{ mood }}, and it shows in how you write.\n\nWrite only your next message to the support agent: one to three sentences, no greeting line or signature, and never speak as the agent. Give details when the agent asks; when your problem is solved, thank them briefly.",
        system:
          "You are a customer-support agent of an online shop. Be friendly, clear and brief: ask for what you need (order number, e-mail) one thing at a time, explain what you do and what happens next, and never promise what the shop cannot do.",
        turns: { min: 2, max: 4 },
        model: DEFAULT_MODEL,
        params: { temperature: 0.9 },
      },
    ],
  };
}
