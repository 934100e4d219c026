import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Blueprint } from "@/lib/blueprints/schema";
import { STARTERS } from "@/lib/blueprints/starters";
import { validateBlueprint } from "@/lib/blueprints/validate";
import { createProject } from "@/lib/projects/server/projects";
import { testDb, uniqueName } from "@/lib/testing/db";
import { createDataset, datasetGuidelines, deleteDataset, freezeVersion, getDataset, listDatasets, renameDataset, saveDraft, saveGuidelines } from "./datasets";
import { previewBlueprint } from "./preview";

const db = testDb();
let projectId: string;
beforeAll(async () => {
  projectId = (await createProject(db, { name: uniqueName("Datasets") })).id;
});
afterAll(() => db.$disconnect());

describe("datasets", () => {
  test("guidelines are saved as written and read back as HTML with raw HTML shown as text", async () => {
    const d = await createDataset(db, { projectId, name: "guided" });
    expect(await datasetGuidelines(db, d.id)).toEqual({ markdown: "", html: "" });
    const text = '## Accept\n\nClear answers. <script>alert(1)</script> <img src=x onerror="alert(2)">';
    await saveGuidelines(db, d.id, text);
    const g = await datasetGuidelines(db, d.id);
    expect(g.markdown).toBe(text);
    expect(g.html).toContain("<h2>Accept</h2>");
    expect(g.html).not.toMatch(/<script|<img/i);
    expect(g.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(g.html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
    await expect(saveGuidelines(db, "00000000-0000-4000-8000-000000000000", "x")).rejects.toThrow(/dataset/i);
  });

  test("every starter creates a dataset whose blueprint validates without errors", async () => {
    for (const s of STARTERS) {
      const d = await createDataset(db, { projectId, name: s.title, starter: s.id });
      const loaded = await getDataset(db, d.id);
      expect(loaded.draft.fields.length).toBeGreaterThan(2);
      expect(validateBlueprint(loaded.draft).filter((i) => i.severity === "error")).toEqual([]);
    }
    expect((await listDatasets(db, projectId)).length).toBeGreaterThanOrEqual(STARTERS.length);
  });

  test("a recipe over real data brings its table: the dataset's own, in row order, and the preview reads it", async () => {
    const augment = STARTERS.find((s) => s.id === "augment-text")!;
    const a = await createDataset(db, { projectId, name: "augment a", starter: augment.id });
    const b = await createDataset(db, { projectId, name: "augment b", starter: augment.id });
    const [ta, tb] = await Promise.all([getDataset(db, a.id), getDataset(db, b.id)]);
    expect(ta.seedTables).toHaveLength(1);
    expect(ta.seedTables[0]).toMatchObject({ name: augment.table!.name, columns: augment.table!.columns, rowCount: augment.table!.rows.length });
    // Two datasets from one recipe never share a table.
    expect(ta.seedTables[0].id).not.toBe(tb.seedTables[0].id);
    for (const f of ta.draft.fields) if (f.kind === "seed") expect(f.seedTableId).toBe(ta.seedTables[0].id);
    const preview = await previewBlueprint(db, a.id, ta.draft, 1, 3);
    expect(preview.map((r) => r.values.original)).toEqual(augment.table!.rows.slice(0, 3).map((r) => r.message));
    expect(preview.map((r) => r.values.intent)).toEqual(augment.table!.rows.slice(0, 3).map((r) => r.intent));
  });

  test("an unknown starter or project is a clear error", async () => {
    await expect(createDataset(db, { projectId, name: "x", starter: "nope" })).rejects.toThrow(/no starter called "nope"/);
    await expect(createDataset(db, { projectId: crypto.randomUUID(), name: "x" })).rejects.toThrow(/project was not found/);
  });

  test("drafts with errors save; a stale revision is a conflict and changes nothing", async () => {
    const d = await createDataset(db, { projectId, name: "draft" });
    const broken: Blueprint = { fields: [{ id: "e1", kind: "expression", name: "x", template: "{{ nope " }] };
    const { revision } = await saveDraft(db, d.id, broken, 0);
    expect(revision).toBe(1);
    expect((await getDataset(db, d.id)).draft).toEqual(broken);
    await expect(saveDraft(db, d.id, { fields: [] }, 0)).rejects.toThrow(/changed in another tab/);
    expect((await getDataset(db, d.id)).draft).toEqual(broken);
  });

  test("a blueprint over the size limit is refused with its size, and the saved draft stays", async () => {
    const d = await createDataset(db, { projectId, name: "huge" });
    const options = Array.from({ length: 150_000 }, (_, i) => ({ value: `pasted option ${i}`, weight: 1 }));
    const huge: Blueprint = { fields: [{ id: "a", kind: "category", name: "topic", options }] };
    await expect(saveDraft(db, d.id, huge, 0)).rejects.toMatchObject({ code: "too_large", message: expect.stringMatching(/too large to save \(\d+\.\d MB; the limit is 4\.0 MB\)/) });
    expect((await getDataset(db, d.id)).draftRevision).toBe(0);
  });

  test("the list counts a dataset's active runs, which its delete confirmation names", async () => {
    const d = await createDataset(db, { projectId, name: uniqueName("busy") });
    const v = await freezeVersion(db, d.id, (await getDataset(db, d.id)).draft as Blueprint);
    for (const status of ["running", "paused", "completed"] as const) {
      await db.run.create({ data: { datasetId: d.id, blueprintVersionId: v.id, status, requested: 1, seed: 1, settings: {} } });
    }
    const listed = (await listDatasets(db, projectId)).find((x) => x.id === d.id)!;
    expect([listed.activeRuns, listed.runCount]).toEqual([2, 3]);
  });

  test("rename and delete", async () => {
    const d = await createDataset(db, { projectId, name: "old" });
    await renameDataset(db, d.id, "new");
    expect((await getDataset(db, d.id)).name).toBe("new");
    await deleteDataset(db, d.id);
    await expect(getDataset(db, d.id)).rejects.toThrow(/not found/);
  });

  test("freezing reuses the version of an unchanged blueprint and numbers new ones densely", async () => {
    const d = await createDataset(db, { projectId, name: "versions", starter: STARTERS[0].id });
    const bp = (await getDataset(db, d.id)).draft;
    const v1 = await freezeVersion(db, d.id, bp);
    const again = await freezeVersion(db, d.id, JSON.parse(JSON.stringify(bp)));
    expect(again.id).toBe(v1.id);
    const v2 = await freezeVersion(db, d.id, { fields: bp.fields.slice(0, 1) });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    const parallel = await Promise.all([1, 2, 3].map((n) => freezeVersion(db, d.id, { fields: bp.fields.slice(0, n + 1) })));
    expect(parallel.map((v) => v.version).sort()).toEqual([3, 4, 5]);
  });

  test("preview renders each record with its own sampled words, deterministic by seed", async () => {
    const stories = STARTERS.find((s) => /stor/i.test(s.id))!;
    const d = await createDataset(db, { projectId, name: "preview", starter: stories.id });
    const bp = (await getDataset(db, d.id)).draft;
    const a = await previewBlueprint(db, d.id, bp, 42, 5);
    const b = await previewBlueprint(db, d.id, bp, 42, 5);
    const c = await previewBlueprint(db, d.id, bp, 43, 5);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(5);
    for (const r of a) {
      const llm = r.fields.find((f) => f.kind === "llm");
      const prompt = llm && "messages" in llm ? llm.messages?.at(-1)?.content ?? "" : "";
      for (const w of ["verb", "noun", "adjective"]) expect(prompt).toContain(`"${r.values[w]}"`);
    }
  });
});
