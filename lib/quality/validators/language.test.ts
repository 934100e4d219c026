import { describe, expect, it } from "vitest";
import { checkLanguage, detectLanguage, LANGUAGES, MAX_DETECT_CHARS, type LanguageCode } from "./language";
import { LANGUAGE_SAMPLES } from "./language-samples";

describe("detectLanguage", () => {
  it("is accurate on the labelled sentences (the figure in README-validators.md)", () => {
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const [lang, sentences] of Object.entries(LANGUAGE_SAMPLES) as [LanguageCode, string[]][]) {
      for (const s of sentences) {
        total++;
        const got = detectLanguage(s);
        if (got === lang) right++;
        else wrong.push(`${lang} -> ${got}: ${s}`);
      }
    }
    const accuracy = right / total;
    console.log(`language accuracy ${right}/${total} = ${accuracy.toFixed(3)}\n${wrong.join("\n")}`);
    expect(total).toBe(80);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("is more accurate on two sentences together, the length of a short answer", () => {
    let right = 0;
    let total = 0;
    for (const [lang, sentences] of Object.entries(LANGUAGE_SAMPLES) as [LanguageCode, string[]][]) {
      for (let i = 0; i < sentences.length; i++) {
        total++;
        if (detectLanguage(`${sentences[i]} ${sentences[(i + 1) % sentences.length]}`) === lang) right++;
      }
    }
    console.log(`language accuracy (pairs) ${right}/${total} = ${(right / total).toFixed(3)}`);
    expect(right / total).toBeGreaterThanOrEqual(0.95);
  });

  it("judges a long text by its first MAX_DETECT_CHARS characters, which bounds its time", () => {
    const english = (LANGUAGE_SAMPLES.eng ?? []).join(" ");
    const german = (LANGUAGE_SAMPLES.deu ?? []).join(" ");
    expect(english.length).toBeGreaterThan(MAX_DETECT_CHARS);
    expect(detectLanguage(english + " " + german.repeat(3))).toBe("eng");
  });

  it("does not judge text that is too short", () => {
    expect(detectLanguage("Hola")).toBeNull();
    expect(detectLanguage("")).toBeNull();
  });
});

describe("checkLanguage", () => {
  it("passes the expected language and names the one it found otherwise", () => {
    expect(checkLanguage("The museum is closed on Mondays and public holidays.", "eng")).toEqual({ pass: true, message: "English" });
    expect(checkLanguage("Das Museum ist montags und an Feiertagen geschlossen.", "eng")).toEqual({
      pass: false,
      message: "looks like German, not English",
    });
  });
  it("passes, saying so, when there is too little text", () => {
    expect(checkLanguage("Ok!", "fra")).toEqual({ pass: true, message: "too short to tell the language" });
  });
  it("offers only codes franc-min knows", () => {
    for (const code of Object.keys(LANGUAGES)) expect(code).toMatch(/^[a-z]{3}$/);
  });
});
