// The audit trail in a studio with accounts (lib/testing/accounts.ts): only the studio's
// owner reads it; events carry the signed-in actor (id and name) from the actions; role,
// invitation and account changes are audited with their change; the local owner is
// resolved to the owner account; pages are keyset pages, newest first, filterable.
import { describe, expect, it } from "vitest";
import { inviteAction, revokeInvitationAction } from "@/lib/auth/actions";
import { acceptInvitation, createAccount, setRole } from "@/lib/auth/server/accounts";
import { assignAction, decideAction, decideAsAssigneeAction } from "@/lib/review/actions";
import type { Db } from "@/lib/db/server/prisma";
import { teamStudio } from "@/lib/testing/accounts";
import { LOCAL_OWNER } from "../events";
import { listAuditAction } from "../actions";
import { audit } from "./audit";
import { auditFilters, listAudit } from "./list";

const studio = teamStudio();

type Result<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
const ok = <T,>(r: Result<T>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.data;
};

describe("reading the audit", () => {
  it("is the studio owner's alone: editors and annotators are refused, signed-out callers too", async () => {
    const s = studio();
    await audit(s.db, LOCAL_OWNER, { action: "team.role", target: "someone" });
    expect(await s.as("annotator", () => listAuditAction({}))).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await s.as("editor", () => listAuditAction({}))).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await s.as(null, () => listAuditAction({}))).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
    const page = ok(await s.as("owner", () => listAuditAction({})));
    expect(page.events.length).toBeGreaterThan(0);
  });

  it("pages newest first by keyset, every event once, and filters by action, person and dataset", async () => {
    const s = studio();
    const before = (await listAudit(s.db, { limit: 200 })).events.length;
    for (let i = 0; i < 5; i++) await audit(s.db, { userId: s.userId.editor, name: "editor" }, { action: "run.cancel", datasetId: s.datasetId, target: `run ${i}` });
    const seen: string[] = [];
    let after: { at: string; id: string } | undefined;
    for (;;) {
      const page = await listAudit(s.db, { limit: 2, ...(after ? { after } : {}) });
      seen.push(...page.events.map((e) => e.id));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(before + 5);
    expect(new Set(seen).size).toBe(seen.length);
    const filtered = await listAudit(s.db, { action: "run.cancel", actorId: s.userId.editor, datasetId: s.datasetId });
    expect(filtered.events.map((e) => e.target)).toEqual(["run 4", "run 3", "run 2", "run 1", "run 0"]);
    expect(filtered.events[0]).toMatchObject({ datasetName: "Reviews", projectId: s.projectId });
    expect((await listAudit(s.db, { action: "run.cancel", actorId: s.userId.annotator })).events).toHaveLength(0);
    // The person filter offers every account, and events with none.
    const { people, datasets } = await auditFilters(s.db);
    expect(people).toContainEqual({ id: s.userId.editor, name: "editor (editor@example.com)" });
    expect(people.at(-1)?.id).toBe("local");
    expect(datasets).toContainEqual({ id: s.datasetId, name: "Team project / Reviews" });
  });

  it("names the local owner by the owner account, in the same statement", async () => {
    const s = studio();
    await audit(s.db, LOCAL_OWNER, { action: "api-token.create", target: "local" });
    const [e] = (await listAudit(s.db, { action: "api-token.create", limit: 1 })).events;
    expect(e).toMatchObject({ actorId: s.userId.owner, actorName: "Olga", target: "local" });
  });
});

