import { describe, expect, it } from "vitest";
import { decodePageCursor, encodePageCursor, keysetSort, sortTag } from "./page-cursor";
import type { RecordSort } from "./schemas";

const asc: RecordSort = { by: "position", dir: "asc" };
const byCost: RecordSort = { by: "cost", dir: "desc" };
const key = { createdAt: "2026-12-04T22:53:57.514Z", index: 36500, id: "acadbf18-bafd-4835-b862-0aeb4e770ce9" };

describe("page cursor", () => {
  it("round-trips a row key in record order and an offset in other sorts", () => {
    expect(decodePageCursor(encodePageCursor({ sort: sortTag(asc), after: key }), asc)).toEqual({ sort: sortTag(asc), after: key });
    expect(decodePageCursor(encodePageCursor({ sort: sortTag(byCost), offset: 300 }), byCost)).toEqual({ sort: sortTag(byCost), offset: 300 });
    expect(keysetSort(asc)).toBe(true);
    expect(keysetSort({ by: "position", dir: "desc" })).toBe(true);
    expect(keysetSort(byCost)).toBe(false);
  });

  it("refuses a cursor made for another sort or direction, and one it did not hand out", () => {
    const c = encodePageCursor({ sort: sortTag(asc), after: key });
    expect(() => decodePageCursor(c, { by: "position", dir: "desc" })).toThrow(/made for another sort/);
    expect(() => decodePageCursor(c, { by: "field", field: "n", dir: "asc" })).toThrow(/made for another sort/);
    for (const bad of ["", "bm9wZQ", Buffer.from('{"s":"position:::asc","k":["yesterday",1,"x"]}').toString("base64url"), Buffer.from('{"s":"cost:::desc","o":-5}').toString("base64url")]) {
      expect(() => decodePageCursor(bad, asc)).toThrow(/not one this API handed out/);
    }
  });
});
