// Token log probabilities, as the real API returns them when asked (`logprobs: true`,
// `top_logprobs: 0-20`): the answer cut into tokens (words, with their leading space, and
// single punctuation marks), each with a logprob, its UTF-8 bytes and the most likely
// alternatives. The figures are deterministic per answer and token, and vary enough that a
// judge's score token is sometimes sure (p near 1) and sometimes not (down to 0.3), which
// is what callers reading logprobs need to be tested against.
import { fnv1a, mixInt } from "./random";

export type TopLogprob = { token: string; logprob: number; bytes: number[] };
export type TokenLogprob = TopLogprob & { top_logprobs: TopLogprob[] };

/** The answer's tokens: they concatenate back to `content` exactly. */
export function tokenize(content: string): string[] {
  return content.match(/\s*[\p{L}\p{N}_]+|\s*[^\p{L}\p{N}_\s]|\s+/gu) ?? [];
}

const bytes = (s: string) => Array.from(Buffer.from(s, "utf8"));

export function tokenLogprobs(content: string, top: number): TokenLogprob[] {
  const h = fnv1a(content);
  return tokenize(content).map((token, i) => {
    // p in [0.3, 1): the chosen token is always the most likely one.
    const p = 0.3 + 0.7 * (mixInt(h, i) / 4294967296);
    const logprob = Math.log(p);
    // Alternatives share what is left, halving each time, so the probabilities sum below 1.
    const alts = Array.from({ length: Math.max(0, top - 1) }, (_, k) => {
      const alt = `${token}${k + 1}`;
      return { token: alt, logprob: Math.log((1 - p) / 2 ** (k + 1)), bytes: bytes(alt) };
    });
    const self = { token, logprob, bytes: bytes(token) };
    return { ...self, top_logprobs: top > 0 ? [self, ...alts] : [] };
  });
}
