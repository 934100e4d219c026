import { afterAll, describe, expect, test } from "vitest";
import { createSeedDataset, seedRecords, SEED_TOPICS } from "@/lib/testing/seed-records";
import { testDb, testPgClient, uniqueName } from "@/lib/testing/db";
import type { LabelSchema } from "../labels";
import { DEFAULT_SORT, type PageQuery } from "../schemas";
import { addComment, bulkDecide, bulkLabel, decide, editField, listActions, saveLabelSchema, setLabels, undoAction } from "./decisions";
import { countRecords, recordDetail, recordPage, recordPageSql, recordRow, reviewSetup, reviewStats } from "./records";

const db = testDb();
const sql = testPgClient();
afterAll(() => db.$disconnect());

const SCHEMA: LabelSchema = {
  labels: [
    { name: "quality", kind: "single", options: ["good", "bad"], key: "q" },
    { name: "tags", kind: "multi", options: ["math", "long", "typo"], key: "t" },
    { name: "stars", kind: "rating" },
    { name: "note", kind: "note", key: "n" },
  ],
};

/** A fresh dataset of `n` seeded records (two runs, or imported), each test its own. */
async function dataset(n: number, opts: { runs?: number } = {}) {
  const ds = await createSeedDataset(sql, uniqueName("Review"), opts.runs ?? 1);
  const per = Math.ceil(n / ds.runIds.length);
  for (const [i, runId] of ds.runIds.entries()) await seedRecords(sql, { datasetId: ds.datasetId, runId }, Math.min(per, n - i * per));
  await saveLabelSchema(db, ds.datasetId, SCHEMA);
  return ds;
}

const page = (over: Partial<PageQuery> = {}): PageQuery => ({ filter: {}, sort: DEFAULT_SORT, offset: 0, limit: 100, ...over });
const ME = "Ana";
const decisionFor = (index: number) => (index % 2 ? "accept" : "reject");

