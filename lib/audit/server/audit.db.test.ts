// Each audited service writes its event in the transaction of its change: the event is
// there after the change, and a change rolled back (or one that did not happen, a stale
// write) leaves none. Review writes put the INSERT in their own statement.
import { afterAll, describe, expect, test } from "vitest";
import type { Db } from "@/lib/db/server/prisma";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { bulkDecide, decide, editField, saveLabelSchema, setLabels } from "@/lib/review/server/decisions";
import { recordPage } from "@/lib/review/server/records";
import { adjudicate } from "@/lib/review/server/team";
import { restoreVersion } from "@/lib/review/server/versions";
import { DEFAULT_SORT } from "@/lib/review/schemas";
import { listAudit } from "./list";
import { createApiToken, revokeApiToken } from "@/lib/api/server/tokens";
import { createRawPool } from "@/lib/db/copy/server/raw-pg";
import { ExportRequest } from "@/lib/export/schemas";
import { startExport } from "@/lib/export/server/export";
import { ConnectionInput, UpdateConnectionInput } from "@/lib/providers/presets";
import { createConnection, deleteConnection, updateConnection } from "@/lib/providers/server/connections";
import { cancelRun } from "@/lib/runs/server/runs";
import { launchedTestRun } from "@/lib/testing/runs";

const db = testDb();
const sql = testPgClient();
const pool = createRawPool(process.env.DATABASE_URL!, 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const ANA = { userId: "user-ana", name: "Ana" };

async function dataset(n: number) {
  const ds = await createSeedDataset(sql, uniqueName("Audit"));
  await seedRecords(sql, { datasetId: ds.datasetId, runId: ds.runIds[0] }, n);
  const rows = await recordPage(db, ds.datasetId, { filter: {}, sort: DEFAULT_SORT, offset: 0, limit: n });
  return { ...ds, rows };
}

const eventsOf = async (datasetId: string) => (await listAudit(db, { datasetId, limit: 200 })).events;

/** Runs `fn` in a transaction that is then rolled back. */
async function rolledBack(fn: (tx: Db) => Promise<unknown>) {
  await expect(
    // A long timeout: the default 5 s is not enough for a bulk write on a loaded machine.
    db.$transaction(
      async (tx) => {
        await fn(tx as unknown as Db);
        throw new Error("roll back");
      },
      { timeout: 60_000 },
    ),
  ).rejects.toThrow("roll back");
}

describe("review writes", () => {
  test("a decision is one event, by its actor, on the record, in the statement that writes it", async () => {
    const { datasetId, projectId, rows } = await dataset(3);
    await decide(db, { recordId: rows[1].id, revision: 0, reviewer: "Ana", decision: "accept" }, ANA);
    const [e, ...rest] = await eventsOf(datasetId);
    expect(rest).toHaveLength(0);
    expect(e).toMatchObject({ action: "review.decide", actorId: "user-ana", actorName: "Ana", projectId, datasetId, target: `record #${rows[1].index + 1}` });
    expect(e.detail).toEqual({ decision: "accept", recordId: rows[1].id });

    // A stale write changes nothing and logs nothing.
    await expect(decide(db, { recordId: rows[1].id, revision: 0, reviewer: "Ana", decision: "reject" }, ANA)).rejects.toThrow(/after you loaded it/);
    await rolledBack((tx) => decide(tx, { recordId: rows[2].id, revision: 0, reviewer: "Ana", decision: "reject" }, ANA));
    expect(await eventsOf(datasetId)).toHaveLength(1);
    expect((await db.record.findUniqueOrThrow({ where: { id: rows[2].id } })).reviewState).toBe("unreviewed");
  });

  test("labels, edits and the label schema are audited; an edit records the field, not the text", async () => {
    const { datasetId, rows } = await dataset(2);
    await saveLabelSchema(db, datasetId, { labels: [{ name: "quality", kind: "single", options: ["good", "bad"] }] }, ANA);
    await setLabels(db, { recordId: rows[0].id, revision: 0, reviewer: "Ana", labels: { quality: "good" } }, ANA);
    await editField(db, { recordId: rows[0].id, revision: 1, reviewer: "Ana", field: "answer", value: "a secret answer" }, ANA);
    await rolledBack((tx) => setLabels(tx, { recordId: rows[1].id, revision: 0, reviewer: "Ana", labels: { quality: "bad" } }, ANA));
    const events = await eventsOf(datasetId);
    expect(events.map((e) => e.action)).toEqual(["review.edit", "review.labels", "review.label-schema"]);
    expect(events[0].detail).toEqual({ field: "answer", recordId: rows[0].id });
    expect(JSON.stringify(events)).not.toContain("a secret answer");
    expect(events[1].detail).toMatchObject({ labels: { quality: "good" } });
  });

  test("a bulk decision is one event with its count and filter; one that changes nothing logs nothing", async () => {
    const { datasetId, rows } = await dataset(20);
    const filter = { values: [{ field: "topic", op: "eq" as const, value: rows[0].values.topic as string }] };
    const res = await bulkDecide(db, { datasetId, target: { filter }, reviewer: "Ana", decision: "reject" }, ANA);
    expect(res.count).toBeGreaterThan(1);
    await bulkDecide(db, { datasetId, target: { filter }, reviewer: "Ana", decision: "reject" }, ANA);
    await rolledBack((tx) => bulkDecide(tx, { datasetId, target: { filter: {} }, reviewer: "Ana", decision: "accept" }, ANA));
    const events = await eventsOf(datasetId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "review.bulk-decide", actorName: "Ana" });
    expect(events[0].detail).toEqual({ decision: "reject", filter, count: res.count });
  });
});

