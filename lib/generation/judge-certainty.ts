// How sure a judge was of each score (pure): where the provider returned token logprobs
// for the judge's answer, the probability of the score it chose is the product of the
// probabilities of the tokens that spell that score in the JSON (its quotes and the
// keys around it are forced by the schema, so they say nothing). Stored beside the score
// as `p` (`{score, reason, p}`); "Judge least sure first" reads a low p as a sign the
// judge is unsure (lib/review/uncertainty.ts). No logprobs, or a score that cannot be
// found in the answer's text: no p, and the order stays as it was.
import type { JudgeVerdict } from "@/lib/blueprints/judge";

export type TokenLogprob = { token: string; logprob: number };

/**
 * Where the value of `"<criterion>": {..., "score": <value>` sits in `content` (the answer
 * as the model wrote it), without a string's quotes. Inside JSON strings a quote is
 * escaped, so a reason that mentions "score" cannot be mistaken for the key.
 */
export function scoreSpan(content: string, criterion: string, score: string | number): [number, number] | null {
  const key = content.indexOf(`${JSON.stringify(criterion)}`);
  if (key < 0) return null;
  const m = /"score"\s*:\s*/g;
  m.lastIndex = key;
  // The criterion's object starts after its key; its score is the first "score" key after it.
  const hit = m.exec(content);
  if (!hit) return null;
  const start = hit.index + hit[0].length;
  const rest = content.slice(start);
  const literal = typeof score === "string" ? /^"((?:[^"\\]|\\.)*)"/.exec(rest) : /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(rest);
  if (!literal) return null;
  const text = typeof score === "string" ? JSON.parse(`"${literal[1]}"`) : Number(literal[0]);
  if (text !== score && !(typeof score === "number" && Number(text) === score)) return null;
  return typeof score === "string" ? [start + 1, start + 1 + literal[1].length] : [start, start + literal[0].length];
}

/** The verdict with `p` on each criterion whose score the tokens spell; the verdict unchanged without tokens. */
export function withScoreProbabilities(verdict: JudgeVerdict, content: string, tokens: readonly TokenLogprob[] | undefined): JudgeVerdict {
  if (!tokens?.length || tokens.map((t) => t.token).join("") !== content) return verdict;
  const out: JudgeVerdict = {};
  for (const [criterion, v] of Object.entries(verdict)) {
    const span = scoreSpan(content, criterion, v.score);
    let at = 0;
    let logp = 0;
    let any = false;
    if (span) {
      for (const t of tokens) {
        const end = at + t.token.length;
        if (end > span[0] && at < span[1]) {
          logp += t.logprob;
          any = true;
        }
        at = end;
      }
    }
    out[criterion] = any ? { ...v, p: Math.round(Math.exp(logp) * 1e4) / 1e4 } : v;
  }
  return out;
}
