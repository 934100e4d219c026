// Self-Instruct runs against the fake OpenAI-compatible server: the recipe's pool grows in
// its table round by round, with the lineage of each new instruction; the round counts
// match the records; rejected candidates cost no response call and carry their closest
// pool instruction; a run whose filters keep nothing stops as saturated.
import { describe, expect, test } from "vitest";
import type { Blueprint, PoolField } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import type { RecordChecks } from "@/lib/quality/validators/evaluate";
import { rougeLF1, rougeTokens, lcsDynamic } from "@/lib/recipes/rouge-filter";
import { SATURATION_MESSAGE, type PoolRoundStats } from "@/lib/recipes/self-instruct";
import { SELF_INSTRUCT_SEEDS } from "@/lib/recipes/self-instruct-seeds";
import { testDb, uniqueName } from "@/lib/testing/db";
import { fakeLlmProject } from "@/lib/testing/runs";
import { executeRun } from "./executor";
import { runProgress } from "./progress";
import { launchRun } from "./runs";

const db = testDb();
const ctx = fakeLlmProject(db, "SelfInstruct");

/** The Self-Instruct recipe's dataset (its pool table created with it), its pool field changed by `pool`. */
export async function selfInstructDataset(pool: Partial<PoolField>, edit: (b: Blueprint) => Blueprint = (b) => b) {
  const dataset = await createDataset(db, { projectId: ctx.projectId, name: uniqueName("si"), starter: "self-instruct" });
  const draft = dataset.draft as Blueprint;
  const blueprint = edit({ fields: draft.fields.map((f) => (f.kind === "pool" ? { ...f, ...pool } : f)) });
  await saveDraft(db, dataset.id, blueprint, dataset.draftRevision);
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: ctx.fake.url, apiKey: "sk-test-right", defaultModel: "gpt-4o-mini", maxConcurrency: 8 }));
  const field = blueprint.fields.find((f): f is PoolField => f.kind === "pool")!;
  return { datasetId: dataset.id, connectionId: conn.id, tableId: field.seedTableId };
}

type PoolRow = { index: number; data: { instruction: string; origin?: string; round?: number; parents?: string[] } };

