import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, AuditQuery, actionLabel, describeEvent } from "./events";

const d = (action: string, detail: Record<string, unknown> = {}, target = "") => describeEvent({ action, target, detail });

describe("describeEvent", () => {
  it("says what a decision did, one record or many", () => {
    expect(d("review.decide", { decision: "accept" }, "record #3")).toBe("accepted record #3");
    expect(d("review.bulk-decide", { decision: "reject", count: 1200, filter: {} })).toBe("rejected 1,200 records matching a filter");
    expect(d("review.bulk-decide", { decision: "accept", count: 1, ids: 1 })).toBe("accepted 1 record selected");
    expect(d("review.adjudicate", { decision: "reject", reason: "off topic" }, "record #9")).toBe("settled record #9: rejected (off topic)");
  });

  it("names the fields of a connection that changed, the key only as a word", () => {
    expect(d("provider.update", { changed: ["default model", "API key"], key: "replaced" }, "“OpenAI”")).toBe("changed default model, API key of the provider connection “OpenAI”");
    expect(d("provider.update", { changed: [] }, "“x”")).toBe("changed nothing of the provider connection “x”");
  });

  it("reads exports, roles and labels", () => {
    expect(d("export.start", { format: "jsonl" }, "“Tickets”")).toBe("started an export of “Tickets” (jsonl)");
    expect(d("export.start", {}, "“Tickets”")).toBe("started an export of “Tickets”");
    expect(d("team.role", { role: "editor", previous: "annotator" }, "Ann <ann@example.com>")).toBe("made Ann <ann@example.com> editor (was annotator)");
    expect(d("team.role", { role: null }, "Ann")).toBe("removed Ann from the project");
    expect(d("review.bulk-label", { label: "quality", value: "good", count: 2 })).toBe('set label "quality" to "good" on 2 records');
    expect(d("review.bulk-label", { label: "quality", value: null, count: 2 })).toBe('cleared label "quality" on 2 records');
  });

  it("falls back to the action's name for an action it does not know (an older or newer studio's)", () => {
    expect(d("something.new", {}, "thing")).toBe("something.new thing");
    expect(actionLabel("run.launch")).toBe("Run launched");
  });
});

describe("AuditQuery", () => {
  it("takes only known actions and a whole cursor", () => {
    expect(AuditQuery.safeParse({ action: "review.decide" }).success).toBe(true);
    expect(AuditQuery.safeParse({ action: "drop table" }).success).toBe(false);
    expect(AuditQuery.safeParse({ after: { at: "2026-12-04T10:00:00.000Z" } }).success).toBe(false);
    expect(AuditQuery.parse({}).limit).toBe(50);
    expect(Object.keys(AUDIT_ACTIONS)).toContain("team.invite-revoke");
  });
});
