// Each audited service writes its event in the transaction of its change: the event is
// there after the change, and a change rolled back (or one that did not happen, a stale
// write) leaves none. Review writes put the INSERT in their own statement.
import { afterAll, describe, expect, test } from "vitest";
import type { Db } from "@/lib/db/server/prisma";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import { createSeedDataset, seedRecords } from "@/lib/testing/seed-records";
import { bulkDecide, decide, editField, saveLabelSchema, setLabels } from "@/lib/review/server/decisions";
import { recordPage } from "@/lib/review/server/records";
import { DEFAULT_SORT } from "@/lib/review/schemas";
import { listAudit } from "./list";

const db = testDb();
const sql = testPgClient();
afterAll(() => db.$disconnect());

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
    db.$transaction(async (tx) => {
      await fn(tx as unknown as Db);
      throw new Error("roll back");
    }),
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
