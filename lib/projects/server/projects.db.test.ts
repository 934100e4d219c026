import { afterAll, describe, expect, test } from "vitest";
import { testDb, uniqueName } from "@/lib/testing/db";
import { createDataset } from "@/lib/datasets/server/datasets";
import { createProject, deleteProject, getProject, listProjects, renameProject } from "./projects";

const db = testDb();
afterAll(() => db.$disconnect());

describe("projects", () => {
  test("create, list with dataset counts, rename", async () => {
    const name = uniqueName("Project");
    const p = await createProject(db, { name });
    await createDataset(db, { projectId: p.id, name: "d1" });
    const listed = (await listProjects(db)).find((x) => x.id === p.id);
    expect(listed).toMatchObject({ name, datasetCount: 1 });
    await renameProject(db, p.id, "Renamed");
    expect((await getProject(db, p.id)).name).toBe("Renamed");
  });

  test("delete cascades to datasets; a second delete says not found", async () => {
    const p = await createProject(db, { name: uniqueName("Doomed") });
    const d = await createDataset(db, { projectId: p.id, name: "d" });
    await deleteProject(db, p.id);
    expect(await db.dataset.findUnique({ where: { id: d.id } })).toBeNull();
    await expect(deleteProject(db, p.id)).rejects.toThrow(/not found/);
    await expect(renameProject(db, p.id, "x")).rejects.toThrow(/not found/);
  });
});
