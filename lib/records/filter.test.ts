import { describe, expect, it, test } from "vitest";
import { ACCEPTED_ONLY, filterFromParam, RecordFilter, recordsHref } from "./filter";

const RUN_ID = "0b6f1c52-3d2e-4b8a-9f1e-5a7c2d9e8b41";

describe("RecordFilter", () => {
  it("accepts the empty filter (every record) and the export default", () => {
    expect(RecordFilter.parse({})).toEqual({});
    expect(RecordFilter.parse(ACCEPTED_ONLY)).toEqual({ reviewState: ["accepted"] });
  });

  it("accepts every part together", () => {
    const filter = {
      reviewState: ["unreviewed", "rejected"],
      status: ["failed"],
      runIds: [RUN_ID],
      source: "imported",
      labels: { tone: ["calm", "angry"] },
      values: [
        { field: "topic", op: "eq", value: "cats" },
        { field: "story", op: "contains", value: "" },
      ],
      search: "whiskers",
    };
    expect(RecordFilter.parse(filter)).toEqual(filter);
  });

  it("trims the search text", () => {
    expect(RecordFilter.parse({ search: "  cat  " }).search).toBe("cat");
  });

  it.each([
    ["an unknown review state", { reviewState: ["maybe"] }],
    ["an unknown status", { status: ["running"] }],
    ["a run id that is not a uuid", { runIds: ["run-1"] }],
    ["an unknown source", { source: "synthetic" }],
    ["a label with no values", { labels: { tone: [] } }],
    ["a value condition with no field", { values: [{ field: "", op: "eq", value: "x" }] }],
    ["an unknown operator", { values: [{ field: "topic", op: "gt", value: "x" }] }],
    ["a search over 500 characters", { search: "x".repeat(501) }],
  ])("rejects %s", (_what, filter) => {
    expect(RecordFilter.safeParse(filter).success).toBe(false);
  });

  it("a search of exactly 500 characters, after trimming, is accepted", () => {
    expect(RecordFilter.safeParse({ search: ` ${"x".repeat(500)} ` }).success).toBe(true);
  });
});

describe("a filter in a link", () => {
  test("round-trips through recordsHref and filterFromParam", () => {
    const f = { values: [{ field: "verb", op: "eq" as const, value: "run & jump" }], reviewState: ["accepted" as const] };
    const href = recordsHref("d1", f);
    expect(href.startsWith("/datasets/d1/records?filter=")).toBe(true);
    expect(filterFromParam(new URL(href, "http://x").searchParams.get("filter")!)).toEqual(f);
  });

  test("no filter is a bare link; anything unreadable is no filter", () => {
    expect(recordsHref("d1", {})).toBe("/datasets/d1/records");
    expect(filterFromParam(undefined)).toBeNull();
    expect(filterFromParam(["{}", "{}"])).toBeNull();
    expect(filterFromParam("{not json")).toBeNull();
    expect(filterFromParam(JSON.stringify({ reviewState: ["maybe"] }))).toBeNull();
  });
});
