// Keys of the response cache (ResponseCache). The cache exists so that re-executing the
// same record (a resume, "retry failed", a re-run with the same seed) costs nothing. It must
// never answer a different record: two records whose sampled values coincide render the same
// prompt, yet at temperature 1 each is owed its own answer (before the record was part of
// the key, 14 groups of the textbook starter's 150 records came out identical). So the key
// is the request *and* the record's identity. See lib/generation/README.md.
// Server-side only: it hashes with node:crypto, which the browser does not have.
import { createHash } from "node:crypto";
import { canonicalJson } from "@/lib/json/canonical";

export interface CacheKeyInput {
  model: string;
  messages: readonly unknown[];
  /** Sampling parameters as sent (temperature, top_p, max_tokens, seed, ...). */
  params?: Record<string, unknown>;
  responseFormat?: unknown;
  /**
   * What else makes answers differ for the same request, e.g. the connection's base URL:
   * "llama3.1" on two servers may be two models. Runs use the dataset and the base URL.
   */
  namespace?: string;
  /** Which record, and which field of it, the answer belongs to (see RecordIdentity). */
  record: RecordIdentity;
}

/**
 * A record is its run's seed and its position in the run (the draw key of
 * lib/blueprints/rng.ts), so a resumed run or a re-run with the same seed finds its answers
 * and any other record does not. `field` is the LLM field asking; `step` tells apart the
 * calls of one field that are not one conversation (an evolve field's generation and ask).
 */
export type RecordIdentity = { seed: number; position: number; field: string; step?: string };

/** Bumped when the key layout changes, so old entries stop matching instead of colliding. */
const KEY_VERSION = "v2";

/** sha256 hex of the canonical request; parameters left undefined do not count. */
export function requestCacheKey(input: CacheKeyInput): string {
  const body = canonicalJson({
    v: KEY_VERSION,
    ns: input.namespace,
    record: input.record,
    model: input.model,
    messages: input.messages,
    params: input.params ?? {},
    responseFormat: input.responseFormat,
  });
  return createHash("sha256").update(body).digest("hex");
}