/** Events about one thing (a connection, a token, a run), newest first. */
async function eventsAbout(key: string, id: string) {
  const rows = await db.auditEvent.findMany({ where: { detail: { path: [key], equals: id } }, orderBy: [{ at: "desc" }, { id: "desc" }] });
  return rows.map((r) => ({ ...r, detail: r.detail as Record<string, unknown> }));
}

describe("settling and restoring", () => {
  test("an adjudication is audited as such, with its reason, in the statement of the decision", async () => {
    const { datasetId, rows } = await dataset(2);
    await rolledBack((tx) => adjudicate(tx, { recordId: rows[1].id, decision: "reject", reason: "rolled back" }, ANA));
    await adjudicate(db, { recordId: rows[0].id, decision: "reject", reason: "off topic" }, ANA);
    const events = await eventsOf(datasetId);
    expect(events.map((e) => [e.action, e.actorId, e.target])).toEqual([["review.adjudicate", "user-ana", `record #${rows[0].index + 1}`]]);
    expect(events[0].detail).toMatchObject({ decision: "reject", reason: "off topic" });
  });

  test("restoring an earlier version is audited; a stale restore is not", async () => {
    const { datasetId, rows } = await dataset(1);
    const [v] = (
      await sql.query<{ id: string }>(
        `insert into "RecordVersion" (id, "recordId", kind, values, "reviewState") values (gen_random_uuid(), $1, 'regenerate', '{"answer":"before"}', 'unreviewed') returning id`,
        [rows[0].id],
      )
    ).rows;
    await expect(restoreVersion(db, { recordId: rows[0].id, versionId: v.id, revision: 7, reviewer: "Ana" }, ANA)).rejects.toThrow();
    await restoreVersion(db, { recordId: rows[0].id, versionId: v.id, revision: 0, reviewer: "Ana" }, ANA);
    const events = await eventsOf(datasetId);
    expect(events.map((e) => [e.action, e.actorName, e.target])).toEqual([["review.restore", "Ana", `record #${rows[0].index + 1}`]]);
  });
});

