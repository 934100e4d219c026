// Judge-suggested labels against a real run on the fake server: a suggestion is read from
// the judge's scores and is not a label (the record, the label tallies and the label filter
// know nothing of it) until a person confirms it, which is an ordinary, undoable label write.
import { describe, expect, test } from "vitest";
import { testDb } from "@/lib/testing/db";
import { datasetOnFakeLlm, fakeLlmProject, judgedStories, ON_TOPIC, runToEnd, SIMPLE_1_TO_5 } from "@/lib/testing/runs";
import type { LabelSchema } from "../labels";
import { DEFAULT_SORT } from "../schemas";
import { confirmSuggestions, suggestedLabels } from "../suggestions";
import { saveLabelSchema, setLabels, undoAction } from "./decisions";
import { countRecords, recordPage } from "./records";

const db = testDb();
const ctx = fakeLlmProject(db, "Suggestions");

const SCHEMA: LabelSchema = {
  labels: [
    { name: "verdict", kind: "single", options: ["Pass", "Fail"], suggest: { judge: "quality", criterion: "on_topic" } },
    { name: "stars", kind: "rating", suggest: { judge: "quality", criterion: "simple" } },
  ],
};

async function judgedDataset(records: number) {
  const s = await datasetOnFakeLlm(db, ctx.projectId, ctx.fake.url, judgedStories([SIMPLE_1_TO_5, ON_TOPIC]));
  await runToEnd(db, s, records, 7);
  await saveLabelSchema(db, s.datasetId, SCHEMA);
  return s.datasetId;
}

const labelTallies = async (datasetId: string) =>
  (await db.healthTally.findMany({ where: { datasetId, kind: "label", count: { not: 0 } }, select: { field: true, value: true, count: true } })).sort((a, b) =>
    `${a.field}${a.value}`.localeCompare(`${b.field}${b.value}`),
  );

describe("judge-suggested labels", () => {
  test("a suggestion is not a label until confirmed; confirming is a label write that undo takes back", async () => {
    const datasetId = await judgedDataset(4);
    const rows = await recordPage(db, datasetId, { filter: {}, sort: DEFAULT_SORT, offset: 0, limit: 10 });
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.labels).toEqual({});
      // Every judged record has a suggestion for both labels, from its own scores.
      const s = suggestedLabels(SCHEMA, r.labels, r.scores);
      expect(s).toEqual({ verdict: r.scores.quality.on_topic === "pass" ? "Pass" : "Fail", stars: r.scores.quality.simple });
    }
    // Nothing stored: no label tallies, and the label filter finds no record.
    expect(await labelTallies(datasetId)).toEqual([]);
    expect(await countRecords(db, datasetId, { labels: { verdict: ["Pass", "Fail"] } })).toBe(0);

    // Confirming (Shift+C in the grid) writes the suggestions as the person's labels.
    const [first] = rows;
    const confirmed = confirmSuggestions(SCHEMA, first.labels, first.scores)!;
    const patch = await setLabels(db, { recordId: first.id, revision: first.revision, reviewer: "Ana", labels: confirmed as Record<string, string | number | string[]> });
    expect(patch.labels).toEqual(confirmed);
    expect(await countRecords(db, datasetId, { labels: { verdict: ["Pass", "Fail"] } })).toBe(1);
    expect(await labelTallies(datasetId)).toEqual(
      [
        { field: "stars", value: String(confirmed.stars), count: 1 },
        { field: "verdict", value: String(confirmed.verdict), count: 1 },
      ].sort((a, b) => `${a.field}${a.value}`.localeCompare(`${b.field}${b.value}`)),
    );
    // A confirmed label is no longer a suggestion.
    expect(suggestedLabels(SCHEMA, patch.labels, first.scores)).toEqual({});

    // Undo brings back the record without labels, and the suggestion with it.
    const undone = await undoAction(db, { datasetId, reviewer: "Ana" });
    expect(undone).toMatchObject({ kind: "label", restored: 1, skipped: 0 });
    const [again] = await recordPage(db, datasetId, { filter: {}, sort: DEFAULT_SORT, offset: 0, limit: 1 });
    expect(again.labels).toEqual({});
    expect(await labelTallies(datasetId)).toEqual([]);
    expect(suggestedLabels(SCHEMA, again.labels, again.scores)).toEqual(suggestedLabels(SCHEMA, {}, first.scores));
  });
});
