import { describe, expect, it } from "vitest";
import { newField, newId, uniqueFieldName } from "./defaults";
import { Field, SAMPLER_KINDS, type FieldKind } from "./schema";
import { validateBlueprint } from "./validate";

const KINDS: FieldKind[] = ["category", "subset", "number", "seed", "llm", "expression"];

describe("newField", () => {
  it.each(KINDS)("builds a schema-valid %s field with a fresh id", (kind) => {
    const a = newField(kind, "x");
    expect(Field.parse(a)).toEqual(a);
    expect(a.kind).toBe(kind);
    expect(a.name).toBe("x");
    expect(newField(kind, "x").id).not.toBe(a.id);
  });

  it("makes sampler fields that validate right away", () => {
    for (const kind of SAMPLER_KINDS.filter((k) => k !== "seed")) {
      expect(validateBlueprint({ fields: [newField(kind, "x")] })).toEqual([]);
    }
  });
});

describe("ids and names", () => {
  it("newId returns a v4 UUID", () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("uniqueFieldName appends a counter", () => {
    const bp = { fields: [newField("category", "topic"), newField("category", "topic_2")] };
    expect(uniqueFieldName(bp, "topic")).toBe("topic_3");
    expect(uniqueFieldName(bp, "tone")).toBe("tone");
    expect(uniqueFieldName(bp, "bad name")).toBe("field");
  });
});
