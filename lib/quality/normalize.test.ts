import { describe, expect, it } from "vitest";
import { joinedText } from "./fingerprint";
import { exactKey, normalizeText, normalizeUnicode } from "./normalize";

describe("normalizeText", () => {
  it("folds case, punctuation and whitespace", () => {
    expect(normalizeText("  Hello,   World!\n\tHow are   you?  ")).toBe("hello world how are you");
    expect(normalizeText("Hello , world")).toBe(normalizeText("hello, WORLD"));
  });
  it("is Unicode-aware: compatibility forms, accented capitals, other scripts' punctuation", () => {
    expect(normalizeText("ＨＥＬＬＯ")).toBe("hello");
    expect(normalizeText("ﬁne")).toBe("fine");
    expect(normalizeText("ÉCOLE «Élan»")).toBe("école élan");
    expect(normalizeText("你好，世界。")).toBe("你好 世界");
    expect(normalizeText("Straße\u00a0Ω")).toBe("straße ω");
  });
  it("takes a faster path for ASCII that gives the same text for every ASCII character", () => {
    for (let c = 0; c < 128; c++) {
      const t = `Ab${String.fromCharCode(c)}c${String.fromCharCode(c)}${String.fromCharCode(c)} D`;
      expect(normalizeText(t)).toBe(normalizeUnicode(t));
    }
  });
  it("keeps letters and digits apart from punctuation", () => {
    expect(normalizeText("don't-stop 3.5")).toBe("don t stop 3 5");
  });
});

describe("joinedText and exactKey", () => {
  it("normalises the chosen fields' texts and joins them in order, skipping missing and empty ones", () => {
    expect(joinedText(["X", "Hi!", null, "  ...  ", "3"])).toBe("x hi 3");
  });
  it("gives equal keys to texts equal after normalisation and different keys otherwise", () => {
    const k = exactKey(joinedText(["What is 2+2?"]));
    expect(exactKey(joinedText(["what is 2 + 2"]))).toBe(k);
    expect(exactKey(joinedText(["what is 2 + 3"]))).not.toBe(k);
    expect(k).toMatch(/^[0-9a-f]{16}$/);
  });
});
