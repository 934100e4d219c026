// Accounts on a studio of their own (lib/testing/accounts.ts): sign-in and its slow-down,
// invitations, the role check against the project an input names, and cookies signed by
// another studio.
import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { saveLabelSchemaAction } from "@/lib/review/actions";
import { createConnectionAction } from "@/lib/providers/actions";
import { changePasswordAction, inviteAction } from "@/lib/auth/actions";
import { cookieHeader, PASSWORD, teamStudio } from "@/lib/testing/accounts";
import { FREE_FAILURES } from "../throttle";
import { acceptInvitation, createInvitation, createOwner, signIn } from "./accounts";
import { currentCaller } from "./access";
import { createAuth } from "./auth";
import { accountKey } from "./throttle";

const studio = teamStudio();
const labels = { labels: [] };

describe("roles against the project an input names", () => {
  it("refuses an annotator calling an editor's action directly, and lets the editor", async () => {
    const s = studio();
    const input = { datasetId: s.datasetId, schema: labels };
    expect(await s.as("annotator", () => saveLabelSchemaAction(input))).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await s.as("editor", () => saveLabelSchemaAction(input))).toMatchObject({ ok: true });
  });

  it("refuses an editor of one project on another project's dataset", async () => {
    const s = studio();
    const other = await s.db.project.create({ data: { name: "Someone else's" } });
    const ds = await s.db.dataset.create({ data: { projectId: other.id, name: "Theirs", draft: { fields: [] } } });
    expect(await s.as("editor", () => saveLabelSchemaAction({ datasetId: ds.id, schema: labels }))).toMatchObject({ ok: false, error: { code: "forbidden" } });
    // The studio's owner is owner of every project.
    expect(await s.as("owner", () => saveLabelSchemaAction({ datasetId: ds.id, schema: labels }))).toMatchObject({ ok: true });
  });

  it("keeps provider keys to the studio's owner, even for a project's owner", async () => {
    const s = studio();
    await s.db.projectMember.update({ where: { projectId_userId: { projectId: s.projectId, userId: s.userId.editor } }, data: { role: "owner" } });
    try {
      const r = await s.as("editor", () => createConnectionAction({ name: "x", preset: "openai", baseUrl: "https://api.openai.com/v1", apiKey: "sk-test" }));
      expect(r).toMatchObject({ ok: false, error: { code: "forbidden" } });
    } finally {
      await s.db.projectMember.update({ where: { projectId_userId: { projectId: s.projectId, userId: s.userId.editor } }, data: { role: "editor" } });
    }
  });

  it("reads the caller once per request and project", async () => {
    const s = studio();
    await s.as("editor", async () => {
      const ref = { datasetId: s.datasetId };
      const [a, b] = await Promise.all([currentCaller(ref), currentCaller({ datasetId: s.datasetId })]);
      expect(a).toBe(b);
      expect(a.role).toBe("editor");
    });
  });

  it("refuses a signed-out caller", async () => {
    const s = studio();
    expect(await s.as(null, () => saveLabelSchemaAction({ datasetId: s.datasetId, schema: labels }))).toMatchObject({ ok: false, error: { code: "unauthenticated" } });
  });
});

describe("a session cookie from another studio", () => {
  it("is not a session here, even for a token this database holds", async () => {
    const s = studio();
    // Another studio (its own secret) on the same database: the session row it makes is
    // real, but its cookie's signature is not this studio's.
    const elsewhere = createAuth(s.db, randomBytes(32).toString("base64"));
    const signed = await signIn(s.db, elsewhere, { email: "editor@example.com", password: PASSWORD }, "10.1.1.1");
    const foreign = cookieHeader(signed.setCookie);
    expect(await s.asCookie(foreign, () => saveLabelSchemaAction({ datasetId: s.datasetId, schema: labels }))).toMatchObject({
      ok: false,
      error: { code: "unauthenticated" },
    });
    // A cookie with its signature cut off or altered is refused too.
    const token = foreign.split("=")[1]!.split(".")[0]!;
    expect(await s.asCookie(`datawright.session_token=${token}`, () => saveLabelSchemaAction({ datasetId: s.datasetId, schema: labels }))).toMatchObject({
      ok: false,
      error: { code: "unauthenticated" },
    });
  });
});

