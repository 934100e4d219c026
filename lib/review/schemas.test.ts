import { describe, expect, it } from "vitest";
import { DecideInput } from "./schemas";

describe("review inputs", () => {
  const base = { recordId: "0193e7a0-0000-7000-8000-000000000001", reviewer: "ana", decision: "accept" as const };

  it("refuses a revision past PostgreSQL's int4 with a sentence, not a database error", () => {
    expect(DecideInput.safeParse({ ...base, revision: 2 ** 31 - 1 }).success).toBe(true);
    const r = DecideInput.safeParse({ ...base, revision: 2 ** 31 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("This revision does not exist.");
  });

  it("refuses a record id of 36 dashes", () => {
    expect(DecideInput.safeParse({ ...base, recordId: "-".repeat(36), revision: 0 }).success).toBe(false);
  });
});
