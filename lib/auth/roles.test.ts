import { describe, expect, it } from "vitest";
import { allows, isRole, ROLES } from "./roles";

describe("allows", () => {
  it("orders the roles annotator < editor < owner", () => {
    expect(allows("owner", "editor")).toBe(true);
    expect(allows("editor", "editor")).toBe(true);
    expect(allows("annotator", "editor")).toBe(false);
    expect(allows("editor", "owner")).toBe(false);
    expect(allows("annotator", "annotator")).toBe(true);
  });
  it("refuses a non-member for every role", () => {
    for (const r of ROLES) {
      expect(allows(null, r)).toBe(false);
      expect(allows(undefined, r)).toBe(false);
    }
  });
  it("knows the three roles only", () => {
    expect(isRole("owner")).toBe(true);
    expect(isRole("admin")).toBe(false);
  });
});
