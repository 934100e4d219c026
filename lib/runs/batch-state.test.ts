import { describe, expect, it } from "vitest";
import { batchAnnouncement, batchStateLabel } from "./batch-state";

describe("batch states on the run page", () => {
  it("labels each stored status, and says when failed or expired requests were sent again", () => {
    expect(batchStateLabel({ status: "in_progress", requestCounts: null })).toBe("In progress");
    expect(batchStateLabel({ status: "expired", requestCounts: null })).toBe("Downloading results");
    expect(batchStateLabel({ status: "ingested", requestCounts: { failed: 0 } })).toBe("Done");
    expect(batchStateLabel({ status: "ingested", requestCounts: { failed: 3 } })).toBe("Done; failed or expired requests sent again");
  });
  it("announces how many batches are in each state", () => {
    expect(batchAnnouncement([])).toBe("No batch submitted yet.");
    const s = (status: string, failed = 0) => ({ status, requestCounts: { failed } });
    expect(batchAnnouncement([s("in_progress"), s("validating"), s("in_progress"), s("ingested", 2)])).toBe("Batches: 2 in progress, 1 validating, 1 done.");
  });
});
