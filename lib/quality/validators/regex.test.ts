import { describe, expect, it } from "vitest";
import { checkRegex, MAX_PATTERN_LENGTH, MAX_REGEX_INPUT, regexError } from "./regex";

describe("checkRegex", () => {
  it("must match / must not match, unanchored unless anchored", () => {
    expect(checkRegex("Once upon a time", "upon", { caseInsensitive: false, mustMatch: true }).pass).toBe(true);
    expect(checkRegex("Once upon a time", "^upon", { caseInsensitive: false, mustMatch: true })).toEqual({ pass: false, message: "does not match /^upon/" });
    expect(checkRegex("As an AI model, I", "as an ai", { caseInsensitive: true, mustMatch: false })).toEqual({
      pass: false,
      message: "matches /as an ai/, which it must not",
    });
    expect(checkRegex("As an AI model", "as an ai", { caseInsensitive: false, mustMatch: false }).pass).toBe(true);
  });

  it("runs catastrophic patterns in linear time", () => {
    // (a+)+$ against "aaaa…!" backtracks exponentially in JavaScript's engine; 40 "a"s
    // would take hours there. Here the whole check must simply return, and fail to match.
    const text = "a".repeat(50_000) + "!";
    expect(checkRegex(text, "(a+)+$", { caseInsensitive: false, mustMatch: true }).pass).toBe(false);
    expect(checkRegex("x".repeat(40) + "y", "(x|x)*z", { caseInsensitive: false, mustMatch: false }).pass).toBe(true);
  });

  it("looks at the first MAX_REGEX_INPUT characters of a huge text, and says so", () => {
    const text = "a".repeat(MAX_REGEX_INPUT) + "needle";
    const r = checkRegex(text, "needle", { caseInsensitive: false, mustMatch: true });
    expect(r.pass).toBe(false);
    expect(r.message).toContain("in the first 1,000,000 characters");
  });
});

describe("regexError", () => {
  it("accepts valid patterns", () => {
    expect(regexError("^[A-Z][a-z]+\\.$")).toBeNull();
    expect(regexError("\\bwalk(ed|ing|s)?\\b")).toBeNull();
  });
  it("explains invalid and unsupported ones", () => {
    expect(regexError("(a")).toBe("Invalid pattern: missing closing ): `(a`.");
    expect(regexError("[z-a]")).toMatch(/^Invalid pattern: invalid character class range/);
    expect(regexError("foo(?=bar)")).toMatch(/Lookahead and lookbehind/);
    expect(regexError("(a)\\1")).toMatch(/Backreferences/);
    expect(regexError("")).toBe("The pattern is empty.");
    expect(regexError("a".repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/longer than 2000/);
  });
});
