import { describe, expect, it } from "vitest";
import { addLiveSamples, expectedOutputTokens, KEEP_LIVE_SAMPLES, parseOutputLengths, tokensPerAnswer } from "./output-lengths";

const field = { model: "gpt-4o-mini", params: { max_tokens: 400 }, output: { type: "text" as const } };

describe("expectedOutputTokens", () => {
  it("is the worst case (max_tokens) until answers have been seen", () => {
    expect(expectedOutputTokens(field, undefined, undefined)).toEqual({ tokensOut: 400, worstTokensOut: 400, answers: 0, from: [] });
    expect(expectedOutputTokens(field, undefined, { answers: 0, meanTokensOut: 0 }).answers).toBe(0);
  });

  it("is the mean of live samples and earlier runs' answers, weighted by count", () => {
    const live = { model: "gpt-4o-mini", tokensOut: [100, 200] };
    const e = expectedOutputTokens(field, live, { answers: 8, meanTokensOut: 150 });
    expect(e).toEqual({ tokensOut: 150, worstTokensOut: 400, answers: 10, from: ["live samples", "earlier runs"] });
    expect(expectedOutputTokens(field, live, undefined).tokensOut).toBe(150);
  });

  it("ignores live samples of another model and never expects more than max_tokens", () => {
    expect(expectedOutputTokens(field, { model: "gpt-4o", tokensOut: [10] }, undefined).answers).toBe(0);
    expect(expectedOutputTokens({ ...field, params: { max_tokens: 50 } }, undefined, { answers: 3, meanTokensOut: 300 }).tokensOut).toBe(50);
  });
});

describe("addLiveSamples", () => {
  it("keeps the latest answers per field and starts over when the model changes", () => {
    let o = addLiveSamples({}, Array.from({ length: KEEP_LIVE_SAMPLES + 5 }, (_, i) => ({ field: "story", model: "m1", tokensOut: i })));
    expect(o.story.tokensOut).toHaveLength(KEEP_LIVE_SAMPLES);
    expect(o.story.tokensOut.at(-1)).toBe(KEEP_LIVE_SAMPLES + 4);
    o = addLiveSamples(o, [{ field: "story", model: "m2", tokensOut: 7 }, { field: "title", model: "m1", tokensOut: 3 }]);
    expect(o).toEqual({ story: { model: "m2", tokensOut: [7] }, title: { model: "m1", tokensOut: [3] } });
  });

  it("reads damaged stored JSON as nothing seen", () => {
    expect(parseOutputLengths({ story: { model: 1 } })).toEqual({});
    expect(parseOutputLengths(null)).toEqual({});
  });
});

describe("tokensPerAnswer", () => {
  it("counts a conversation's answers per call, any other field's as its one answer", () => {
    expect(tokensPerAnswer({ tokensOut: 120 })).toBe(120);
    expect(tokensPerAnswer({ tokensOut: 600, conversation: { calls: new Array(6).fill({}) } })).toBe(100);
    expect(tokensPerAnswer({ tokensOut: 0, conversation: { calls: [] } })).toBe(0);
  });
});