describe("Self-Instruct runs", () => {
  test("the pool grows across rounds to its target; counts, lineage and closest matches are stored; rejected candidates cost no response", async () => {
    const s = await selfInstructDataset({ targetSize: 150, perRound: 20 });
    ctx.fake.reset();
    const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: 300, seed: 4, settings: { concurrency: 4 } }, async () => {});
    await executeRun(db, r.id);
    const run = await db.run.findUniqueOrThrow({ where: { id: r.id } });
    expect(run.status).toBe("completed");

    const rows = (await db.seedRow.findMany({ where: { seedTableId: s.tableId }, orderBy: { index: "asc" } })) as unknown as PoolRow[];
    expect(rows.map((x) => x.index)).toEqual(rows.map((_, i) => i));
    expect(rows.length).toBeGreaterThanOrEqual(150);
    expect(rows.length).toBeLessThan(150 + 20);
    expect(rows.slice(0, SELF_INSTRUCT_SEEDS.length).map((x) => x.data.instruction)).toEqual([...SELF_INSTRUCT_SEEDS]);
    const generated = rows.slice(SELF_INSTRUCT_SEEDS.length);
    expect(generated.every((x) => x.data.origin === "generated")).toBe(true);
    // Lineage: each new instruction names pool items that existed before it, seeds and (from round 2) generated ones.
    for (const x of generated) {
      expect(x.data.parents!.length).toBeGreaterThanOrEqual(6);
      for (const p of x.data.parents!) expect(Number(p)).toBeLessThan(x.index);
    }
    expect(generated.some((x) => x.data.parents!.some((p) => Number(p) >= SELF_INSTRUCT_SEEDS.length))).toBe(true);
    // Exactly: no pool member is within ROUGE-L 0.7 of an earlier one.
    for (let i = SELF_INSTRUCT_SEEDS.length; i < rows.length; i++) {
      const a = rougeTokens(rows[i].data.instruction);
      for (let j = 0; j < i; j++) {
        const b = rougeTokens(rows[j].data.instruction);
        expect(rougeLF1(lcsDynamic(a, b), a.length, b.length)).toBeLessThanOrEqual(0.7);
      }
    }
    const table = await db.seedTable.findUniqueOrThrow({ where: { id: s.tableId } });
    expect(table.rowCount).toBe(rows.length);
    expect(table.columns).toEqual(["instruction", "origin", "round", "parents"]);

    // The rounds' counts are the records'.
    const rounds = run.poolRounds as unknown as PoolRoundStats[];
    expect(rounds.length).toBeGreaterThan(2);
    expect(rounds.map((x) => x.round)).toEqual(rounds.map((_, i) => i + 1));
    const records = await db.record.findMany({ where: { runId: r.id }, orderBy: { index: "asc" } });
    expect(records.length).toBe(rounds.reduce((n, x) => n + x.candidates, 0));
    expect(generated.length).toBe(rounds.reduce((n, x) => n + x.kept, 0));
    const rejectedBy: Record<string, number> = {};
    for (const rec of records) {
      const checks = rec.checks as RecordChecks;
      const values = rec.values as Record<string, unknown>;
      if (!rec.rejected) {
        expect(values.response).toEqual(expect.any(String));
        continue;
      }
      // A rejected candidate has no response: its call was never made.
      expect(values).not.toHaveProperty("response");
      const by = ["word_count", "blocklist", "novel"].find((v) => !checks[v].pass)!;
      rejectedBy[by] = (rejectedBy[by] ?? 0) + 1;
      if (by === "novel") {
        expect(checks.novel.score).toBeGreaterThan(0.7);
        expect(rows.some((x) => x.data.instruction === checks.novel.closest)).toBe(true);
      }
    }
    const summed: Record<string, number> = {};
    for (const x of rounds) for (const [k, n] of Object.entries(x.rejected)) summed[k] = (summed[k] ?? 0) + n;
    expect(summed).toEqual(rejectedBy);
    expect(rejectedBy.novel).toBeGreaterThan(0);
    expect(ctx.fake.stats().chatCompletions).toBe(records.length + generated.length);

    // The run page and the API read the same counts, and a rejected candidate's closest match.
    const progress = await runProgress(db, r.id);
    expect(progress.pool).toMatchObject({ field: "pool_examples", size: rows.length, target: 150 });
    expect(progress.pool!.rounds).toEqual(rounds);
    const closest = rounds.find((x) => x.closest)!.closest!;
    expect(closest.score).toBeGreaterThan(0.7);
    const rejected = records.find((x) => x.index === closest.recordIndex)!;
    expect((rejected.checks as RecordChecks).novel).toMatchObject({ pass: false, closest: closest.instruction, score: closest.score });
  }, 120_000);

  test("five rounds in a row that keep nothing stop the run as saturated", async () => {
    // A word-count bound no instruction meets: every candidate is rejected by it. The fake's
    // instructions have 2 to about 15 words (fake-llm/instruction.ts); a bound of 1-2 words
    // kept "Discuss volcanoes." now and then, and the run went on past five rounds.
    const s = await selfInstructDataset({ targetSize: 100, perRound: 3 }, (b) => ({
      fields: b.fields.map((f) => (f.kind === "validator" && f.check.type === "length" ? { ...f, check: { ...f.check, min: 100, max: 200 } } : f)),
    }));
    ctx.fake.reset();
    const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: 100, seed: 2, settings: { concurrency: 3 } }, async () => {});
    await executeRun(db, r.id);
    const run = await db.run.findUniqueOrThrow({ where: { id: r.id } });
    expect(run.status).toBe("partial");
    expect(run.stopReason).toBe(SATURATION_MESSAGE);
    expect((run.poolRounds as unknown as PoolRoundStats[]).map((x) => x.kept)).toEqual([0, 0, 0, 0, 0]);
    expect(await db.record.count({ where: { runId: r.id } })).toBe(15);
    expect(ctx.fake.stats().chatCompletions).toBe(15);
    expect(await db.seedRow.count({ where: { seedTableId: s.tableId } })).toBe(SELF_INSTRUCT_SEEDS.length);
  }, 60_000);

  test("a pool with fewer seeds than a prompt's human share is refused at launch with the message shown beside the input", async () => {
    const s = await selfInstructDataset({ human: 30 });
    const launched = launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records: 10, seed: 1, settings: {} }, async () => {});
    await expect(launched).rejects.toThrow(/25 seed instructions; each prompt shows 30/);
  });

});
