import { describe, expect, it } from "vitest";
import { MASK, redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it("removes the connection's key wherever the provider echoed it", () => {
    const key = "my-local-secret-1234";
    expect(redactSecrets(`Invalid key ${key}; you sent ${key}.`, [key])).toBe(`Invalid key ${MASK}; you sent ${MASK}.`);
  });

  it("removes anything shaped like a provider key, even one it was not told about", () => {
    const text = "Incorrect API key provided: sk-proj-AbC123xyz_456-789QWERTY. Also gsk_0123456789abcdefXYZ and hf_abcdefghijklmnopqrst";
    const out = redactSecrets(text);
    expect(out).not.toMatch(/sk-proj|gsk_0|hf_a/);
    expect(out).toBe(`Incorrect API key provided: ${MASK}. Also ${MASK} and ${MASK}`);
  });

  it("leaves ordinary text and short secrets alone", () => {
    expect(redactSecrets("The model gpt-4o-mini does not exist (task-queue)", ["abc"])).toBe("The model gpt-4o-mini does not exist (task-queue)");
  });
});
