// Reviewed by a person vs decided by the judge alone (reviewStats), kept in the health
// tallies ('judged' by review state) by every write and compared with a direct count: a
// judged run, records without a verdict, single and bulk decisions, undo, an edit of the
// verdict, a delete, and a judge added to the draft after records landed.
import { describe, expect, test } from "vitest";
import { saveDraft } from "@/lib/datasets/server/datasets";
import { bulkDecide, decide, editField, undoAction } from "@/lib/review/server/decisions";
import { reviewStats } from "@/lib/review/server/records";
import { testDb } from "@/lib/testing/db";
import { datasetOnFakeLlm, fakeLlmProject, judgedStories, ON_TOPIC, runToEnd } from "@/lib/testing/runs";

const db = testDb();
const ctx = fakeLlmProject(db, "Judged");

const withJudge = judgedStories([ON_TOPIC]);
const withoutJudge = judgedStories([ON_TOPIC], "gpt-4o-mini", false);
const run = (s: { datasetId: string; connectionId: string }, records: number, seed: number) => runToEnd(db, s, records, seed);

/** The same figures straight from the records. */
async function direct(datasetId: string) {
  const [d] = await db.$queryRaw<{ judged: number; judgeOnly: number; reviewed: number }[]>`
    select count(*) filter (where jsonb_typeof(values->'quality') = 'object')::int as judged,
      count(*) filter (where jsonb_typeof(values->'quality') = 'object' and "reviewState" = 'unreviewed')::int as "judgeOnly",
      count(*) filter (where "reviewState" <> 'unreviewed')::int as reviewed
    from "Record" where "datasetId" = ${datasetId}::uuid`;
  return d;
}
async function expectInStep(datasetId: string, judged: number, judgeOnly: number) {
  const s = await reviewStats(db, datasetId);
  expect({ judged: s.judged, judgeOnly: s.judgeOnly, reviewed: s.accepted + s.rejected }).toEqual(await direct(datasetId));
  expect({ judged: s.judged, judgeOnly: s.judgeOnly }).toEqual({ judged, judgeOnly });
}

describe("reviewed by a person vs by the judge alone", () => {
  test("every write keeps the count, read from the tallies", async () => {
    const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, withJudge);
    await reviewStats(db, s.datasetId); // the records page registers the judge before records land
    const rows = await run(s, 8, 1);
    await expectInStep(s.datasetId, 8, 8);

    // Records without a verdict (a draft without the judge) count as neither.
    await saveDraft(db, s.datasetId, withoutJudge, 1);
    const plain = await run(s, 3, 2);
    await saveDraft(db, s.datasetId, withJudge, 2);
    await expectInStep(s.datasetId, 8, 8);

    const a = await decide(db, { recordId: rows[0].id, revision: rows[0].revision, reviewer: "Ana", decision: "accept" });
    await decide(db, { recordId: rows[1].id, revision: rows[1].revision, reviewer: "Ana", decision: "reject" });
    await decide(db, { recordId: plain[0].id, revision: plain[0].revision, reviewer: "Ana", decision: "accept" });
    await expectInStep(s.datasetId, 8, 6);

    await bulkDecide(db, { datasetId: s.datasetId, reviewer: "Bo", decision: "accept", target: { ids: rows.slice(2, 5).map((r) => r.id) } });
    await expectInStep(s.datasetId, 8, 3);
    await undoAction(db, { datasetId: s.datasetId, reviewer: "Bo" });
    await expectInStep(s.datasetId, 8, 6);

    // An edit of the verdict keeps it a verdict.
    await editField(db, { recordId: rows[0].id, revision: a.revision, reviewer: "Ana", field: "quality", value: { on_topic: { score: "fail", reason: "no" } } });
    await expectInStep(s.datasetId, 8, 6);

    await db.record.delete({ where: { id: rows[7].id } });
    await expectInStep(s.datasetId, 7, 5);
  });

  test("a judge added to the draft after its records landed is counted once, from the records", async () => {
    const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, withJudge);
    await run(s, 5, 3);
    // Nothing registered the judge while the records landed: the first read counts them.
    expect(await db.healthField.count({ where: { datasetId: s.datasetId, kind: "judge" } })).toBe(0);
    await expectInStep(s.datasetId, 5, 5);
    // The judge leaves the draft (and the grid's judge columns with it): no judge counts;
    // back again: counted again.
    await saveDraft(db, s.datasetId, withoutJudge, 1);
    expect(await reviewStats(db, s.datasetId)).toMatchObject({ judged: 0, judgeOnly: 0 });
    await saveDraft(db, s.datasetId, withJudge, 2);
    await expectInStep(s.datasetId, 5, 5);
  });
});