describe("settings, tokens, runs and exports", () => {
  test("provider connections: which fields changed and whether the key did, never the key", async () => {
    const name = uniqueName("Conn");
    const input = ConnectionInput.parse({ name, preset: "custom", baseUrl: "http://127.0.0.1:9/v1", apiKey: "sk-secret-1234567", defaultModel: "m", maxConcurrency: 4 });
    const c = await createConnection(db, input, ANA);
    const base = { id: c.id, name, preset: "custom", baseUrl: "http://127.0.0.1:9/v1", defaultModel: "m", maxConcurrency: 4 };
    await updateConnection(db, UpdateConnectionInput.parse({ ...base, apiKey: "sk-secret-7654321" }), ANA);
    await updateConnection(db, UpdateConnectionInput.parse({ ...base, defaultModel: "m2" }), ANA);
    await updateConnection(db, UpdateConnectionInput.parse({ ...base, defaultModel: "m2" }), ANA); // nothing changed
    await rolledBack((tx) => updateConnection(tx, UpdateConnectionInput.parse({ ...base, apiKey: "sk-other-000000" }), ANA));
    const events = await eventsAbout("connectionId", c.id);
    expect(events.map((e) => [e.action, e.detail.changed ?? null])).toEqual([
      ["provider.update", ["default model"]],
      ["provider.update", ["API key"]],
      ["provider.create", null],
    ]);
    expect(events[1].detail.key).toBe("replaced");
    expect(events[2].detail.key).toBe("set");
    const text = JSON.stringify(events);
    for (const secret of ["sk-secret-1234567", "sk-secret-7654321", "4567", "4321", "sk-other"]) expect(text).not.toContain(secret);

    await rolledBack((tx) => deleteConnection(tx, c.id, ANA));
    expect(await eventsAbout("connectionId", c.id)).toHaveLength(3);
    await deleteConnection(db, c.id, ANA);
    expect((await eventsAbout("connectionId", c.id))[0]).toMatchObject({ action: "provider.delete", actorName: "Ana", target: `“${name}”` });
  });

  test("API tokens: creation and revocation, by prefix, never the token", async () => {
    const owner = { userId: null, studioOwner: true };
    const t = await createApiToken(db, null, "CI", null, { actor: ANA });
    await revokeApiToken(db, t.id, owner, ANA);
    await revokeApiToken(db, t.id, owner, ANA); // revoked already: no second event
    const events = await eventsAbout("tokenId", t.id);
    expect(events.map((e) => e.action)).toEqual(["api-token.revoke", "api-token.create"]);
    expect(events[1].target).toBe(`“CI” (${t.prefix}…)`);
    expect(JSON.stringify(events)).not.toContain(t.token);

    let rolled = "";
    await rolledBack(async (tx) => (rolled = (await createApiToken(tx, null, "rolled back", null, { actor: ANA })).id));
    expect(await eventsAbout("tokenId", rolled)).toHaveLength(0);
  });

  test("runs: a launch and a cancel, on the run's dataset and project", async () => {
    const { run, datasetId, projectId } = await launchedTestRun(db, "Audit run");
    await rolledBack((tx) => cancelRun(tx, run.id, ANA));
    expect((await db.run.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("queued");
    await cancelRun(db, run.id, ANA);
    const events = await eventsAbout("runId", run.id);
    expect(events.map((e) => e.action)).toEqual(["run.cancel", "run.launch"]);
    expect(events[0]).toMatchObject({ datasetId, projectId, actorName: "Ana", target: "the run of records #1–#10" });
    expect(events[1]).toMatchObject({ actorName: "Local owner", target: "a run of records #1–#10" });
    expect(events[1].detail).toMatchObject({ records: 10, seed: 1, batch: false });
  });

  test("exports: one event when an export starts, none when nothing matches", async () => {
    const { datasetId } = await dataset(5);
    const d = await startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["question"], filter: {} }), { actor: ANA });
    await d.body.cancel();
    await expect(startExport(db, pool, datasetId, ExportRequest.parse({ format: "jsonl", fields: ["question"], filter: { search: "no such text anywhere" } }), { actor: ANA })).rejects.toThrow(/nothing to export/);
    const events = await eventsOf(datasetId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "export.start", actorName: "Ana" });
    expect(events[0].detail).toMatchObject({ format: "jsonl", includeRejected: false });
  });
});
