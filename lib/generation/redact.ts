// Provider error text can carry the API key: some providers echo the key they rejected in
// their 401 message, and that text used to reach Run.stopReason, Run.errorCounts,
// Record.error, the run page and the grid. Every provider message goes through here before
// it is stored or shown. Pure: no I/O.

/** Shown where a secret was. */
export const MASK = "••••";

// Bearer-style secrets of the common providers (OpenAI sk-/sk-proj-, Anthropic sk-ant-,
// Groq gsk_, Hugging Face hf_, OpenRouter sk-or-): a key this studio does not hold is
// still somebody's key.
const KEY_LIKE = /\b(?:sk|gsk|hf|xai|pplx)[-_][A-Za-z0-9_-]{12,}/g;

/** Removes the given secrets (exact text) and anything shaped like an API key. */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join(MASK);
  return out.replace(KEY_LIKE, MASK);
}
