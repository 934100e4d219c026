import { describe, expect, it } from "vitest";
import { FORGET_AFTER_MS, FREE_FAILURES, MAX_WAIT_MS, remainingWait, waitAfter, waitMessage } from "./throttle";

const t0 = new Date("2026-12-04T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("sign-in slow-down", () => {
  it("does not slow the first few mistakes", () => {
    for (let f = 0; f < FREE_FAILURES; f++) expect(remainingWait({ failures: f, lastFailAt: t0 }, t0)).toBe(0);
  });
  it("doubles the wait with each failure past the free ones, up to the cap", () => {
    expect(waitAfter(FREE_FAILURES)).toBe(1000);
    expect(waitAfter(FREE_FAILURES + 1)).toBe(2000);
    expect(waitAfter(FREE_FAILURES + 3)).toBe(8000);
    expect(waitAfter(FREE_FAILURES + 40)).toBe(MAX_WAIT_MS);
  });
  it("counts the wait from the last failure", () => {
    const s = { failures: FREE_FAILURES + 2, lastFailAt: t0 };
    expect(remainingWait(s, at(1000))).toBe(3000);
    expect(remainingWait(s, at(4000))).toBe(0);
  });
  it("forgets failures after a quiet hour", () => {
    expect(remainingWait({ failures: 100, lastFailAt: t0 }, at(FORGET_AFTER_MS + 1))).toBe(0);
  });
  it("says how long to wait", () => {
    expect(waitMessage(1000)).toBe("Too many failed sign-ins. Try again in 1 second.");
    expect(waitMessage(MAX_WAIT_MS)).toBe("Too many failed sign-ins. Try again in 5 minutes.");
  });
});
