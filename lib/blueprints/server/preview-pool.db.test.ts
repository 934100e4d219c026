// Previews render in a worker thread: a slow template never holds up other work, a
// preview past its budget is stopped, and a superseded one is dropped.
import { afterAll, describe, expect, test } from "vitest";
import type { Blueprint } from "@/lib/blueprints/schema";
import { testDb } from "@/lib/testing/db";
import { renderPreviewOffThread } from "./preview-pool";

const db = testDb();
afterAll(() => db.$disconnect());

const simple: Blueprint = {
  fields: [
    { id: "a", kind: "category", name: "topic", options: [{ value: "sea", weight: 1 }] },
    { id: "b", kind: "expression", name: "line", template: "About {{ topic }}." },
  ],
};
// Ten nested-loop expression fields: each runs into the per-template limit (1 s).
const slow: Blueprint = {
  fields: Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, kind: "expression" as const, name: `x${i}`, template: "{% for i in (1..5000) %}{% for j in (1..5000) %}{% assign y = j %}{% endfor %}{% endfor %}" })),
};

describe("preview pool", () => {
  // First in the file, so the worker is cold: loading it through tsx takes 0.3 s or more.
  test("a cold worker's start-up is not counted against the budget", async () => {
    const started = performance.now();
    const records = await renderPreviewOffThread({ blueprint: simple, seed: 1, count: 1, rows: [], budgetMs: 250 });
    expect(records[0].values.line).toBe("About sea.");
    expect(performance.now() - started).toBeGreaterThan(250);
  }, 30_000);

  test("renders previews in the worker", async () => {
    const records = await renderPreviewOffThread({ blueprint: simple, seed: 1, count: 2, rows: [] });
    expect(records.map((r) => r.values.line)).toEqual(["About sea.", "About sea."]);
  }, 30_000);

  test("a slow preview leaves this thread free, and is stopped at its budget", async () => {
    let previewDone = false;
    const preview = renderPreviewOffThread({ blueprint: slow, seed: 1, count: 3, rows: [], budgetMs: 5000 }).finally(() => (previewDone = true));
    preview.catch(() => {});
    // Other work (a database round trip, as any other request makes) finishes meanwhile.
    const other = await db.$queryRaw<{ one: number }[]>`select 1 as one`;
    expect(other[0].one).toBe(1);
    expect(previewDone).toBe(false);
    await expect(preview).rejects.toThrow(/The preview took longer than 5 s and was stopped: simplify loops/);
    // The next preview gets a fresh worker.
    expect((await renderPreviewOffThread({ blueprint: simple, seed: 2, count: 1, rows: [] }))[0].values.line).toBe("About sea.");
  }, 30_000);

  test("a newer preview from the same editor supersedes the older one", async () => {
    const older = renderPreviewOffThread({ blueprint: slow, seed: 1, count: 3, rows: [], key: "editor:x", budgetMs: 20_000 });
    older.catch(() => {});
    const newer = renderPreviewOffThread({ blueprint: simple, seed: 1, count: 1, rows: [], key: "editor:x" });
    await expect(older).rejects.toThrow(/A newer preview replaced this one/);
    expect((await newer)[0].values.line).toBe("About sea.");
  }, 30_000);
});
