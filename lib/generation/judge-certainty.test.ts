import { describe, expect, test } from "vitest";
import { scoreSpan, withScoreProbabilities } from "./judge-certainty";

const content = '{"simple": {"reason": "Says \\"score\\": 1 twice", "score": 4}, "on_topic": {"score": "pass", "reason": "yes"}}';
// Tokens as a provider cuts them: the score 4 is one token, "pass" two (pa + ss).
const cut = (s: string, at: string[], logprobs: Record<string, number>) => {
  const out: { token: string; logprob: number }[] = [];
  let rest = s;
  for (const piece of at) {
    const i = rest.indexOf(piece);
    if (i > 0) out.push({ token: rest.slice(0, i), logprob: -0.01 });
    out.push({ token: piece, logprob: logprobs[piece] ?? -0.01 });
    rest = rest.slice(i + piece.length);
  }
  if (rest) out.push({ token: rest, logprob: -0.01 });
  return out;
};

describe("the judge's certainty from logprobs", () => {
  test("finds each criterion's score in the JSON, not a mention of it inside a reason", () => {
    const four = content.indexOf(": 4}") + 2;
    expect(scoreSpan(content, "simple", 4)).toEqual([four, four + 1]);
    const pass = content.indexOf('"pass"') + 1;
    expect(scoreSpan(content, "on_topic", "pass")).toEqual([pass, pass + 4]);
    expect(scoreSpan(content, "simple", 5)).toBeNull();
    expect(scoreSpan(content, "missing", 4)).toBeNull();
  });

  test("p is the product of the probabilities of the tokens spelling the score", () => {
    const tokens = cut(content, ["4", "pa", "ss"], { "4": Math.log(0.6), pa: Math.log(0.5), ss: Math.log(0.9) });
    const verdict = { simple: { score: 4, reason: 'Says "score": 1 twice' }, on_topic: { score: "pass", reason: "yes" } };
    expect(withScoreProbabilities(verdict, content, tokens)).toEqual({
      simple: { score: 4, reason: 'Says "score": 1 twice', p: 0.6 },
      on_topic: { score: "pass", reason: "yes", p: 0.45 },
    });
  });

  test("no logprobs, or tokens that do not spell the answer: the verdict as it was", () => {
    const verdict = { simple: { score: 4, reason: "" } };
    expect(withScoreProbabilities(verdict, content, undefined)).toBe(verdict);
    expect(withScoreProbabilities(verdict, content, [{ token: "{", logprob: 0 }])).toBe(verdict);
  });
});
