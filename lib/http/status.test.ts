import { describe, expect, test } from "vitest";
import { HTTP_STATUS, statusFor } from "./status";

describe("statusFor", () => {
  test("each error code has its status", () => {
    expect(statusFor("invalid_input")).toBe(400);
    expect(statusFor("not_found")).toBe(404);
    expect(statusFor("conflict")).toBe(409);
    expect(statusFor("too_large")).toBe(413);
    expect(statusFor("internal")).toBe(500);
    expect(statusFor("unreadable")).toBe(500);
    expect(statusFor("unavailable")).toBe(503);
  });

  test("only internal failures and damaged stored rows are 500; every answer is an error status", () => {
    for (const [code, status] of Object.entries(HTTP_STATUS)) {
      expect(status, code).toBeGreaterThanOrEqual(400);
      if (status === 500) expect(["internal", "unreadable"]).toContain(code);
    }
  });
});
