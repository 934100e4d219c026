// Evol-Instruct in runs against the fake OpenAI-compatible server: the recipe's seed table
// evolved for 2 generations stores each record's lineage, the run's per-generation counts
// match the lineages, and every call's cache identity names its generation and ask.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint, EvolveField } from "@/lib/blueprints/schema";
import { createDataset, saveDraft } from "@/lib/datasets/server/datasets";
import { requestCacheKey } from "@/lib/generation/cache-key";
import type { LlmFieldProvenance } from "@/lib/generation/generate-record";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { evolvePrompt, MUTATIONS } from "@/lib/recipes/evol-instruct";
import { evolStatsOf, readEvolValue } from "@/lib/recipes/evol-lineage";
import { testDb, uniqueName } from "@/lib/testing/db";
import { estimateRun } from "./estimate";
import { executeRun } from "./executor";
import { runProgress } from "./progress";
import { launchRun, retryFailed } from "./runs";
import { Prisma } from "@/lib/generated/prisma/client";
import { regeneratedModelFields } from "./regenerate";
import { newField } from "@/lib/blueprints/defaults";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  projectId = (await createProject(db, { name: uniqueName("Evol") })).id;
});
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

/** The Evol-Instruct recipe's dataset (its seed table created with it), evolving for `generations`. */
async function recipeDataset(generations: number) {
  const dataset = await createDataset(db, { projectId, name: uniqueName("evol"), starter: "evol-instruct" });
  const draft = dataset.draft as Blueprint;
  const blueprint: Blueprint = { fields: draft.fields.map((f) => (f.kind === "evolve" ? { ...f, generations } : f)) };
  await saveDraft(db, dataset.id, blueprint, dataset.draftRevision);
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: "sk-test-right", defaultModel: "gpt-4o-mini", maxConcurrency: 8 }));
  return { datasetId: dataset.id, connectionId: conn.id, field: blueprint.fields.find((f): f is EvolveField => f.kind === "evolve")! };
}

async function run(s: { datasetId: string; connectionId: string }, records: number) {
  const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed: 5, settings: { concurrency: 4 } }, async () => {});
  await executeRun(db, r.id);
  return r.id;
}

/** The run page's counts as they were first computed, per poll over every record's lineage: the reference the kept counts must equal. */
async function countedOverRecords(runId: string, fields: string[]) {
  const out = [];
  for (const field of fields) {
    const rows = await db.$queryRaw<{ generation: number; outcome: string | null; n: number }[]>`
      select (s->>'generation')::int as generation, s->>'eliminated' as outcome, count(*)::int as n
      from "Record" r cross join lateral jsonb_array_elements(case when jsonb_typeof(r.values->${field}->'lineage') = 'array' then r.values->${field}->'lineage' else '[]'::jsonb end) s
      where r."runId" = ${runId}::uuid
      group by 1, 2 order by 1`;
    const byGeneration = new Map<number, { generation: number; evolved: number; kept: number; dropped: Record<string, number> }>();
    for (const r of rows) {
      const g = byGeneration.get(r.generation) ?? { generation: r.generation, evolved: 0, kept: 0, dropped: {} };
      g.evolved += r.n;
      if (r.outcome === null) g.kept += r.n;
      else g.dropped[r.outcome] = r.n;
      byGeneration.set(r.generation, g);
    }
    out.push({ field, generations: [...byGeneration.values()] });
  }
  return out;
}

