// The Self-Instruct pool grows in its seed table round by round, and a replayed round
// (the run was killed after writing it but before recording that it had) adds nothing.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mulberry32 } from "@/lib/blueprints/rng";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import { SELF_INSTRUCT_SEEDS } from "../self-instruct-seeds";
import { DEFAULT_MIX, filterRound, pickPoolExamples } from "../self-instruct";
import { appendRound, loadPool } from "./self-instruct-pool";

const db = testDb();
let seedTableId: string;

beforeAll(async () => {
  const project = await createProject(db, { name: uniqueName("SelfInstruct") });
  const dataset = await createDataset(db, { projectId: project.id, name: uniqueName("pool") });
  const table = await db.seedTable.create({
    data: { datasetId: dataset.id, name: "pool.jsonl", format: "jsonl", columns: ["instruction"], rowCount: 20, byteSize: 0 },
  });
  seedTableId = table.id;
  await db.seedRow.createMany({ data: SELF_INSTRUCT_SEEDS.slice(0, 20).map((instruction, index) => ({ seedTableId, index, data: { instruction } })) });
});
afterAll(() => db.$disconnect());

const ROUNDS = [
  ["Write a bedtime story about a brave little turtle", "Write a short bedtime story about a brave little turtle", "Name four rivers that flow through Europe"],
  ["Explain how compound interest grows savings over ten years", "Too short", "Describe the rules of chess for a complete beginner"],
];

describe("Self-Instruct pool", () => {
  test("grows across rounds with origin, round and lineage, and a replayed round adds nothing", async () => {
    const starts: number[] = [];
    for (const [r, candidates] of ROUNDS.entries()) {
      const { items, rouge } = await loadPool(db, seedTableId);
      starts.push(items.length);
      const parents = pickPoolExamples(items, DEFAULT_MIX, mulberry32(r)).map((p) => p.id);
      const { outcomes } = filterRound(rouge, candidates);
      const kept = outcomes.filter((o) => o.kept).map((o) => ({ instruction: o.instruction, parents }));
      await appendRound(db, { seedTableId, round: r + 1, startIndex: items.length, kept });
    }
    // Round 1 keeps 2 of 3 (the near-duplicate is rejected within the round), round 2 keeps 2 of 3.
    expect(starts).toEqual([20, 22]);
    const { items, rouge } = await loadPool(db, seedTableId);
    expect(items).toHaveLength(24);
    expect(items.filter((i) => i.origin === "generated").map((i) => i.instruction)).toEqual([
      ROUNDS[0][0], ROUNDS[0][2], ROUNDS[1][0], ROUNDS[1][2],
    ]);
    const row = await db.seedRow.findUniqueOrThrow({ where: { seedTableId_index: { seedTableId, index: 22 } } });
    expect(row.data).toMatchObject({ origin: "generated", round: 2 });
    expect((row.data as { parents: string[] }).parents.length).toBeGreaterThan(6);
    expect((await db.seedTable.findUniqueOrThrow({ where: { id: seedTableId } })).rowCount).toBe(24);

    // Replaying round 2 from the pool it was planned on writes the same keys: nothing added.
    const replay = await appendRound(db, { seedTableId, round: 2, startIndex: 22, kept: [{ instruction: ROUNDS[1][0], parents: [] }, { instruction: ROUNDS[1][2], parents: [] }] });
    expect(replay).toEqual({ added: 0, poolSize: 24 });
    // The rebuilt similarity index knows the generated members too.
    expect(rouge.check(ROUNDS[1][2]).accepted).toBe(false);
  });
});
