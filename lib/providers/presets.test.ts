import { describe, expect, it } from "vitest";
import { applyPreset, presetById } from "./presets";

const openai = presetById("openai");
const filled = (id: string) => {
  const p = presetById(id);
  return { name: p.label, baseUrl: p.baseUrl, defaultModel: p.defaultModel, maxConcurrency: String(p.maxConcurrency) };
};

describe("applyPreset", () => {
  it("Custom clears the URL and model the previous preset filled in, so nothing goes to OpenAI by mistake", () => {
    const next = applyPreset(filled("openai"), "openai", "custom");
    expect(next.baseUrl).toBe("");
    expect(next.defaultModel).toBe("");
    expect(next.name).toBe("Custom (OpenAI-compatible)");
    expect(next.baseUrl).not.toBe(openai.baseUrl);
  });

  it("Custom keeps what the user typed", () => {
    const typed = { name: "My box", baseUrl: "http://10.0.0.5:9000/v1", defaultModel: "qwen", maxConcurrency: "3" };
    expect(applyPreset(typed, "ollama", "custom")).toEqual(typed);
  });

  it("a named server's preset fills its own values", () => {
    expect(applyPreset(filled("openai"), "openai", "ollama")).toEqual(filled("ollama"));
    expect(applyPreset({ ...filled("custom"), baseUrl: "http://typed/v1" }, "custom", "vllm").baseUrl).toBe(presetById("vllm").baseUrl);
  });

  it("a name the user gave is kept", () => {
    expect(applyPreset({ ...filled("openai"), name: "Work" }, "openai", "vllm").name).toBe("Work");
  });
});
