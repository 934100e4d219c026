import { describe, expect, it } from "vitest";
import { z } from "zod";
import { action } from "./action";

// The edge itself, apart from roles (those: tests/roles.db.test.ts).
const OPEN = { public: "unit test of the action edge" };

describe("action", () => {
  const Input = z.object({ name: z.string(), tags: z.array(z.string()) });

  it("refuses text PostgreSQL cannot store with a message naming where, before the service runs", async () => {
    let called = false;
    const r = await action(Input, { name: "ok", tags: ["fine", "bad\u0000"] }, async () => (called = true), OPEN);
    expect(called).toBe(false);
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_input", fieldErrors: { "tags.1": expect.stringMatching(/NUL character/) } } });
    expect(r.ok ? "" : r.error.message).toMatch(/^tags\.1: the text contains a NUL character/);
  });

  it("passes ordinary text through to the service", async () => {
    expect(await action(Input, { name: "Café 🐉", tags: [] }, async (d) => d.name, OPEN)).toEqual({ ok: true, data: "Café 🐉" });
  });
});