describe("reading the grid", () => {
  test("pages are in a stable order and cover every record exactly once", async () => {
    const { datasetId } = await dataset(1234, { runs: 2 });
    const seen = new Set<string>();
    for (let offset = 0; offset < 1234; offset += 100) {
      const rows = await recordPage(db, datasetId, page({ offset }));
      for (const r of rows) seen.add(r.id);
    }
    expect(seen.size).toBe(1234);
    expect(await countRecords(db, datasetId, {})).toBe(1234);
  });

  test("filters by review state, status, run, label, value and text, and sorts by value, cost and tokens", async () => {
    const { datasetId, runIds } = await dataset(300, { runs: 2 });
    const first = await recordPage(db, datasetId, page({ limit: 10 }));
    await decide(db, { recordId: first[0].id, revision: 0, reviewer: ME, decision: "accept" });
    await decide(db, { recordId: first[1].id, revision: 0, reviewer: ME, decision: "reject" });
    await setLabels(db, { recordId: first[2].id, revision: 0, reviewer: ME, labels: { tags: ["math", "typo"], stars: 4 } });

    expect(await countRecords(db, datasetId, { reviewState: ["accepted"] })).toBe(1);
    expect(await countRecords(db, datasetId, { reviewState: ["unreviewed"] })).toBe(298);
    expect(await countRecords(db, datasetId, { status: ["failed"] })).toBe(6); // every 50th of 150, per run
    expect(await countRecords(db, datasetId, { runIds: [runIds[1]] })).toBe(150);
    expect(await countRecords(db, datasetId, { labels: { tags: ["typo"] } })).toBe(1);
    expect(await countRecords(db, datasetId, { labels: { stars: ["4"] } })).toBe(1);
    expect(await countRecords(db, datasetId, { values: [{ field: "topic", op: "eq", value: "music" }] })).toBe(2 * Math.ceil((150 - 5) / 8));
    const byText = await recordPage(db, datasetId, page({ filter: { search: "RECORD 17 SAYS" } }));
    expect(byText.map((r) => r.index).sort()).toEqual([17, 17]);

    const byN = await recordPage(db, datasetId, page({ sort: { by: "field", field: "n", dir: "desc" }, limit: 3 }));
    expect(byN.map((r) => r.values.n)).toEqual([149, 149, 148]); // numerically, not as text
    const byTopic = await recordPage(db, datasetId, page({ sort: { by: "field", field: "topic", dir: "asc" }, limit: 300 }));
    expect(byTopic.map((r) => r.values.topic)).toEqual([...byTopic.map((r) => r.values.topic as string)].sort());
    const byCost = await recordPage(db, datasetId, page({ sort: { by: "cost", dir: "desc" }, limit: 300 }));
    expect(byCost.map((r) => r.costUsd)).toEqual([...byCost.map((r) => r.costUsd)].sort((a, b) => b - a));
    const byTokens = await recordPage(db, datasetId, page({ sort: { by: "tokens", dir: "asc" }, limit: 300 }));
    const tokens = byTokens.map((r) => r.tokensIn + r.tokensOut);
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
  });

  test("long values are clipped in the grid and whole in the detail, with provenance", async () => {
    const { datasetId } = await dataset(3);
    const [row] = await recordPage(db, datasetId, page({ limit: 1 }));
    expect(row.clipped).toEqual(["answer"]);
    expect((row.values.answer as string).length).toBe(400);
    const d = await recordDetail(db, row.id);
    expect((d.values.answer as string).length).toBeGreaterThan(400);
    expect(d.provenance.llm?.answer.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(d.provenance.sampled).toMatchObject({ topic: SEED_TOPICS[0] });
    const setup = await reviewSetup(db, datasetId);
    expect(setup.fields).toEqual(["topic", "difficulty", "n", "question", "answer"]);
    expect(setup.labelSchema.labels.map((l) => l.name)).toEqual(["quality", "tags", "stars", "note"]);
  });
});

describe("the grid's next page, started after the row before it", () => {
  // The grid asks page k + 1 after page k's last row (PageQuery.after); it must hold the
  // same records, in the same order, as the page at that offset, in every sort: ties
  // broken by position, records without a key (no such field, not reviewed, not judged)
  // in their own block before or after the others.
  const sorts: PageQuery["sort"][] = [
    { by: "position", dir: "asc" },
    { by: "position", dir: "desc" },
    { by: "cost", dir: "desc" },
    { by: "tokens", dir: "asc" },
    { by: "latency", dir: "desc" },
    { by: "reviewedAt", dir: "asc" },
    { by: "reviewedAt", dir: "desc" },
    { by: "field", field: "n", dir: "asc" },
    { by: "field", field: "n", dir: "desc" },
    { by: "judge", field: "judge", criterion: "quality", dir: "asc" },
    { by: "judge", field: "judge", criterion: "quality", dir: "desc" },
  ];

  test("pages started after a row are the pages at their offsets, in every sort", async () => {
    const { datasetId } = await dataset(90);
    const all = await recordPage(db, datasetId, page());
    // Keys missing on some records, and ties among those that have one.
    await sql.query(`update "Record" set values = values - 'n' where "datasetId" = $1 and index % 7 = 0`, [datasetId]);
    await sql.query(`update "Record" set values = values || jsonb_build_object('judge', jsonb_build_object('quality', jsonb_build_object('score', index % 4))) where "datasetId" = $1 and index % 3 > 0`, [
      datasetId,
    ]);
    for (const r of all.filter((_, i) => i % 5 === 0)) await decide(db, { recordId: r.id, revision: 0, reviewer: ME, decision: decisionFor(r.index) });
    for (const filter of [{}, { reviewState: ["unreviewed" as const] }]) {
      for (const sort of sorts) {
        const expected = (await recordPage(db, datasetId, page({ filter, sort }))).map((r) => r.id);
        const walked: string[] = [];
        let after: string | undefined;
        for (let offset = 0; offset < expected.length; offset += 7) {
          // No offset with the row: only starting after it puts these pages in place.
          const rows = await recordPage(db, datasetId, page({ filter, sort, offset: after ? 0 : offset, limit: 7, after }));
          walked.push(...rows.map((r) => r.id));
          after = rows.at(-1)?.id;
        }
        expect({ filter, sort, ids: walked }).toEqual({ filter, sort, ids: expected });
      }
    }
  });

  test("a page after a row that is gone is the page at its offset", async () => {
    const { datasetId } = await dataset(30);
    const rows = await recordPage(db, datasetId, page());
    await sql.query(`delete from "Record" where id = $1`, [rows[9].id]);
    const next = await recordPage(db, datasetId, page({ offset: 10, limit: 5, after: rows[9].id }));
    expect(next.map((r) => r.id)).toEqual(rows.slice(11, 16).map((r) => r.id));
  });
});

describe("a page's values, clipped values and scores", () => {
  test("come from one walk over each record's values", async () => {
    // Each walk unpacks the stored value again: three of them made a page five times slower.
    const { datasetId } = await dataset(3);
    const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>`explain (verbose) ${recordPageSql(datasetId, page())}`;
    const walks = plan.map((l) => l["QUERY PLAN"]).join("\n").match(/jsonb_each\(r\.(values|"values")\)/g) ?? [];
    expect(walks).toHaveLength(1);
  });

  test("are shaped as before for strings, other values, judges' scores and empty values", async () => {
    const { datasetId } = await dataset(2);
    const [a, b] = await recordPage(db, datasetId, page({ limit: 2 }));
    const long = "x".repeat(450);
    const judge = { quality: { score: 4, reason: "fine" }, tone: { score: "pass" }, note: "not a criterion" };
    await sql.query(`update "Record" set values = $2 where id = $1`, [a.id, JSON.stringify({ text: long, n: 7, list: [1, "two"], nothing: null, judge, empty: {} })]);
    await sql.query(`update "Record" set values = '{}' where id = $1`, [b.id]);
    const [ra, rb] = await recordPage(db, datasetId, page({ limit: 2 }));
    expect(ra.values).toEqual({ text: long.slice(0, 400), n: 7, list: [1, "two"], nothing: null, judge, empty: {} });
    expect(ra.clipped).toEqual(["text"]);
    expect(ra.scores).toEqual({ judge: { quality: 4, tone: "pass" } });
    expect(rb).toMatchObject({ values: {}, clipped: [], scores: {} });
    expect(await recordRow(db, a.id)).toEqual(ra);
  });
});

describe("single-record decisions", () => {
  test("accept records who and when, and bumps the revision; a stale revision is a conflict that changes nothing", async () => {
    const { datasetId } = await dataset(5);
    const [r] = await recordPage(db, datasetId, page({ limit: 1 }));
    const a = await decide(db, { recordId: r.id, revision: r.revision, reviewer: ME, decision: "accept" });
    expect(a).toMatchObject({ reviewState: "accepted", reviewedBy: ME, revision: 1 });
    expect(Date.now() - Date.parse(a.reviewedAt!)).toBeLessThan(60_000);

    // Bo loaded the record before Ana's accept and rejects it: refused, with who did what.
    await expect(decide(db, { recordId: r.id, revision: 0, reviewer: "Bo", decision: "reject" })).rejects.toThrow(
      /Ana accepted this record after you loaded it/,
    );
    expect((await recordDetail(db, r.id)).reviewState).toBe("accepted");
    expect(await reviewStats(db, datasetId)).toEqual({ total: 5, accepted: 1, rejected: 0, judged: 0, judgeOnly: 0 });
  });

  test("labels are checked against the schema", async () => {
    const { datasetId } = await dataset(2);
    const [r] = await recordPage(db, datasetId, page({ limit: 1 }));
    await expect(setLabels(db, { recordId: r.id, revision: 0, reviewer: ME, labels: { quality: "meh" } })).rejects.toThrow(/must be one of: good, bad/);
    await expect(setLabels(db, { recordId: r.id, revision: 0, reviewer: ME, labels: { stars: 7 } })).rejects.toThrow(/rating from 1 to 5/);
    await expect(setLabels(db, { recordId: r.id, revision: 0, reviewer: ME, labels: { colour: "red" } })).rejects.toThrow(/no label called "colour"/);
    const ok = await setLabels(db, { recordId: r.id, revision: 0, reviewer: ME, labels: { quality: "good", note: "fine" } });
    expect(ok.labels).toEqual({ quality: "good", note: "fine" });
  });

  test("an edit to a value that is not a string adds its field to nonTextFields; nothing takes one away", async () => {
    const { datasetId } = await dataset(2);
    const [r, other] = await recordPage(db, datasetId, page({ limit: 2 }));
    const listed = async (id: string) => (await sql.query(`select "nonTextFields" as f from "Record" where id = $1`, [id])).rows[0].f;
    expect(await listed(r.id)).toEqual(["n"]);
    const e1 = await editField(db, { recordId: r.id, revision: 0, reviewer: ME, field: "question", value: "Still text?" });
    expect(await listed(r.id)).toEqual(["n"]);
    const e2 = await editField(db, { recordId: r.id, revision: e1.revision, reviewer: ME, field: "question", value: { text: "now JSON" } });
    expect(await listed(r.id)).toEqual(["n", "question"]);
    await editField(db, { recordId: r.id, revision: e2.revision, reviewer: ME, field: "question", value: 42 });
    expect(await listed(r.id)).toEqual(["n", "question"]);
    await undoAction(db, { datasetId, reviewer: ME });
    await undoAction(db, { datasetId, reviewer: ME });
    expect((await recordDetail(db, r.id)).values.question).toBe("Still text?");
    expect(await listed(r.id)).toEqual(["n", "question"]); // a superset is still true
    // Not known stays not known: the export keeps asking every value's type.
    await sql.query(`update "Record" set "nonTextFields" = null where id = $1`, [other.id]);
    await editField(db, { recordId: other.id, revision: 0, reviewer: ME, field: "question", value: 7 });
    expect(await listed(other.id)).toBeNull();
  });

  test("an edit keeps the original and who changed it when; undo restores the text and the history", async () => {
    const { datasetId } = await dataset(2);
    const [r] = await recordPage(db, datasetId, page({ limit: 1 }));
    const original = (await recordDetail(db, r.id)).values.question;
    const e1 = await editField(db, { recordId: r.id, revision: 0, reviewer: ME, field: "question", value: "Fixed once?" });
    const e2 = await editField(db, { recordId: r.id, revision: e1.revision, reviewer: "Bo", field: "question", value: "Fixed twice?" });
    expect(e2.edited).toEqual(["question"]);
    const d = await recordDetail(db, r.id);
    expect(d.values.question).toBe("Fixed twice?");
    expect(d.edits.question.map((x) => [x.from, x.to, x.by])).toEqual([
      [original, "Fixed once?", ME],
      ["Fixed once?", "Fixed twice?", "Bo"],
    ]);
    expect(Date.parse(d.edits.question[0].at)).toBeGreaterThan(Date.now() - 60_000);
    await expect(editField(db, { recordId: r.id, revision: 0, reviewer: ME, field: "nope", value: "x" })).rejects.toThrow(/no field called "nope"/);

    const u = await undoAction(db, { datasetId, reviewer: "Bo" });
    expect(u).toMatchObject({ kind: "edit", restored: 1, skipped: 0 });
    const after = await recordDetail(db, r.id);
    expect(after.values.question).toBe("Fixed once?");
    expect(after.edits.question).toHaveLength(1);
  });

  test("undo takes back my last decision, not someone else's, and only once", async () => {
    const { datasetId } = await dataset(3);
    const [r1, r2] = await recordPage(db, datasetId, page({ limit: 2 }));
    await decide(db, { recordId: r1.id, revision: 0, reviewer: ME, decision: "accept" });
    await decide(db, { recordId: r2.id, revision: 0, reviewer: "Bo", decision: "reject" });
    const u = await undoAction(db, { datasetId, reviewer: ME });
    expect(u.row).toMatchObject({ id: r1.id, reviewState: "unreviewed", reviewedBy: null, revision: 2 });
    expect((await recordDetail(db, r2.id)).reviewState).toBe("rejected");
    await expect(undoAction(db, { datasetId, reviewer: ME, actionId: u.actionId })).rejects.toThrow(/Ana already undid this/);
    await expect(undoAction(db, { datasetId, reviewer: ME })).rejects.toThrow(/Nothing to undo/);
  });

  test("actions in the same millisecond keep their order: the later one is listed and undone first", async () => {
    const { datasetId } = await dataset(2);
    const [r1, r2] = await recordPage(db, datasetId, page({ limit: 2 }));
    await decide(db, { recordId: r1.id, revision: 0, reviewer: ME, decision: "accept" });
    await decide(db, { recordId: r2.id, revision: 0, reviewer: ME, decision: "reject" });
    // What a fast machine does by chance: both stamped with the same millisecond.
    const at = "2026-11-22T10:00:00.000Z";
    await sql.query(`update "ReviewAction" set "createdAt" = $2 where "datasetId" = $1`, [datasetId, at]);
    await sql.query(`update "Record" set "reviewedAt" = $2 where "datasetId" = $1 and "reviewedAt" is not null`, [datasetId, at]);
    expect((await listActions(db, datasetId)).map((a) => a.kind)).toEqual(["reject", "accept"]);
    expect((await undoAction(db, { datasetId, reviewer: ME })).row).toMatchObject({ id: r2.id, reviewState: "unreviewed" });
    expect((await recordDetail(db, r1.id)).reviewState).toBe("accepted");
  });

  test("undo walks back several changes to one record, newest first", async () => {
    const { datasetId } = await dataset(1);
    const [r] = await recordPage(db, datasetId, page({ limit: 1 }));
    const a = await decide(db, { recordId: r.id, revision: 0, reviewer: ME, decision: "accept" });
    const l = await setLabels(db, { recordId: r.id, revision: a.revision, reviewer: ME, labels: { quality: "good" } });
    await decide(db, { recordId: r.id, revision: l.revision, reviewer: ME, decision: "reject" });
    expect((await undoAction(db, { datasetId, reviewer: ME })).row).toMatchObject({ reviewState: "accepted", labels: { quality: "good" } });
    expect((await undoAction(db, { datasetId, reviewer: ME })).row).toMatchObject({ reviewState: "accepted", labels: {} });
    expect((await undoAction(db, { datasetId, reviewer: ME })).row).toMatchObject({ reviewState: "unreviewed", labels: {}, revision: 6 });
  });

  test("comments are kept in order with their author", async () => {
    const { datasetId } = await dataset(1);
    const [r] = await recordPage(db, datasetId, page({ limit: 1 }));
    await addComment(db, { recordId: r.id, reviewer: ME, body: "Answer is off-topic." });
    await addComment(db, { recordId: r.id, reviewer: "Bo", body: "Agreed." });
    expect((await recordDetail(db, r.id)).comments.map((c) => `${c.author}: ${c.body}`)).toEqual(["Ana: Answer is off-topic.", "Bo: Agreed."]);
  });
});

describe("bulk", () => {
  test("accept everything matching a filter in one action, leaving decided records alone; undo restores exactly", async () => {
    const { datasetId } = await dataset(2000);
    const rows = await recordPage(db, datasetId, page({ filter: { values: [{ field: "topic", op: "eq", value: "music" }] }, limit: 3 }));
    await decide(db, { recordId: rows[0].id, revision: 0, reviewer: "Bo", decision: "reject" });
    await decide(db, { recordId: rows[1].id, revision: 0, reviewer: "Bo", decision: "accept" });

    const filter = { values: [{ field: "topic", op: "eq" as const, value: "music" }] };
    const res = await bulkDecide(db, { datasetId, target: { filter }, reviewer: ME, decision: "accept" });
    expect(res.count).toBe(250 - 1); // the one Bo already accepted is not touched
    expect(await countRecords(db, datasetId, { ...filter, reviewState: ["accepted"] })).toBe(250);
    expect(await countRecords(db, datasetId, { reviewState: ["accepted"] })).toBe(250);
    const boAccepted = await recordDetail(db, rows[1].id);
    expect(boAccepted.reviewedBy).toBe("Bo");

    // Someone changes one of them after the bulk action: undo leaves it and says so.
    const changed = await recordDetail(db, rows[2].id);
    await decide(db, { recordId: rows[2].id, revision: changed.revision, reviewer: "Bo", decision: "reject" });

    const u = await undoAction(db, { datasetId, reviewer: ME, actionId: res.actionId! });
    expect(u).toMatchObject({ restored: 248, skipped: 1 });
    expect((await recordDetail(db, rows[0].id)).reviewState).toBe("rejected"); // Bo's reject is back
    expect((await recordDetail(db, rows[0].id)).reviewedBy).toBe("Bo");
    expect((await recordDetail(db, rows[2].id)).reviewState).toBe("rejected");
    expect(await countRecords(db, datasetId, { reviewState: ["accepted"] })).toBe(1);
    expect(await countRecords(db, datasetId, { reviewState: ["unreviewed"] })).toBe(2000 - 3);
  });

  test("selected ids, and labels in bulk: multi adds an option, single sets, null clears; undo restores labels", async () => {
    const { datasetId } = await dataset(50);
    const rows = await recordPage(db, datasetId, page({ limit: 10 }));
    const ids = rows.map((r) => r.id);
    await setLabels(db, { recordId: ids[0], revision: 0, reviewer: "Bo", labels: { tags: ["long"] } });
    const rej = await bulkDecide(db, { datasetId, target: { ids: ids.slice(0, 4) }, reviewer: ME, decision: "reject" });
    expect(rej.count).toBe(4);

    const add = await bulkLabel(db, { datasetId, target: { ids }, reviewer: ME, label: "tags", value: "math" });
    expect(add.count).toBe(10);
    expect((await recordDetail(db, ids[0])).labels).toEqual({ tags: ["long", "math"] });
    const again = await bulkLabel(db, { datasetId, target: { ids }, reviewer: ME, label: "tags", value: "math" });
    expect(again).toEqual({ actionId: null, count: 0 });
    await bulkLabel(db, { datasetId, target: { filter: { reviewState: ["rejected"] } }, reviewer: ME, label: "quality", value: "bad" });
    expect(await countRecords(db, datasetId, { labels: { quality: ["bad"] } })).toBe(4);
    await expect(bulkLabel(db, { datasetId, target: { ids }, reviewer: ME, label: "quality", value: "meh" })).rejects.toThrow(/one of: good, bad/);

    await undoAction(db, { datasetId, reviewer: ME }); // the quality label
    await undoAction(db, { datasetId, reviewer: ME }); // the tags
    expect((await recordDetail(db, ids[0])).labels).toEqual({ tags: ["long"] });
    expect(await countRecords(db, datasetId, { labels: { quality: ["bad"] } })).toBe(0);
    expect(await countRecords(db, datasetId, { reviewState: ["rejected"] })).toBe(4);
    const history = await listActions(db, datasetId);
    expect(history.map((a) => [a.kind, a.count, a.undoneBy])).toEqual([
      ["label", 4, ME],
      ["label", 10, ME],
      ["reject", 4, null],
      ["label", 1, null],
    ]);
  });

  test("10,000 records: bulk accept and undo are one statement each and stay fast", async () => {
    const { datasetId } = await dataset(10_000);
    let t = performance.now();
    const res = await bulkDecide(db, { datasetId, target: { filter: { status: ["succeeded"] } }, reviewer: ME, decision: "accept" });
    const acceptMs = performance.now() - t;
    expect(res.count).toBe(9800);
    const snapshots = await db.reviewSnapshot.count({ where: { actionId: res.actionId! } });
    expect(snapshots).toBe(1); // all were unreviewed at revision 0: one group
    t = performance.now();
    expect(await undoAction(db, { datasetId, reviewer: ME })).toMatchObject({ restored: 9800, skipped: 0 });
    const undoMs = performance.now() - t;
    expect(await countRecords(db, datasetId, { reviewState: ["unreviewed"] })).toBe(10_000);
    // Generous bounds for a shared machine; the 100,000-record figures are in bench/review.ts.
    expect(acceptMs).toBeLessThan(3000);
    expect(undoMs).toBeLessThan(3000);
  });
});