describe("Evol-Instruct runs", () => {
  test("a run evolving the seed table for 2 generations stores each lineage, and its per-generation counts match them", async () => {
    const s = await recipeDataset(2);
    fake.reset();
    const runId = await run(s, 20);
    const records = await db.record.findMany({ where: { runId }, orderBy: { index: "asc" } });
    expect(records).toHaveLength(20);
    const lineages = records.map((r) => {
      expect(r.status).toBe("succeeded");
      const values = r.values as Record<string, unknown>;
      const v = readEvolValue(values.evolved)!;
      expect(v.seed).toBe(values.seed_instruction);
      expect(v.lineage.length).toBeGreaterThanOrEqual(1);
      expect(v.lineage.length).toBeLessThanOrEqual(2);
      expect(v.lineage.map((s) => s.generation)).toEqual([1, 2].slice(0, v.lineage.length));
      // Only the last step may have been dropped: a drop ends the lineage.
      expect(v.lineage.slice(0, -1).every((s) => !s.eliminated)).toBe(true);
      if (v.lineage.length === 1 && !v.lineage[0].eliminated) throw new Error("a kept first generation must be evolved again");
      const kept = v.lineage.filter((s) => !s.eliminated);
      expect(v.instruction).toBe(kept.length ? kept.at(-1)!.instruction : v.seed);
      // The response field answers the survivor.
      const prov = (r.provenance as unknown as { llm: Record<string, LlmFieldProvenance> }).llm;
      expect(prov.response.messages.at(-1)!.content).toBe(v.instruction);
      return { v, calls: prov.evolved.evolve!.calls };
    });
    // Every call went to the server (rewrite, response, equality per step, then the response field).
    const calls = lineages.reduce((a, l) => a + l.calls.length, 0);
    expect(fake.stats().chatCompletions).toBe(calls + 20);

    const progress = await runProgress(db, runId);
    expect(progress.evolution).toEqual([{ field: "evolved", generations: evolStatsOf(records.map((r) => (r.values as Record<string, unknown>).evolved)) }]);
    const [g1, g2] = progress.evolution[0].generations;
    expect(g1.evolved).toBe(20);
    expect(g2.evolved).toBe(g1.kept);
    // The fake server keeps most evolutions and drops some, each by a named rule.
    const dropped = [g1, g2].flatMap((g) => Object.keys(g.dropped));
    expect(g1.kept).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
    for (const rule of dropped) expect(["no_gain", "apology", "no_content", "copied_phrase", "empty"]).toContain(rule);
  });

  test("the run page's counts, kept as records land and as a retry deletes failed ones, equal a count over every record's lineage", async () => {
    const s = await recipeDataset(3);
    fake.reset();
    // Some calls refused: records fail, some after their evolution (the response field), keeping its lineage.
    // About one call in ten is the response field's, so 8% refused leaves several such records of 100 (at 4% a full run once had none).
    fake.configure({ rate400: 0.08 });
    let runId: string;
    try {
      runId = await run(s, 100);
    } finally {
      fake.configure({ rate400: 0 });
    }
    const failedWithLineage = await db.record.count({ where: { runId, status: "failed", values: { path: ["evolved", "lineage"], not: Prisma.AnyNull } } });
    expect(failedWithLineage).toBeGreaterThan(0);
    const progress = await runProgress(db, runId);
    expect(progress.evolution).toEqual(await countedOverRecords(runId, ["evolved"]));
    expect(progress.evolution[0].generations.map((g) => g.generation)).toEqual([1, 2, 3]);

    // The retry deletes the failed records and redoes them: their lineages leave the counts and the new ones come in.
    await retryFailed(db, runId, async () => {});
    await executeRun(db, runId);
    expect(await db.record.count({ where: { runId, status: "failed" } })).toBe(0);
    const after = await runProgress(db, runId);
    expect(after.evolution).toEqual(await countedOverRecords(runId, ["evolved"]));
    expect(after.evolution[0].generations[0].evolved).toBe(100);
  });

  test("each generation's calls have their own cache identity, and a re-run with the same seed is answered from the cache", async () => {
    const s = await recipeDataset(2);
    const runId = await run(s, 6);
    const records = await db.record.findMany({ where: { runId }, orderBy: { index: "asc" } });
    const run0 = await db.run.findUniqueOrThrow({ where: { id: runId } });
    let checked = 0;
    for (const r of records) {
      const v = readEvolValue((r.values as Record<string, unknown>).evolved)!;
      const position = r.index - run0.firstIndex;
      let parent = v.seed;
      for (const step of v.lineage) {
        const mutation = MUTATIONS.find((m) => m.id === step.mutation)!;
        const key = (generation: number) =>
          requestCacheKey({
            namespace: `${s.datasetId}|${fake.url}`,
            record: { seed: 5, position, field: "evolved", step: `g${generation}:rewrite` },
            model: s.field.model,
            messages: [{ role: "user", content: evolvePrompt({ ...mutation, method: s.field.mutations.find((m) => m.id === mutation.id)!.method }, parent) }],
            params: s.field.params,
          });
        // The rewrite is stored under its own generation and under no other.
        expect(await db.responseCache.findUnique({ where: { key: key(step.generation) } })).not.toBeNull();
        expect(await db.responseCache.findUnique({ where: { key: key(step.generation === 1 ? 2 : 1) } })).toBeNull();
        checked++;
        parent = step.instruction;
      }
    }
    expect(checked).toBeGreaterThan(6);

    fake.reset();
    const again = await run(s, 6);
    expect(fake.stats().chatCompletions).toBe(0);
    const second = await db.record.findMany({ where: { runId: again }, orderBy: { index: "asc" } });
    expect(second.map((r) => (r.values as Record<string, unknown>).evolved)).toEqual(records.map((r) => (r.values as Record<string, unknown>).evolved));
  });

  test("the estimate counts 3 calls per generation per record besides the response field's", async () => {
    const s = await recipeDataset(2);
    const dataset = await db.dataset.findUniqueOrThrow({ where: { id: s.datasetId } });
    const at = (generations: number) => ({ fields: (dataset.draft as Blueprint).fields.map((f) => (f.kind === "evolve" ? { ...f, generations, params: { max_tokens: 100 } } : f.kind === "llm" ? { ...f, params: { max_tokens: 100 } } : f)) });
    const [none, one, four] = await Promise.all([
      estimateRun(db, s.datasetId, { fields: at(1).fields.filter((f) => f.kind !== "evolve").map((f) => (f.kind === "llm" ? { ...f, prompt: "{{ seed_instruction }}" } : f)) }, 10, 5),
      estimateRun(db, s.datasetId, at(1), 10, 5),
      estimateRun(db, s.datasetId, at(4), 10, 5),
    ]);
    // Worst case: every answer runs to max_tokens (100), 3 per generation plus the response field's.
    expect(none.tokensOut).toBe(10 * 100);
    expect(one.tokensOut).toBe(10 * (3 + 1) * 100);
    expect(four.tokensOut).toBe(10 * (12 + 1) * 100);
    expect(four.costUsd).toBeGreaterThan(one.costUsd * 3);
  });

  test("regenerating the field an evolution reads pays for the evolution again", () => {
    const bp: Blueprint = { fields: [{ ...newField("llm", "task"), prompt: "Write a task." }, { ...newField("evolve", "evolved"), source: "task" }, { ...newField("llm", "answer"), prompt: "{{ evolved.instruction }}" }] };
    expect(regeneratedModelFields(bp, "task")).toEqual(new Set(["task", "evolved", "answer"]));
  });
});
