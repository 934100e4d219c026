import { describe, expect, it } from "vitest";
import { blueprintTooLarge, MAX_BLUEPRINT_BYTES } from "./limits";

describe("blueprintTooLarge", () => {
  it("says how large and what the limit is, past the limit only", () => {
    const options = (n: number) => ({ fields: [{ id: "a", kind: "category", name: "topic", options: Array.from({ length: n }, (_, i) => ({ value: `option number ${i}`, weight: 1 })) }] });
    expect(blueprintTooLarge(options(1000))).toBeNull();
    const big = options(150_000);
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_BLUEPRINT_BYTES);
    expect(blueprintTooLarge(big)).toMatch(/^The blueprint is too large to save \(\d+\.\d MB; the limit is 4\.0 MB\)\. Put long option lists in a seed table/);
  });
});
