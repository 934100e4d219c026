// Token counts for previews, cost estimates and the rate limiter's token budget.
// OpenAI models are counted with their real tokenizer (exact up to the chat framing,
// which follows OpenAI's cookbook); every other model is estimated with o200k_base,
// which lands within ~10-20% of most modern tokenizers, and says so (`exact: false`).
import { countTokens as countCl100k } from "gpt-tokenizer/encoding/cl100k_base";
import { countTokens as countO200k } from "gpt-tokenizer/encoding/o200k_base";
import type { LlmField } from "@/lib/blueprints/schema";

export interface TokenCount {
  tokens: number;
  /** True when the model's own tokenizer was used; false for an estimate. */
  exact: boolean;
}

export type Encoding = "o200k_base" | "cl100k_base";

/** OpenAI's chat framing: <|start|>{role}\n ... <|end|>\n per message, and the primed reply. */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_PER_NAME = 1;
export const REPLY_PRIMING_TOKENS = 3;

/** Output tokens assumed when a field sets no max_tokens; shown to the user as an assumption. */
export const DEFAULT_OUTPUT_TOKENS_TEXT = 400;
export const DEFAULT_OUTPUT_TOKENS_JSON = 200;

// User text may contain "<|endoftext|>" and the like; the API reads it as plain text,
// and by default gpt-tokenizer would throw on it.
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const counters: Record<Encoding, (text: string, options: typeof PLAIN_TEXT) => number> = {
  o200k_base: countO200k,
  cl100k_base: countCl100k,
};

interface ModelEncoding {
  encoding: Encoding;
  exact: boolean;
}

const ESTIMATE: ModelEncoding = { encoding: "o200k_base", exact: false };
const O200K: ModelEncoding = { encoding: "o200k_base", exact: true };
const CL100K: ModelEncoding = { encoding: "cl100k_base", exact: true };

// Model names repeat across every record of a run: resolve each once.
const encodingCache = new Map<string, ModelEncoding>();
const ENCODING_CACHE_MAX = 1000;

/** Which tokenizer a model uses; unknown (non-OpenAI) models get the o200k estimate. */
export function encodingForModel(model: string): { encoding: Encoding; exact: boolean } {
  let e = encodingCache.get(model);
  if (e === undefined) {
    e = resolveEncoding(model);
    if (encodingCache.size >= ENCODING_CACHE_MAX) encodingCache.clear();
    encodingCache.set(model, e);
  }
  return e;
}

function resolveEncoding(model: string): ModelEncoding {
  let m = model.trim().toLowerCase();
  // OpenRouter-style "openai/gpt-4o" is the same model; fine-tunes ("ft:gpt-4o-mini:org::id") share the base tokenizer.
  if (m.startsWith("openai/")) m = m.slice("openai/".length);
  if (m.startsWith("ft:")) m = m.slice(3);
  if (/^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|chatgpt-4o|o1|o3|o4)(?![a-z0-9])/.test(m)) return O200K;
  if (/^(gpt-4|gpt-3\.5|gpt-35)(?![a-z0-9.])/.test(m)) return CL100K;
  return ESTIMATE;
}

/** Tokens of a plain text (e.g. a JSON schema sent as response_format) for a model. */
export function countTextTokens(text: string, model: string): TokenCount {
  const e = encodingForModel(model);
  return { tokens: text ? counters[e.encoding](text, PLAIN_TEXT) : 0, exact: e.exact };
}

/**
 * Prompt tokens of a chat request, with OpenAI's per-message framing (3 per message,
 * 1 per name, 3 priming the reply). Response-format schemas and tools are not included.
 */
export function countChatTokens(
  messages: readonly { role: string; content: string; name?: string }[],
  model: string,
): TokenCount {
  const e = encodingForModel(model);
  const count = counters[e.encoding];
  let tokens = REPLY_PRIMING_TOKENS;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    tokens += TOKENS_PER_MESSAGE;
    if (m.content) tokens += count(m.content, PLAIN_TEXT);
    if (m.name) tokens += TOKENS_PER_NAME + count(m.name, PLAIN_TEXT);
  }
  return { tokens, exact: e.exact };
}

/**
 * Output tokens assumed for one call of a field: its max_tokens when set (an upper
 * bound: real answers are often shorter), else 400 for text or 200 for JSON. This is an
 * assumption, and the UI must present cost estimates built on it as such.
 */
export function estimateOutputTokens(field: Pick<LlmField, "params" | "output">): number {
  if (field.params.max_tokens !== undefined) return field.params.max_tokens;
  return field.output.type === "json" ? DEFAULT_OUTPUT_TOKENS_JSON : DEFAULT_OUTPUT_TOKENS_TEXT;
}
