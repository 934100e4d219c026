import { describe, expect, it } from "vitest";
import {
  assistantMessages,
  conversationCallTokens,
  drawTurnCount,
  readConversation,
  renderConversationPrompts,
  SIMULATOR_OPENING,
  simulatorMessages,
  type ConversationMessage,
} from "./conversation";
import { FieldTemplateError } from "./messages";
import type { ConversationField } from "./schema";

const field = (over: Partial<ConversationField> = {}): ConversationField => ({
  id: "c",
  name: "chat",
  kind: "conversation",
  system: "You are a support agent for {{ product }}.",
  persona: "You are {{ name }}, who wants {{ goal }}.",
  turns: { min: 2, max: 4 },
  model: "m",
  params: {},
  ...over,
});

const convo: ConversationMessage[] = [
  { role: "user", content: "u1" },
  { role: "assistant", content: "a1" },
  { role: "user", content: "u2" },
  { role: "assistant", content: "a2" },
];

describe("drawTurnCount", () => {
  it("is fixed when min equals max", () => {
    for (let i = 0; i < 50; i++) expect(drawTurnCount(field({ turns: { min: 3, max: 3 } }), { seed: 1, recordIndex: i })).toBe(3);
  });

  it("draws every count of the range, the same for the same seed and record", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const n = drawTurnCount(field(), { seed: 7, recordIndex: i });
      expect(n).toBeGreaterThanOrEqual(2);
      expect(n).toBeLessThanOrEqual(4);
      expect(drawTurnCount(field(), { seed: 7, recordIndex: i })).toBe(n);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });

  it("changes with the seed and with the field's name (its own stream)", () => {
    const counts = (seed: number, name: string) => Array.from({ length: 40 }, (_, i) => drawTurnCount(field({ name, turns: { min: 1, max: 20 } }), { seed, recordIndex: i }));
    expect(counts(1, "chat")).not.toEqual(counts(2, "chat"));
    expect(counts(1, "chat")).not.toEqual(counts(1, "dialogue"));
  });

  it("keeps a range typed backwards or out of bounds within 1..20", () => {
    expect(drawTurnCount(field({ turns: { min: 0, max: 0 } }), { seed: 1, recordIndex: 0 })).toBe(1);
    expect(drawTurnCount(field({ turns: { min: 50, max: 50 } }), { seed: 1, recordIndex: 0 })).toBe(20);
    const n = drawTurnCount(field({ turns: { min: 4, max: 2 } }), { seed: 1, recordIndex: 0 });
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(4);
  });
});

describe("simulatorMessages", () => {
  it("opens with the persona and the opening request when nothing was said yet", () => {
    expect(simulatorMessages("You are Ann.", [])).toEqual([
      { role: "system", content: "You are Ann." },
      { role: "user", content: SIMULATOR_OPENING },
    ]);
  });

  it("flips the roles of the conversation so far: its own messages are the assistant's", () => {
    expect(simulatorMessages("P", convo).slice(2)).toEqual([
      { role: "assistant", content: "u1" },
      { role: "user", content: "a1" },
      { role: "assistant", content: "u2" },
      { role: "user", content: "a2" },
    ]);
  });

  it("leaves out a blank persona", () => {
    expect(simulatorMessages("  ", [])[0]).toEqual({ role: "user", content: SIMULATOR_OPENING });
  });
});

describe("assistantMessages", () => {
  it("sends the system prompt then the conversation as it happened", () => {
    expect(assistantMessages("S", convo.slice(0, 3))).toEqual([{ role: "system", content: "S" }, ...convo.slice(0, 3)]);
    expect(assistantMessages("", convo.slice(0, 1))).toEqual(convo.slice(0, 1));
  });
});

describe("renderConversationPrompts", () => {
  it("renders both templates with the record's values", () => {
    expect(renderConversationPrompts(field(), { product: "Acme", name: "Ann", goal: "a refund" })).toEqual({
      system: "You are a support agent for Acme.",
      persona: "You are Ann, who wants a refund.",
    });
  });

  it("names the part whose template failed", () => {
    expect(() => renderConversationPrompts(field({ system: "{{ x | nope }}" }), {})).toThrow(FieldTemplateError);
  });
});

describe("conversationCallTokens", () => {
  it("counts 2N calls whose input grows with the conversation", () => {
    const calls = conversationCallTokens(3, { system: 10, persona: 20, opening: 5, perMessage: 100 });
    expect(calls.map((c) => c.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"]);
    expect(calls.map((c) => c.tokensIn)).toEqual([25, 110, 225, 310, 425, 510]);
    expect(calls.every((c) => c.tokensOut === 100)).toBe(true);
  });
});

describe("readConversation", () => {
  it("reads a stored message list and refuses anything else", () => {
    expect(readConversation(convo)).toEqual(convo);
    expect(readConversation("text")).toBeNull();
    expect(readConversation([{ role: "system", content: "x" }])).toBeNull();
    expect(readConversation([{ role: "user", content: 3 }])).toBeNull();
  });
});
