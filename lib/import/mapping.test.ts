import { describe, expect, test } from "vitest";
import { defaultImportMapping, ImportMapping, missingColumns } from "./mapping";

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
});
