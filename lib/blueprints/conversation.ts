// Conversation fields: a simulated user and an assistant talk for N turns (the self-chat
// of Baize and UltraChat: one model plays both sides, the user side steered by a persona).
// This module decides how many turns a record gets and what each side is sent; the calls
// themselves are made by lib/generation/generate-record.ts. Pure.
import type { ChatMessage } from "./chat-message";
import { randomInt, rngFor } from "./rng";
import { MAX_CONVERSATION_TURNS, type ConversationField } from "./schema";
import { renderPart } from "./messages";

/** A message of a conversation's value: what the record stores and exports. */
export type ConversationMessage = { role: "user" | "assistant"; content: string };

/**
 * The user simulator's first request has no conversation yet; providers (and OpenAI's
 * own chat format) expect a user message after the system prompt, so it is asked to open.
 */
export const SIMULATOR_OPENING = "Start the conversation: write your first message.";

/**
 * Turns for one record: fixed when min = max, else uniform in [min, max] from the
 * record's own stream (`name:turns`), so a record has the same length in a preview, a run
 * and a re-run, and other fields' draws do not move.
 */
export function drawTurnCount(field: Pick<ConversationField, "name" | "turns">, ctx: { seed: number; recordIndex: number }): number {
  const lo = Math.min(MAX_CONVERSATION_TURNS, Math.max(1, Math.min(field.turns.min, field.turns.max)));
  const hi = Math.min(MAX_CONVERSATION_TURNS, Math.max(field.turns.min, field.turns.max));
  if (hi <= lo) return lo;
  return lo + randomInt(rngFor(ctx.seed, ctx.recordIndex, `${field.name}:turns`), hi - lo + 1);
}

/** The persona and the assistant's system prompt rendered for one record. Throws FieldTemplateError naming the part. */
export function renderConversationPrompts(field: ConversationField, scope: Record<string, unknown>): { system: string; persona: string } {
  return { system: renderPart(field.system, scope, "system"), persona: renderPart(field.persona, scope, "prompt") };
}

/**
 * What the user simulator is sent: its persona as the system prompt, the opening request,
 * then the conversation so far with the roles flipped, since from its side its own earlier
 * messages are the assistant's and the assistant's replies are what it answers.
 */
export function simulatorMessages(persona: string, conversation: readonly ConversationMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (persona.trim() !== "") out.push({ role: "system", content: persona });
  out.push({ role: "user", content: SIMULATOR_OPENING });
  for (const m of conversation) out.push({ role: m.role === "user" ? "assistant" : "user", content: m.content });
  return out;
}

/** What the assistant is sent: its system prompt (left out when blank, as LLM fields do), then the conversation. */
export function assistantMessages(system: string, conversation: readonly ConversationMessage[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (system.trim() !== "") out.push({ role: "system", content: system });
  for (const m of conversation) out.push({ role: m.role, content: m.content });
  return out;
}

/**
 * Input and output tokens of each of a conversation's 2N calls, for the estimate before a
 * launch: every call resends the conversation so far, so input grows with each turn
 * (sum over turns, not N times the first call). `opening` is the simulator's fixed
 * request; each message is assumed `perMessage` tokens long (the expected answer length).
 */
export function conversationCallTokens(
  turns: number,
  t: { system: number; persona: number; opening: number; perMessage: number },
): { role: "user" | "assistant"; tokensIn: number; tokensOut: number }[] {
  const calls: { role: "user" | "assistant"; tokensIn: number; tokensOut: number }[] = [];
  for (let turn = 0; turn < turns; turn++) {
    const before = 2 * turn;
    calls.push({ role: "user", tokensIn: t.persona + t.opening + before * t.perMessage, tokensOut: t.perMessage });
    calls.push({ role: "assistant", tokensIn: t.system + (before + 1) * t.perMessage, tokensOut: t.perMessage });
  }
  return calls;
}

/** A stored value read back as a conversation: null for anything that is not a list of {role, content}. */
export function readConversation(value: unknown): ConversationMessage[] | null {
  if (!Array.isArray(value)) return null;
  const out: ConversationMessage[] = [];
  for (const m of value) {
    const { role, content } = (m ?? {}) as { role?: unknown; content?: unknown };
    if ((role !== "user" && role !== "assistant") || typeof content !== "string") return null;
    out.push({ role, content });
  }
  return out;
}
