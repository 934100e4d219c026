// Live samples render their templates in the preview worker: a worst-case template in an
// editor never holds up another request, its request stops at a budget for all its
// records, and a request the editor dropped stops rendering at once.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFakeLlm } from "@/fake-llm/server";
import type { Blueprint } from "@/lib/blueprints/schema";
import { renderPreviewOffThread } from "@/lib/blueprints/server/preview-pool";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createProject } from "@/lib/projects/server/projects";
import { ConnectionInput } from "@/lib/providers/presets";
import { createConnection } from "@/lib/providers/server/connections";
import { testDb, uniqueName } from "@/lib/testing/db";
import { streamSamples, type SampleEvent } from "./live-samples";

const db = testDb();
let fake: Awaited<ReturnType<typeof startFakeLlm>>;
let s: { datasetId: string; connectionId: string };

beforeAll(async () => {
  fake = await startFakeLlm({ apiKeys: ["sk-test-right"] });
  const project = await createProject(db, { name: uniqueName("Samples") });
  const dataset = await createDataset(db, { projectId: project.id, name: uniqueName("ds") });
  const conn = await createConnection(db, ConnectionInput.parse({ name: uniqueName("fake"), preset: "custom", baseUrl: fake.url, apiKey: "sk-test-right", defaultModel: "gpt-4o-mini", maxConcurrency: 8 }));
  s = { datasetId: dataset.id, connectionId: conn.id };
});
afterAll(async () => {
  await fake.close();
  await db.$disconnect();
});

// Each field runs into the per-template limit (1 s); ten records make 10 s of rendering.
const slow: Blueprint = {
  fields: Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, kind: "expression" as const, name: `x${i}`, template: "{% for i in (1..5000) %}{% for j in (1..5000) %}{% assign y = j %}{% endfor %}{% endfor %}" })),
};

function collect() {
  const events: SampleEvent[] = [];
  let started!: () => void;
  const firstStart = new Promise<void>((r) => (started = r));
  const emit = (e: SampleEvent) => {
    events.push(e);
    if (e.type === "start") started();
  };
  const done = () => events.filter((e): e is Extract<SampleEvent, { type: "done" }> => e.type === "done");
  return { events, emit, firstStart, done };
}

describe("live samples", () => {
  test("of a Self-Instruct blueprint draw the prompt's examples from the dataset's pool table", async () => {
    const project = await createProject(db, { name: uniqueName("SamplesPool") });
    const dataset = await createDataset(db, { projectId: project.id, name: uniqueName("si"), starter: "self-instruct" });
    const blueprint = dataset.draft as Blueprint;
    const c = collect();
    await streamSamples(db, { datasetId: dataset.id, connectionId: s.connectionId, blueprint, count: 2, seed: 3 }, c.emit, new AbortController().signal);
    expect(c.done().map((d) => [d.status, d.error])).toEqual([["succeeded", null], ["succeeded", null]]);
    const rows = await db.seedRow.findMany({ where: { seedTable: { datasetId: dataset.id } }, select: { index: true, data: true } });
    const byId = new Map(rows.map((r) => [String(r.index), (r.data as { instruction: string }).instruction]));
    const shown = c.events.filter((e) => e.type === "field" && e.name === "pool_examples").map((e) => (e as { value: { id: string; instruction: string }[] }).value);
    expect(shown).toHaveLength(2);
    for (const items of shown) {
      expect(items).toHaveLength(6);
      for (const item of items) expect(byId.get(item.id)).toBe(item.instruction);
    }
  });

  test("render expressions and prompts in the worker, then call the model", async () => {
    const bp: Blueprint = {
      fields: [
        { id: "a", kind: "category", name: "topic", options: [{ value: "sea", weight: 1 }] },
        { id: "b", kind: "expression", name: "title", template: "About {{ topic | upcase }}" },
        { id: "c", kind: "llm", name: "story", system: "", prompt: "Write {{ title }}.", model: "gpt-4o-mini", params: { temperature: 1, max_tokens: 20 }, output: { type: "text" }, fewShot: { examples: [], k: 0, mode: "turns" } },
      ],
    };
    const c = collect();
    await streamSamples(db, { ...s, blueprint: bp, count: 2, seed: 3 }, c.emit, new AbortController().signal);
    expect(c.done().map((d) => [d.status, d.error])).toEqual([["succeeded", null], ["succeeded", null]]);
    const titles = c.events.filter((e) => e.type === "field" && e.name === "title").map((e) => (e as { value: unknown }).value);
    expect(titles).toEqual(["About SEA", "About SEA"]);
    expect(c.events.some((e) => e.type === "field" && e.name === "story" && typeof e.value === "string" && e.value.length > 0)).toBe(true);
  }, 30_000);

  test("a worst-case request leaves this thread free, and is stopped at its budget", async () => {
    const c = collect();
    let samplesDone = false;
    const samples = streamSamples(db, { ...s, blueprint: slow, count: 10, seed: 1 }, c.emit, new AbortController().signal, { renderBudgetMs: 2500 }).finally(() => (samplesDone = true));
    await c.firstStart; // the records are rendering
    // Another request (a database round trip, as any page makes) is answered meanwhile.
    const other = await db.$queryRaw<{ one: number }[]>`select 1 as one`;
    expect(other[0].one).toBe(1);
    expect(samplesDone).toBe(false);
    await samples;
    const done = c.done();
    expect(done).toHaveLength(10);
    expect(done.every((d) => d.status === "failed")).toBe(true);
    // The records still waiting when the budget ran out fail with its message.
    expect(done.filter((d) => /Rendering the templates took longer than 2\.5 s and was stopped: simplify loops/.test(d.error ?? "")).length).toBeGreaterThan(0);
    // The worker serves the next request.
    expect((await renderPreviewOffThread({ blueprint: { fields: [] }, seed: 1, count: 1, rows: [] })).length).toBe(1);
  }, 30_000);

  test("a request the editor dropped stops rendering at once", async () => {
    const c = collect();
    const abort = new AbortController();
    const samples = streamSamples(db, { ...s, blueprint: slow, count: 10, seed: 2 }, c.emit, abort.signal, { renderBudgetMs: 60_000 });
    await c.firstStart;
    abort.abort(); // the editor asked again, or the page went away: the browser aborts the fetch
    await samples;
    // Every record's rendering was dropped, the one in the worker included: none ran on
    // into the per-template limit.
    const done = c.done();
    expect(done).toHaveLength(10);
    expect(done.map((d) => d.error)).toEqual(Array(10).fill("x0: The request was cancelled."));
  }, 30_000);
});
