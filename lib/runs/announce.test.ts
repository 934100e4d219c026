import { describe, expect, it } from "vitest";
import { progressAnnouncement } from "./announce";

const run = (succeeded: number, failed = 0, status = "running") => ({ status, requested: 200, succeeded, failed });

describe("progressAnnouncement", () => {
  it("moves only in steps of a tenth while running, so the live region is not re-read every poll", () => {
    const texts = Array.from({ length: 201 }, (_, i) => progressAnnouncement(run(i)));
    const distinct = [...new Set(texts)];
    expect(distinct).toEqual(["Run running: 0% done.", ...Array.from({ length: 10 }, (_, k) => `Run running: ${(k + 1) * 10}% done.`)]);
    expect(progressAnnouncement(run(19))).toBe(progressAnnouncement(run(1)));
  });

  it("counts failed records as done", () => {
    expect(progressAnnouncement(run(50, 50))).toBe("Run running: 50% done.");
  });

  it("says a final state once, with the counts", () => {
    expect(progressAnnouncement(run(199, 1, "completed"))).toBe("Run completed: 200 of 200 records, 1 failed.");
    expect(progressAnnouncement({ status: "cancelled", requested: 5000, succeeded: 1234, failed: 0 })).toBe("Run cancelled: 1,234 of 5,000 records, 0 failed.");
  });

  it("does not divide by zero", () => {
    expect(progressAnnouncement({ status: "running", requested: 0, succeeded: 0, failed: 0 })).toBe("Run running: 0% done.");
  });

  it("a target run moves in tenths of its good records and ends with good of N and the yield", () => {
    const t = (good: number, status = "running") => progressAnnouncement({ status, requested: 500, succeeded: 90, failed: 10, target: { good, of: 40, yield: 0.4 } });
    expect(t(3)).toBe("Run running: 0% of the good records in hand.");
    expect(t(4)).toBe("Run running: 10% of the good records in hand.");
    expect(t(7)).toBe(t(4));
    expect(t(40, "completed")).toBe("Run completed: 40 of 40 good records after 100 attempts, yield 40%, 10 failed.");
  });
});