describe("team changes through the actions", () => {
  it("records role changes, invitations created, used and revoked, and accounts created, by who did them", async () => {
    const s = studio();
    const invite = ok(await s.as("owner", () => inviteAction({ projectId: s.projectId, email: "newbie@example.com", role: "annotator" })));
    await acceptInvitation(s.db, s.auth, { token: invite.path.split("/").pop()!, name: "Newbie", password: "correct horse battery" });
    ok(await s.as("owner", () => inviteAction({ projectId: s.projectId, email: "never@example.com", role: "editor" })));
    const open = await s.db.invitation.findFirstOrThrow({ where: { email: "never@example.com" } });
    ok(await s.as("owner", () => revokeInvitationAction({ projectId: s.projectId, invitationId: open.id })));
    expect(await s.as("owner", () => revokeInvitationAction({ projectId: s.projectId, invitationId: open.id }))).toMatchObject({ ok: false, error: { code: "not_found" } });
    // These actions revalidate the team page, which needs Next's request scope: their services, as the owner.
    const olga = { userId: s.userId.owner, name: "Olga" };
    await setRole(s.db, { projectId: s.projectId, userId: s.userId.annotator, role: "editor" }, olga);
    await setRole(s.db, { projectId: s.projectId, userId: s.userId.annotator, role: "annotator" }, olga);
    await setRole(s.db, { projectId: s.projectId, userId: s.userId.annotator, role: "annotator" }, olga); // no change, no event
    // Rolled back: neither the role nor its event.
    await expect(
      s.db.$transaction(
        async (tx) => {
          await setRole(tx as unknown as Db, { projectId: s.projectId, userId: s.userId.annotator, role: "owner" }, olga);
          throw new Error("roll back");
        },
        { timeout: 60_000 },
      ),
    ).rejects.toThrow("roll back");
    await createAccount(s.db, s.auth, { projectId: s.projectId, name: "Made", email: "made@example.com", password: "correct horse battery", role: "annotator" }, olga);

    const events = (await listAudit(s.db, { limit: 200 })).events.filter((e) => e.action.startsWith("team."));
    const newbie = await s.db.user.findUniqueOrThrow({ where: { email: "newbie@example.com" } });
    const rows = events.map((e) => [e.action, e.actorName, e.target]);
    expect(rows.slice(0, 7)).toEqual([
      ["team.account", "Olga", "made@example.com"],
      ["team.role", "Olga", "annotator <annotator@example.com>"],
      ["team.role", "Olga", "annotator <annotator@example.com>"],
      ["team.invite-revoke", "Olga", "never@example.com"],
      ["team.invite", "Olga", "never@example.com"],
      ["team.invite-used", "Newbie", "newbie@example.com"],
      ["team.account", "Newbie", "newbie@example.com"],
    ]);
    expect(events[1].detail).toMatchObject({ role: "annotator", previous: "editor" });
    expect(events.find((e) => e.action === "team.invite-used")?.actorId).toBe(newbie.id);
    // The owner account of the studio, created first.
    expect(events.at(-1)).toMatchObject({ action: "team.account", actorName: "Olga", target: "owner@example.com" });
    // Never the link's token.
    expect(JSON.stringify(events)).not.toContain(invite.path.split("/").pop()!);
  });

  it("an assigned person's decision is one event by them; the final decision that follows is not logged again", async () => {
    const s = studio();
    const ds = await s.db.dataset.create({ data: { projectId: s.projectId, name: "Assigned", draft: { fields: [] } } });
    const rec = await s.db.record.create({ data: { datasetId: ds.id, index: 0, status: "succeeded", values: { a: "x" } } });
    ok(await s.as("editor", () => assignAction({ datasetId: ds.id, target: { percent: 100 }, userIds: [s.userId.annotator], overlap: 1 })));
    ok(await s.as("annotator", () => decideAsAssigneeAction({ recordId: rec.id, decision: "accept" })));
    expect((await s.db.record.findUniqueOrThrow({ where: { id: rec.id } })).reviewState).toBe("accepted");
    const events = (await listAudit(s.db, { datasetId: ds.id })).events;
    expect(events.map((e) => [e.action, e.actorId, e.target])).toEqual([["review.decide", s.userId.annotator, "record #1"]]);
    expect(events[0].detail).toMatchObject({ decision: "accept", assigned: true });
  });

  it("a decision made through the action carries the signed-in person", async () => {
    const s = studio();
    const rec = await s.db.record.create({ data: { datasetId: s.datasetId, index: 41, status: "succeeded", values: { a: "x" } } });
    ok(await s.as("annotator", () => decideAction({ recordId: rec.id, revision: 0, reviewer: "typed name", decision: "accept" })));
    const [e] = (await listAudit(s.db, { action: "review.decide", datasetId: s.datasetId, limit: 1 })).events;
    expect(e).toMatchObject({ actorId: s.userId.annotator, actorName: "annotator", target: "record #42", projectId: s.projectId });
  });
});
