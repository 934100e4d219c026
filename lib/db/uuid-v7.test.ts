import { describe, expect, test } from "vitest";
import { createUuidV7 } from "./uuid-v7";

describe("createUuidV7", () => {
  test("UUIDv7: valid, version 7, variant 10, strictly increasing even within a millisecond", () => {
    const next = createUuidV7();
    const ids = Array.from({ length: 10_000 }, () => next(1_763_800_000_000));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(ids[0].replace(/-/g, "").slice(0, 12)).toBe((1_763_800_000_000).toString(16).padStart(12, "0"));
  });
});
