import { describe, expect, it } from "vitest";
import { describeProblems, findUnstorableText, makeStorable, REPLACEMENT } from "./storable";

describe("makeStorable", () => {
  it("returns the very same value when everything can be stored (no copy)", () => {
    const v = { story: "Once upon a time 🐉 in 東京", n: 3, list: ["a", { b: true }], nothing: null };
    const r = makeStorable(v);
    expect(r.value).toBe(v);
    expect(describeProblems(r.found)).toBeNull();
  });

  it("replaces NUL characters and unpaired surrogates, in values and keys, at any depth", () => {
    const v = { story: "a\u0000b\u0000", deep: [{ ["k\u0000"]: "x\ud800y" }], ok: "🐉", tail: "z\udc00" };
    const r = makeStorable(v);
    expect(r.value).toEqual({ story: `a${REPLACEMENT}b${REPLACEMENT}`, deep: [{ [`k${REPLACEMENT}`]: `x${REPLACEMENT}y` }], ok: "🐉", tail: `z${REPLACEMENT}` });
    expect(r.found).toEqual({ nul: 3, loneSurrogates: 2 });
    expect(describeProblems(r.found)).toBe("3 NUL characters (U+0000) and 2 unpaired UTF-16 surrogates");
    expect(v.story).toBe("a\u0000b\u0000"); // the input is not changed
    expect(JSON.stringify(r.value)).not.toMatch(/\\u0000|\\ud[89ab]/);
  });

  it("turns numbers JSON cannot hold into null", () => {
    expect(makeStorable({ a: Number.NaN, b: Infinity, c: 1.5 }).value).toEqual({ a: null, b: null, c: 1.5 });
  });
});

describe("findUnstorableText", () => {
  it("names where a NUL or an unpaired surrogate sits, in values and keys", () => {
    expect(findUnstorableText({ name: "ok", labels: { topic: ["a", "b\u0000"] } })).toBe("labels.topic.1");
    expect(findUnstorableText({ ["bad\ud800"]: 1 })).toBe("bad\ud800");
    expect(findUnstorableText("x\u0000")).toBe("the input");
    expect(findUnstorableText({ name: "Café 🐉", n: 3, list: [null, true] })).toBeNull();
  });
});