describe("sign-in", () => {
  it("slows an account down after repeated wrong passwords, from any address, and refuses unheard while it waits", async () => {
    const s = studio();
    const t0 = new Date();
    for (let i = 0; i < FREE_FAILURES; i++) {
      await expect(signIn(s.db, s.auth, { email: "annotator@example.com", password: "wrong password" }, `10.2.0.${i}`, t0)).rejects.toMatchObject({
        code: "unauthenticated",
      });
    }
    // The right password now, from a new address: still refused until the wait is over.
    await expect(signIn(s.db, s.auth, { email: "annotator@example.com", password: PASSWORD }, "10.2.1.1", t0)).rejects.toMatchObject({
      code: "too_many",
      message: expect.stringMatching(/Try again in \d+ second/),
    });
    const later = new Date(t0.getTime() + 60_000);
    await expect(signIn(s.db, s.auth, { email: "annotator@example.com", password: PASSWORD }, "10.2.1.1", later)).resolves.toMatchObject({ userId: s.userId.annotator });
    expect(await s.db.authFailure.findUnique({ where: { key: accountKey("annotator@example.com") } })).toBeNull();
  });

  it("slows an address down after failures across many accounts", async () => {
    const s = studio();
    const t0 = new Date();
    for (let i = 0; i < FREE_FAILURES; i++) {
      await expect(signIn(s.db, s.auth, { email: `nobody${i}@example.com`, password: "guess" }, "10.3.0.1", t0)).rejects.toMatchObject({ code: "unauthenticated" });
    }
    await expect(signIn(s.db, s.auth, { email: "editor@example.com", password: PASSWORD }, "10.3.0.1", t0)).rejects.toMatchObject({ code: "too_many" });
    // The same account from another address is heard.
    await expect(signIn(s.db, s.auth, { email: "editor@example.com", password: PASSWORD }, "10.3.0.2", t0)).resolves.toMatchObject({ userId: s.userId.editor });
  });

  it("says the same for an unknown e-mail and a wrong password", async () => {
    const s = studio();
    const unknown = await signIn(s.db, s.auth, { email: "ghost@example.com", password: "x" }, "10.4.0.1").catch((e: Error) => e.message);
    const wrong = await signIn(s.db, s.auth, { email: "editor@example.com", password: "x" }, "10.4.0.2").catch((e: Error) => e.message);
    expect(unknown).toBe(wrong);
  });

  it("stores the password as a scrypt hash, never the password", async () => {
    const s = studio();
    const account = await s.db.account.findFirstOrThrow({ where: { userId: s.userId.editor, providerId: "credential" } });
    expect(account.password).not.toContain(PASSWORD);
    // @better-auth/utils/password: `<salt hex>:<scrypt key hex>`.
    expect(account.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
  });

  it("refuses a second owner account", async () => {
    const s = studio();
    await expect(createOwner(s.db, s.auth, { name: "Mallory", email: "m@example.com", password: PASSWORD })).rejects.toMatchObject({ code: "conflict" });
  });

  it("changes a password only with the current one", async () => {
    const s = studio();
    const { setCookie } = await signIn(s.db, s.auth, { email: "outsider@example.com", password: PASSWORD }, "10.5.0.1");
    const cookie = cookieHeader(setCookie);
    expect(await s.asCookie(cookie, () => changePasswordAction({ currentPassword: "not it", newPassword: "a new long password" }))).toMatchObject({
      ok: false,
      error: { fieldErrors: { currentPassword: expect.any(String) } },
    });
  });
});

describe("invitations", () => {
  it("lets the invitee in once, with the role it names", async () => {
    const s = studio();
    const made = await s.as("owner", () => inviteAction({ projectId: s.projectId, email: "new@example.com", role: "annotator" }));
    expect(made.ok).toBe(true);
    const token = (made as { data: { path: string } }).data.path.split("/").pop()!;
    const joined = await acceptInvitation(s.db, s.auth, { token, name: "Nia", password: PASSWORD });
    expect(await s.db.projectMember.findUnique({ where: { projectId_userId: { projectId: s.projectId, userId: joined.userId } } })).toMatchObject({ role: "annotator" });
    // Used once: refused, and no account is made for the second try.
    const users = await s.db.user.count();
    await expect(acceptInvitation(s.db, s.auth, { token, name: "Nia again", password: PASSWORD })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("used already"),
    });
    expect(await s.db.user.count()).toBe(users);
    // Only the token's hash is stored.
    expect(JSON.stringify(await s.db.invitation.findMany())).not.toContain(token);
  });

  it("refuses an expired link", async () => {
    const s = studio();
    const { token } = await createInvitation(s.db, { projectId: s.projectId, email: "late@example.com", role: "editor", days: 1, invitedById: null }, new Date(Date.now() - 2 * 86_400_000));
    await expect(acceptInvitation(s.db, s.auth, { token, name: "Late", password: PASSWORD })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("expired") });
    expect(await s.db.user.findUnique({ where: { email: "late@example.com" } })).toBeNull();
  });

  it("refuses an unknown link", async () => {
    const s = studio();
    await expect(acceptInvitation(s.db, s.auth, { token: randomBytes(32).toString("base64url"), name: "X", password: PASSWORD })).rejects.toMatchObject({ code: "not_found" });
  });

  it("is the owner's to make, not an editor's", async () => {
    const s = studio();
    expect(await s.as("editor", () => inviteAction({ projectId: s.projectId, email: "e2@example.com", role: "editor" }))).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });
});
