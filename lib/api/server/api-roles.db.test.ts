// API tokens act as the person who made them (issue 18 item 3): through /api/v1 each person
// can do what the UI lets them, no more, and a token stops working when it is revoked,
// expires, or its person leaves. The handlers are called as Next calls them, in a studio
// with accounts on (an owner, an editor and an annotator of one project, an outsider).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST as exportPOST } from "@/app/api/v1/datasets/[datasetId]/export/route";
import { GET as recordsGET } from "@/app/api/v1/datasets/[datasetId]/records/route";
import { POST as launchPOST } from "@/app/api/v1/datasets/[datasetId]/runs/route";
import { GET as datasetsGET } from "@/app/api/v1/projects/[projectId]/datasets/route";
import { GET as projectsGET } from "@/app/api/v1/projects/route";
import { GET as runGET } from "@/app/api/v1/runs/[runId]/route";
import { setRole } from "@/lib/auth/server/accounts";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { stopQueue } from "@/lib/runs/server/queue";
import { PASSWORD, teamStudio, type Person, type Studio } from "@/lib/testing/accounts";
import { uniqueName } from "@/lib/testing/db";
import { seedRecords } from "@/lib/testing/seed-records";
import { createApiTokenAction, revokeApiTokenAction } from "../actions";
import { createApiToken, listApiTokens } from "./tokens";

