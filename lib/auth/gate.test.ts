import { describe, expect, it } from "vitest";
import { gate } from "./gate";

describe("gate", () => {
  const out = { mode: "accounts" as const, accounts: 3, signedIn: false };
  it("sends signed-out people to sign in, or to create the owner in a studio with no account", () => {
    expect(gate("/datasets/x/export", out)).toBe("/sign-in");
    expect(gate("/", { ...out, accounts: 0 })).toBe("/setup");
  });
  it("lets them open the account pages themselves", () => {
    expect(gate("/sign-in", out)).toBeNull();
    expect(gate("/setup", out)).toBeNull();
    expect(gate("/invite/abc", out)).toBeNull();
    expect(gate("/invite/abc/../../settings", out)).toBe("/sign-in");
  });
  it("asks nothing in single-user mode or of the signed in", () => {
    expect(gate("/", { ...out, mode: "single" })).toBeNull();
    expect(gate("/", { ...out, signedIn: true })).toBeNull();
  });
});
