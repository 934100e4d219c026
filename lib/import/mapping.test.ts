import { describe, expect, test } from "vitest";
import { createUuidV7, defaultImportMapping, ImportMapping, missingColumns } from "./mapping";

describe("import mapping", () => {
  test("same-named columns go to fields, others keep their name", () => {
    expect(defaultImportMapping(["Question", "answer", "Customer ID"], ["question", "answer"])).toEqual({ Question: "question", answer: "answer", "Customer ID": "Customer ID" });
  });

  test("checks: something mapped, no field twice", () => {
    expect(ImportMapping.safeParse({}).success).toBe(false);
    expect(ImportMapping.safeParse({ a: "x", b: "x" }).error?.issues[0].message).toMatch(/both go to the field "x"/);
    expect(ImportMapping.safeParse({ a: "x", b: "y" }).success).toBe(true);
  });

  test("missing columns", () => {
    expect(missingColumns({ q: "question", a: "answer" }, ["q", "other"])).toEqual(["a"]);
  });

  test("UUIDv7: valid, version 7, variant 10, strictly increasing even within a millisecond", () => {
    const next = createUuidV7();
    const ids = Array.from({ length: 10_000 }, () => next(1_763_800_000_000));
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(ids[0].replace(/-/g, "").slice(0, 12)).toBe((1_763_800_000_000).toString(16).padStart(12, "0"));
  });
});
