// Rule-based recipes (seed 001: rule-based generation, data masking, perturbation): fields
// computed from the record's seed with no model call (lib/blueprints/rule-fields.ts), so
// most of each record costs nothing and every label is right by construction.
import type { Blueprint } from "../schema";
import { newField, newId } from "../defaults";
import { textLlm } from "./fields";

/**
 * Each command is expanded together with its intent ("intent|text"), then split in two,
 * so the label can never disagree with the text the grammar wrote.
 */
export const COMMANDS_GRAMMAR = `# A smart-home command and its intent, as "intent|command".
command -> "turn_on|" + on | "turn_off|" + off | "set_temperature|" + temp [2] | "dim|" + dim
on      -> please "turn on the" device place | please "switch on the" device place | "lights on" place
off     -> please "turn off the" device place | please "switch the" device "off" place
temp    -> please "set the" room "to" degrees "degrees" | "make it" degrees "degrees in the" room
dim     -> please "dim the" lamps place "to" percent + "%" | "lower the" lamps place
please  -> "" [3] | "please" | "could you"
device  -> "lights" | "fan" | "heater" | "tv" | "coffee machine"
lamps   -> "lights" | "lamps" | "ceiling light"
place   -> "" | "in the" room
room    -> "kitchen" | "living room" | "bedroom" | "bathroom" | "office"
degrees -> "18" | "19" | "20" | "21" | "22" | "23"
percent -> "10" | "25" | "50" | "75"`;

export function buildGrammarCommands(): Blueprint {
  return {
    fields: [
      { ...newField("grammar", "generated"), description: "Intent and command, expanded from the grammar with the record's seed.", grammar: COMMANDS_GRAMMAR },
      { id: newId(), kind: "expression", name: "intent", description: "The label: the intent the grammar chose.", template: '{{ generated | split: "|" | first }}' },
      { id: newId(), kind: "expression", name: "command", description: "What the user says.", template: '{{ generated | split: "|" | last | strip }}' },
      textLlm({
        name: "reply",
        description: "The assistant's short confirmation (the only model call of a record).",
        system: "You are a smart-home assistant. Confirm what you did in one short sentence.",
        prompt: "Intent: {{ intent }}\nUser: {{ command }}",
        temperature: 0.7,
      }),
    ],
  };
}

export function buildNoisyAugmentation(ctx: { seedTableId: string }): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "seed", name: "original", description: "The real sentence (a row of the table, in order).", seedTableId: ctx.seedTableId, column: "message", order: "sequential" },
      { id: newId(), kind: "seed", name: "intent", description: "Its label, carried over to every variant.", seedTableId: ctx.seedTableId, column: "intent", order: "sequential" },
      { id: newId(), kind: "transform", name: "synonyms", description: "A fifth of the words swapped for synonyms.", source: "original", operation: "synonyms", amount: 0.2 },
      { id: newId(), kind: "transform", name: "swapped", description: "Word order noise over the synonym variant.", source: "synonyms", operation: "swap", amount: 0.1 },
      { id: newId(), kind: "transform", name: "noisy", description: "Then one word in ten dropped.", source: "swapped", operation: "delete", amount: 0.1 },
    ],
  };
}

/** Invented people and details (none real): names, e-mails, phones, addresses, cards, dates, order ids. */
export const PII_TEXTS: readonly string[] = [
  "Hi, this is Maria Lopez. Please send the invoice to maria.lopez@example.com, order ORD-104233.",
  "My card 4111 1111 1111 1111 was charged twice on 2024-03-05. Call me on +44 20 7946 0958.",
  "Deliver to 42 Maple Street, Apt 3B. Ask for John Carter if nobody answers.",
  "Dr. Priya Shah will see you on March 14, 2025 at the clinic; reply to priya.shah@example.org.",
  "Order ORD-558201 never arrived at 17 Harbour Road. My number is (555) 013-2297.",
  "Please update my email from tom.baker@example.net to tbaker@example.com. Thanks, Tom Baker.",
  "Emma Wilson, born 12/07/1988, asked us to cancel order ORD-330918 before 2024-11-02.",
  "Refund to the card ending 4242? No: the full number is 4242 4242 4242 4242, Daniel Kim.",
  "Mr. Okafor called from 555-014-8821 about the parcel left at 9 Elm Lane.",
  "Sofia Rossi changed her address to 120 Queen Avenue and her phone to +1 415 555 0132.",
];

export const PII_TABLE = { name: "pii-texts.jsonl", columns: ["text"], rows: PII_TEXTS.map((text) => ({ text })) };

export function buildPiiMasking(ctx: { seedTableId: string }): Blueprint {
  return {
    fields: [
      { id: newId(), kind: "seed", name: "original", description: "A text with (invented) personal data.", seedTableId: ctx.seedTableId, column: "text", order: "sequential" },
      {
        ...newField("mask", "masked"),
        description: "The same text with personal details replaced by placeholders: with the original, a training pair.",
        source: "original",
        patterns: [{ name: "ORDER_ID", pattern: "ORD-[0-9]{6}" }],
      },
      { id: newId(), kind: "mask", name: "infill", description: "15% of tokens of the masked text hidden, with the tokens as targets.", source: "masked", mode: "tokens", entityTypes: [], patterns: [], rate: 0.15 },
    ],
  };
}
