import { describe, expect, it } from "vitest";
import { bearerToken, hashToken, newToken, tokenPrefix } from "./tokens";

describe("API tokens", () => {
  it("are long, random and read back from a bearer header", () => {
    const a = newToken();
    const b = newToken();
    expect(a).toMatch(/^dw_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(bearerToken(`Bearer ${a}`)).toBe(a);
    expect(bearerToken(`bearer ${a} `)).toBe(a);
  });
  it("refuse headers that are not one of ours", () => {
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken("Basic abc")).toBeNull();
    expect(bearerToken("Bearer sk-123")).toBeNull();
    expect(bearerToken(`Bearer ${newToken()}x`)).toBeNull();
  });
  it("are stored as a hash and shown by a prefix too short to use", () => {
    const t = newToken();
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t.slice(3, 12));
    expect(tokenPrefix(t)).toBe(t.slice(0, 9));
  });
});
