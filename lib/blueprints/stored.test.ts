import { describe, expect, test } from "vitest";
import { DomainError } from "@/lib/errors/domain-error";
import { STARTERS } from "./starters";
import { PoolField } from "./schema";
import { readBlueprint, storedFieldNames, storedFieldOfKind } from "./stored";

describe("readBlueprint", () => {
  test("returns every starter as stored, unchanged", () => {
    for (const s of STARTERS) {
      const json = JSON.parse(JSON.stringify(s.build({ seedTableId: "00000000-0000-4000-8000-000000000001" })));
      expect(readBlueprint(json, "x")).toEqual(json);
    }
  });

  test("a damaged blueprint fails with a message naming the row and the first bad path", () => {
    const json = { fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 2, integer: true }, { id: "b", kind: "number", name: "m", min: "1", max: 2, integer: true }] };
    let error: unknown;
    try {
      readBlueprint(json, "version 3 of this dataset");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: "unreadable" });
    expect((error as Error).message).toMatch(/^The blueprint of version 3 of this dataset cannot be read: fields\.1\.min: /);
  });

  test("not a blueprint at all", () => {
    expect(() => readBlueprint(null, "this dataset's draft")).toThrow(/^The blueprint of this dataset's draft cannot be read: /);
  });
});

describe("storedFieldNames", () => {
  test("the names in order, or none for a damaged blueprint", () => {
    expect(storedFieldNames({ fields: [{ name: "b", kind: "x" }, { name: "a" }] })).toEqual(["b", "a"]);
    expect(storedFieldNames({ fields: "none" })).toEqual([]);
    expect(storedFieldNames(null)).toEqual([]);
    expect(storedFieldNames({ fields: [{ name: "story", kind: "llm" }, { name: "long_enough", kind: "validator" }] })).toEqual(["story"]);
  });
});

describe("storedFieldOfKind", () => {
  test("reads the pool field of the Self-Instruct starter alone, even beside a damaged field", () => {
    const starter = STARTERS.find((s) => s.id === "self-instruct")!;
    const json = JSON.parse(JSON.stringify(starter.build({ seedTableId: "00000000-0000-4000-8000-000000000001" })));
    const pool = json.fields.find((f: { kind: string }) => f.kind === "pool");
    expect(storedFieldOfKind(json, "pool", PoolField)).toEqual(pool);
    // A field the pool does not need is damaged: the whole blueprint no longer reads, the pool field still does.
    const damaged = { fields: [{ id: "x", kind: "number", name: "n", min: "1" }, ...json.fields] };
    expect(() => readBlueprint(damaged, "x")).toThrow();
    expect(storedFieldOfKind(damaged, "pool", PoolField)).toEqual(pool);
  });

  test("null without such a field, with a damaged one, or without a blueprint", () => {
    expect(storedFieldOfKind({ fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 2, integer: true }] }, "pool", PoolField)).toBeNull();
    expect(storedFieldOfKind({ fields: [{ id: "p", kind: "pool", name: "p", targetSize: "big" }] }, "pool", PoolField)).toBeNull();
    expect(storedFieldOfKind(null, "pool", PoolField)).toBeNull();
    expect(storedFieldOfKind({ fields: "no" }, "pool", PoolField)).toBeNull();
  });
});
