// "Regenerate one field" against the fake OpenAI-compatible server (which answers the same
// prompt with the same text when the request carries a seed): only the records whose
// prompt the edit changed get new values, their earlier values become versions, review
// resets only on them, and a version can be restored (and the restore undone).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint, LlmField } from "@/lib/blueprints/schema";
import { saveDraft } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { bulkDecide } from "@/lib/review/server/decisions";
import { listVersions, restoreVersion } from "@/lib/review/server/versions";
import { testDb, uniqueName } from "@/lib/testing/db";
import { datasetOnFakeLlm } from "@/lib/testing/runs";
import { executeRun } from "./executor";
import { launchRegenerate, planRegenerate } from "./regenerate";
import { launchRun, retryFailed } from "./runs";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let projectId: string;

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  fake.configure({ latencyMs: 0 });
  projectId = (await createProject(db, { name: uniqueName("Regenerate") })).id;
});
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

const llm = (name: string, prompt: string): LlmField => ({ id: name, kind: "llm", name, system: "", prompt, model: "gpt-4o-mini", params: { max_tokens: 40, seed: 7 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } });

const blueprint = (storyPrompt: string): Blueprint => ({
  fields: [
    { id: "t", kind: "category", name: "topic", options: ["space", "sea", "forest"].map((value) => ({ value, weight: 1 })) },
    llm("story", storyPrompt),
    { id: "x", kind: "expression", name: "opening", template: "{{ story | truncatewords: 3 }}" },
    llm("other", "A poem about {{ topic }}."),
    { id: "j", kind: "judge", name: "quality", over: ["story"], model: "gpt-4o-mini", params: { seed: 7 }, criteria: [{ name: "ok", description: "Fine.", levels: ["pass", "fail"].map((value) => ({ value, description: value })) }] },
    { id: "v", kind: "validator", name: "short", mode: "flag", check: { type: "length", field: "story", unit: "words", min: null, max: 1000 } },
  ],
});

type Vals = { topic: string; story: string; opening: string; other: string; quality: unknown };

async function generated(records: number) {
  const s = await datasetOnFakeLlm(db, projectId, fake.url, blueprint("Write about {{ topic }}."));
  const r = await launchRun(db, { datasetId: s.datasetId, connectionId: s.connectionId, records, seed: 3, settings: { concurrency: 8 } }, async () => {});
  await executeRun(db, r.id);
  await bulkDecide(db, { datasetId: s.datasetId, reviewer: "Ana", decision: "accept", target: { filter: {} } });
  const before = await db.record.findMany({ where: { runId: r.id }, orderBy: { index: "asc" } });
  expect(before.every((x) => x.status === "succeeded" && x.reviewState === "accepted")).toBe(true);
  return { ...s, before };
}

/** Changes the story's prompt only for records about the sea. */
const seaOnly = "Write about {{ topic }}{% if topic == 'sea' %}, with waves{% endif %}.";

async function regenerate(s: { datasetId: string; connectionId: string }, target: { filter: object } | { ids: string[] } = { filter: {} }, useCache = true) {
  const run = await launchRegenerate(db, { datasetId: s.datasetId, connectionId: s.connectionId, field: "story", target: target as never, settings: { concurrency: 8, useCache } }, async () => {});
  await executeRun(db, run.id);
  return db.run.findUniqueOrThrow({ where: { id: run.id } });
}

async function reviewTallies(datasetId: string) {
  const kept = await db.$queryRaw<{ value: string; count: number }[]>`select value, count from "HealthTally" where "datasetId" = ${datasetId}::uuid and kind = 'review' and count <> 0 order by value`;
  const direct = await db.$queryRaw<{ value: string; count: number }[]>`select "reviewState"::text as value, count(*)::int as count from "Record" where "datasetId" = ${datasetId}::uuid group by 1 order by 1`;
  expect(kept).toEqual(direct);
}

