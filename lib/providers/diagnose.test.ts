import { APIConnectionError, APIError } from "openai";
import { describe, expect, test } from "vitest";
import { closeModelNames, editDistance, explainFailure, isModelMissingError, networkCode, redact } from "./diagnose";
import { BaseUrl, ConnectionInput, PRESETS, TestConnectionInput, keyLast4, presetById } from "./presets";

const ctx = { url: "http://127.0.0.1:9/v1", model: "llama3.1:8b", models: null, apiKey: "sk-secret-123456789", timeoutMs: 10_000, what: "GET /models" };

describe("diagnose", () => {
  test("close model names: typos, missing tags, vendor prefixes", () => {
    const models = ["gpt-4o", "gpt-4o-mini", "gpt-4.1-mini", "llama3.1:8b", "openai/gpt-4o-mini", "text-embedding-3-small"];
    expect(closeModelNames("gpt-4o-mnii", models)[0]).toBe("gpt-4o-mini");
    expect(closeModelNames("llama3.1", models)[0]).toBe("llama3.1:8b");
    expect(closeModelNames("gpt4o-mini", models)).toContain("gpt-4o-mini");
    expect(closeModelNames("claude-3-opus", models)).toEqual([]);
    expect(editDistance("mnii", "mini")).toBe(1);
  });

  test("network codes are found in nested causes", () => {
    const nested = new APIConnectionError({ cause: Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }) });
    expect(networkCode(nested)).toBe("ECONNREFUSED");
    const aggregate = { cause: { errors: [{ code: "ENOTFOUND" }] } };
    expect(networkCode(aggregate)).toBe("ENOTFOUND");
    expect(explainFailure(nested, ctx)).toMatchObject({ problem: "unreachable", message: expect.stringContaining("Cannot reach http://127.0.0.1:9/v1: the connection was refused") });
  });

  test("model-missing errors from different servers are recognised", () => {
    const err = (status: number, message: string, code: string | null = null) => APIError.generate(status, { error: { message, code } }, undefined, new Headers());
    expect(isModelMissingError(err(404, "x", "model_not_found"))).toBe(true);
    expect(isModelMissingError(err(404, "model 'llama3' not found, try pulling it first"))).toBe(true); // Ollama
    expect(isModelMissingError(err(404, "The model `x` does not exist."))).toBe(true); // vLLM
    expect(isModelMissingError(err(400, "foo/bar is not a valid model ID"))).toBe(true); // OpenRouter
    expect(isModelMissingError(err(404, "Invalid URL (POST /v1/nothing)"))).toBe(false);
    expect(explainFailure(err(403, "Project sk-secret-123456789 has no access"), ctx).message).toBe("The API key is not allowed to do this (403): Project •••• has no access");
  });

  test("redact hides the key and bounds the length", () => {
    expect(redact("key sk-secret-123456789 bad", "sk-secret-123456789")).toBe("key •••• bad");
    expect(redact("x".repeat(1000), null).length).toBe(401);
  });
});

describe("presets and inputs", () => {
  test("every preset pre-fills a valid connection (Custom needs a URL and model)", () => {
    for (const p of PRESETS.filter((x) => x.id !== "custom")) {
      const r = ConnectionInput.safeParse({ name: p.label, preset: p.id, baseUrl: p.baseUrl, defaultModel: p.defaultModel, maxConcurrency: p.maxConcurrency, apiKey: p.keyRequired ? "sk-something-long" : undefined });
      expect(r.success, p.id).toBe(true);
    }
    expect(presetById("nope").id).toBe("custom");
    expect(presetById("openai")).toMatchObject({ baseUrl: "https://api.openai.com/v1", keyRequired: true, defaultModel: "gpt-4o-mini", maxConcurrency: 16 });
    expect(presetById("ollama")).toMatchObject({ baseUrl: "http://127.0.0.1:11434/v1", keyRequired: false, defaultModel: "llama3.1:8b", maxConcurrency: 2 });
  });

  test("base URLs: http(s) only, no credentials, trailing slash dropped", () => {
    expect(BaseUrl.parse(" http://127.0.0.1:8000/v1/ ")).toBe("http://127.0.0.1:8000/v1");
    expect(BaseUrl.safeParse("127.0.0.1:8000").success).toBe(false);
    expect(BaseUrl.safeParse("file:///etc/passwd").success).toBe(false);
    expect(BaseUrl.safeParse("https://user:pw@host/v1").error?.issues[0].message).toMatch(/API key field/);
  });

  test("keys: trimmed, no inner spaces, last four only for long keys", () => {
    const base = { name: "n", preset: "custom", baseUrl: "http://h/v1", defaultModel: "m", maxConcurrency: "4" };
    expect(ConnectionInput.parse({ ...base, apiKey: "  sk-abc  " })).toMatchObject({ apiKey: "sk-abc", maxConcurrency: 4 });
    expect(ConnectionInput.safeParse({ ...base, apiKey: "sk abc" }).success).toBe(false);
    expect(ConnectionInput.safeParse({ ...base, apiKey: "sk-ünï" }).success).toBe(false);
    expect(keyLast4("sk-0123456789abcd")).toBe("abcd");
    expect(keyLast4("short")).toBeNull();
  });

  test("test input: a saved id alone, or unsaved values", () => {
    expect(TestConnectionInput.parse({ id: "7b1e7a8e-1b8a-4a5e-9c38-3b0f7d6c1a11" })).toEqual({ id: "7b1e7a8e-1b8a-4a5e-9c38-3b0f7d6c1a11" });
    expect(TestConnectionInput.parse({ baseUrl: "http://h/v1/", defaultModel: "m" })).toEqual({ baseUrl: "http://h/v1", defaultModel: "m" });
    expect(TestConnectionInput.safeParse({ baseUrl: "nope", defaultModel: "m" }).success).toBe(false);
  });
});