const BASE = "http://127.0.0.1:3000/api/v1";
const at = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const call = (token: string, init: RequestInit & { url?: string } = {}) =>
  new Request(init.url ?? `${BASE}/x`, { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", host: "127.0.0.1:3000" } });
const json = async (res: Response) => ({ status: res.status, body: await res.json() });

const studio = teamStudio();
let s: Studio;
const token = {} as Record<Person, string>;
/** A dataset with a one-field draft in the team's project, one in a project only the owner is in, and a connection. */
let ours: string, theirs: string, connectionId: string;

async function draftedDataset(projectId: string) {
  const d = await createDataset(s.db, { projectId, name: uniqueName("ds") });
  await saveDraft(s.db, d.id, { fields: [{ id: "a", kind: "number", name: "n", min: 1, max: 9, integer: true }] }, 0);
  return d.id;
}

beforeAll(async () => {
  s = studio();
  for (const person of ["owner", "editor", "annotator", "outsider"] as const) token[person] = (await createApiToken(s.db, s.userId[person], person)).token;
  ours = await draftedDataset(s.projectId);
  theirs = await draftedDataset((await s.db.project.create({ data: { name: uniqueName("Owner only") } })).id);
  // Nothing listens on port 9: launched runs are only queued.
  connectionId = (await createConnection(s.db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-x", defaultModel: "gpt-4o-mini", maxConcurrency: 4 }))).id;
});
afterAll(() => stopQueue());

const launch = (who: Person, datasetId: string) => launchPOST(call(token[who], { method: "POST", body: JSON.stringify({ connectionId, records: 5, settings: {} }) }), at({ datasetId }));

describe("a token acts with its person's project roles", () => {
  test("an editor's token launches a run in their project and reads it, but not in a project they are not in", async () => {
    const launched = await json(await launch("editor", ours));
    expect(launched.status).toBe(201);
    expect((await runGET(call(token.editor), at({ runId: launched.body.data.id }))).status).toBe(200);
    expect(await json(await launch("editor", theirs))).toMatchObject({ status: 403, body: { error: { code: "forbidden", message: "This needs the editor role in this project; ask the project's owner." } } });
    // The studio's owner is owner everywhere.
    expect((await launch("owner", theirs)).status).toBe(201);
  });

  test("an annotator's token reads records without costs, and is refused export, runs and launching", async () => {
    const run = await json(await launch("owner", ours));
    expect((await json(await launch("annotator", ours))).status).toBe(403);
    expect((await runGET(call(token.annotator), at({ runId: run.body.data.id }))).status).toBe(403);
    const exported = await json(await exportPOST(call(token.annotator, { method: "POST", body: JSON.stringify({ format: "jsonl" }) }), at({ datasetId: ours })));
    expect(exported).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });

    const sql = { query: async (text: string, values?: unknown[]) => ({ rows: await s.db.$queryRawUnsafe<never[]>(text, ...(values ?? [])) }) };
    await seedRecords(sql as never, { datasetId: ours, runId: null }, 3);
    const page = await json(await recordsGET(call(token.annotator), at({ datasetId: ours })));
    expect(page.status).toBe(200);
    expect(page.body.data.records).toHaveLength(3);
    expect(page.body.data.records[0]).not.toHaveProperty("costUsd");
    // The editor sees what the grid shows them, costs included.
    expect((await json(await recordsGET(call(token.editor), at({ datasetId: ours })))).body.data.records[0]).toHaveProperty("costUsd");

    // Once records are assigned, an annotator reads their queue, not the whole dataset (as in the grid).
    const record = await s.db.record.findFirstOrThrow({ where: { datasetId: ours } });
    await s.db.assignment.create({ data: { recordId: record.id, userId: s.userId.editor, datasetId: ours, assignedBy: "test" } });
    expect(await json(await recordsGET(call(token.annotator), at({ datasetId: ours })))).toMatchObject({ status: 403, body: { error: { message: expect.stringMatching(/your queue/) } } });
  });

  test("a member of no project lists projects but reads no project's datasets", async () => {
    expect((await projectsGET(call(token.outsider), at({}))).status).toBe(200);
    expect((await datasetsGET(call(token.outsider), at({ projectId: s.projectId }))).status).toBe(403);
    expect((await datasetsGET(call(token.annotator), at({ projectId: s.projectId }))).status).toBe(200);
  });
});

describe("a token stops working", () => {
  test("when revoked or expired, with a 401 that says which", async () => {
    const made = await createApiToken(s.db, s.userId.editor, "laptop");
    const old = await createApiToken(s.db, s.userId.editor, "old CI", 1, { now: new Date(Date.now() - 2 * 86_400_000) });
    expect((await datasetsGET(call(made.token), at({ projectId: s.projectId }))).status).toBe(200);
    await s.as("editor", () => revokeApiTokenAction({ id: made.id }));
    expect(await json(await datasetsGET(call(made.token), at({ projectId: s.projectId })))).toMatchObject({
      status: 401,
      body: { error: { code: "unauthenticated", message: 'This API token ("laptop") was revoked.' } },
    });
    expect(await json(await datasetsGET(call(old.token), at({ projectId: s.projectId })))).toMatchObject({
      status: 401,
      body: { error: { message: expect.stringMatching(/^This API token \("old CI"\) expired on \d{4}-\d\d-\d\d: create a new one/) } },
    });
  });

  test("when its person leaves the project (403 there), or their account is deleted (401)", async () => {
    const ctx = await s.auth.$context;
    const user = await ctx.internalAdapter.createUser({ name: "Temp", email: `temp-${Date.now()}@example.com` }, { method: "admin" });
    await ctx.internalAdapter.linkAccount({ userId: user.id, providerId: "credential", accountId: user.id, password: await ctx.password.hash(PASSWORD) });
    await setRole(s.db, { projectId: s.projectId, userId: user.id, role: "editor" });
    const t = await createApiToken(s.db, user.id, "temp");
    expect((await launch("editor", ours)).status).toBe(201);
    const launchAs = () => launchPOST(call(t.token, { method: "POST", body: JSON.stringify({ connectionId, records: 5, settings: {} }) }), at({ datasetId: ours }));
    expect((await launchAs()).status).toBe(201);
    await setRole(s.db, { projectId: s.projectId, userId: user.id, role: null });
    expect((await launchAs()).status).toBe(403);
    await s.db.user.delete({ where: { id: user.id } });
    expect(await json(await launchAs())).toMatchObject({ status: 401, body: { error: { message: "This API token is not known to this studio: it was never made here, or its account was deleted." } } });
  });
});

describe("Settings → API tokens", () => {
  test("anyone signed in makes and revokes their own tokens; the studio's owner sees and revokes everyone's", async () => {
    const mine = await s.as("annotator", () => createApiTokenAction({ name: "annotator notebook", expiresInDays: 30 }));
    expect(mine.ok).toBe(true);
    const made = mine.ok ? mine.data : null;
    expect(made!.expiresAt).not.toBeNull();
    const editors = await s.as("editor", () => createApiTokenAction({ name: "editor CI" }));
    const editorToken = editors.ok ? editors.data : null;

    const editorSees = await listApiTokens(s.db, { userId: s.userId.editor, studioOwner: false });
    expect(editorSees.every((t) => t.mine)).toBe(true);
    expect(editorSees.map((t) => t.name)).toContain("editor CI");
    expect(editorSees.map((t) => t.name)).not.toContain("annotator notebook");
    // Someone else's token is not found, not revoked.
    expect(await s.as("editor", () => revokeApiTokenAction({ id: made!.id }))).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect((await s.db.apiToken.findUniqueOrThrow({ where: { id: made!.id } })).revokedAt).toBeNull();

    const ownerSees = await listApiTokens(s.db, { userId: s.userId.owner, studioOwner: true });
    expect(ownerSees.find((t) => t.id === editorToken!.id)).toMatchObject({ mine: false, owner: "editor" });
    expect(await s.as("owner", () => revokeApiTokenAction({ id: editorToken!.id }))).toEqual({ ok: true, data: undefined });
    expect((await datasetsGET(call(editorToken!.token), at({ projectId: s.projectId }))).status).toBe(401);
  });
});