describe("regenerate one field", () => {
  test("the plan names the field, its dependents and the records; bad requests say why", async () => {
    const s = await generated(6);
    await saveDraft(db, s.datasetId, blueprint(seaOnly), 1);
    const { plan } = await planRegenerate(db, { datasetId: s.datasetId, field: "story", target: { filter: {} } });
    expect(plan).toEqual({ field: "story", dependents: [{ name: "opening", kind: "expression" }, { name: "quality", kind: "judge" }, { name: "short", kind: "validator" }], records: 6, skippedFailed: 0 });
    const plan2 = (f: string, target: object = { filter: {} }) => planRegenerate(db, { datasetId: s.datasetId, field: f, target: target as never });
    await expect(plan2("title")).rejects.toThrow('There is no field "title" in the blueprint any more');
    await expect(plan2("quality")).rejects.toThrow('"quality" is a judge: only an LLM field can be regenerated');
    await expect(plan2("opening")).rejects.toThrow("only an LLM field");
    await expect(plan2("story", { filter: { reviewState: ["rejected"] } })).rejects.toThrow("No records match: there is nothing to regenerate.");
  });

  test("only records whose value changed get a new value, a version and a reset review; the rest keep theirs", async () => {
    const s = await generated(24);
    await saveDraft(db, s.datasetId, blueprint(seaOnly), 1);
    const run = await regenerate(s);
    expect(run).toMatchObject({ status: "completed", requested: 24, succeeded: 24, failed: 0 });
    const after = new Map((await db.record.findMany({ where: { datasetId: s.datasetId } })).map((r) => [r.id, r]));
    const sea = s.before.filter((r) => (r.values as Vals).topic === "sea");
    const rest = s.before.filter((r) => (r.values as Vals).topic !== "sea");
    expect(sea.length).toBeGreaterThan(0);
    expect(rest.length).toBeGreaterThan(0);

    for (const old of sea) {
      const now = after.get(old.id)!;
      const [o, n] = [old.values as Vals, now.values as Vals];
      expect(n.story).not.toBe(o.story);
      expect(n.opening).not.toBe(o.opening);
      expect(n.other).toBe(o.other); // not a dependent: kept
      expect(now.reviewState).toBe("unreviewed");
      expect(now.reviewedBy).toBeNull();
      expect((now.provenance as { llm: Record<string, { messages: { content: string }[] }> }).llm.story.messages.at(-1)!.content).toContain("with waves");
      const [v] = await listVersions(db, old.id);
      expect(v).toMatchObject({ kind: "regenerate", runId: run.id, reviewState: "accepted", error: null });
      expect(v.values).toEqual({ story: o.story, opening: o.opening, quality: o.quality });
      expect(v.sources.story).toMatchObject({ model: "gpt-4o-mini" });
    }
    for (const old of rest) {
      const now = after.get(old.id)!;
      expect(now.values).toEqual(old.values);
      expect(now.reviewState).toBe("accepted");
      expect(now.revision).toBe(old.revision);
      const [v] = await listVersions(db, old.id);
      expect(v.values).toEqual({});
    }
    await reviewTallies(s.datasetId);

    // Running it again over the same records changes nothing more and resets nothing.
    const again = await regenerate(s);
    expect(again.status).toBe("completed");
    expect((await db.record.findMany({ where: { datasetId: s.datasetId, reviewState: "unreviewed" } })).length).toBe(sea.length);
  });

  test("restore puts back the earlier values and prompt, is itself a version, and checks the revision", async () => {
    const s = await generated(12);
    await saveDraft(db, s.datasetId, blueprint(seaOnly), 1);
    const old = s.before.find((r) => (r.values as Vals).topic === "sea")!;
    await regenerate(s, { ids: [old.id] });
    const regenerated = await db.record.findUniqueOrThrow({ where: { id: old.id } });
    const [v] = await listVersions(db, old.id);

    await expect(restoreVersion(db, { recordId: old.id, versionId: v.id, revision: regenerated.revision - 1, reviewer: "Ana" })).rejects.toThrow("after you loaded it");
    const res = await restoreVersion(db, { recordId: old.id, versionId: v.id, revision: regenerated.revision, reviewer: "Ana" });
    const restored = await db.record.findUniqueOrThrow({ where: { id: old.id } });
    expect(restored.values).toEqual(old.values);
    expect((restored.provenance as { llm: unknown }).llm).toEqual((old.provenance as { llm: unknown }).llm);
    expect(restored.checks).toEqual(old.checks);
    expect(res).toMatchObject({ revision: restored.revision, reviewReset: false, row: { id: old.id, revision: restored.revision } }); // it was unreviewed already

    const versions = await listVersions(db, old.id);
    expect(versions.map((x) => x.kind)).toEqual(["restore", "regenerate"]);
    expect(versions[0]).toMatchObject({ by: "Ana", runId: null });
    expect(versions[0].values).toEqual({ story: (regenerated.values as Vals).story, opening: (regenerated.values as Vals).opening, quality: (regenerated.values as Vals).quality });

    // Restoring the restore brings the regenerated values back.
    await restoreVersion(db, { recordId: old.id, versionId: versions[0].id, revision: restored.revision, reviewer: "Ana" });
    expect((await db.record.findUniqueOrThrow({ where: { id: old.id } })).values).toEqual(regenerated.values);
    await reviewTallies(s.datasetId);
  });

  test("a regeneration stopped mid-way resumes where it was: each record once, answers paid for not bought again", async () => {
    const s = await generated(30);
    await saveDraft(db, s.datasetId, blueprint("Tell a tale of {{ topic }}."), 1);
    const run = await launchRegenerate(db, { datasetId: s.datasetId, connectionId: s.connectionId, field: "story", target: { filter: {} }, settings: { concurrency: 2, useCache: false } }, async () => {});
    const shutdown = new AbortController();
    let seen = 0;
    const calls0 = fake.stats().chatCompletions;
    await executeRun(db, run.id, { signal: shutdown.signal, onRegenerated: () => ++seen === 6 && shutdown.abort() });
    const calls1 = fake.stats().chatCompletions;
    const stopped = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(stopped.status).toBe("running"); // a worker shutting down leaves it to be taken back
    const written = await db.recordVersion.count({ where: { runId: run.id } });
    expect(written).toBeGreaterThanOrEqual(6);
    expect(written).toBeLessThan(30);

    await executeRun(db, run.id);
    const after = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(after).toMatchObject({ status: "completed", succeeded: 30, failed: 0 });
    const versions = await db.recordVersion.groupBy({ by: ["recordId"], where: { runId: run.id }, _count: true });
    expect(versions).toHaveLength(30);
    expect(versions.every((v) => v._count === 1)).toBe(true);
    // Every story changed (new prompt), so each record costs its story and its judge: the
    // resumed part asked only for the records not written before the stop (without the
    // cache, which would also answer them: this is the record versions' doing).
    expect(fake.stats().chatCompletions - calls1).toBe((30 - written) * 2);
    expect(calls1 - calls0).toBeGreaterThanOrEqual(written * 2);
    const cost = await db.record.aggregate({ where: { datasetId: s.datasetId }, _count: true });
    expect(cost._count).toBe(30); // no record inserted
  });

  test("a record whose regeneration fails keeps every value; \"Retry failed\" redoes just those", async () => {
    const s = await generated(8);
    await saveDraft(db, s.datasetId, blueprint("A fable about {{ topic }}."), 1);
    fake.configure({ wrongSchemaRate: 1 }); // the judge never fits its rubric
    // Without the cache, which would answer the retry with the same misfitting verdicts.
    let run = await regenerate(s, { filter: {} }, false);
    expect(run).toMatchObject({ status: "failed", succeeded: 0, failed: 8 });
    const kept = await db.record.findMany({ where: { datasetId: s.datasetId }, orderBy: { index: "asc" } });
    expect(kept.map((r) => [r.values, r.reviewState, r.revision])).toEqual(s.before.map((r) => [r.values, "accepted", r.revision]));
    expect((await listVersions(db, kept[0].id))[0].error).toContain("judge failed");

    fake.configure({ wrongSchemaRate: 0 });
    await retryFailed(db, run.id, async () => {});
    await executeRun(db, run.id);
    run = await db.run.findUniqueOrThrow({ where: { id: run.id } });
    expect(run).toMatchObject({ status: "completed", succeeded: 8, failed: 0 });
    const after = await db.record.findMany({ where: { datasetId: s.datasetId }, orderBy: { index: "asc" } });
    expect(after.every((r, i) => (r.values as Vals).story !== (s.before[i].values as Vals).story)).toBe(true);
  });
});
