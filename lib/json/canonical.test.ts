import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined like JSON.stringify", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson([undefined, () => 1, null])).toBe("[null,null,null]");
    expect(canonicalJson({ s: 'quote " and \\ and \n', n: -0, inf: Infinity, t: true })).toBe('{"inf":null,"n":0,"s":"quote \\" and \\\\ and \\n","t":true}');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
  });

  it("agrees with JSON.stringify apart from key order", () => {
    const v = { x: [1, "two", { three: 3 }], y: null, z: { nested: { deep: "yes" } } };
    expect(JSON.parse(canonicalJson(v))).toEqual(v);
  });
});
