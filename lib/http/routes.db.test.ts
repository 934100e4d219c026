// Every route handler answers through the one edge (route.ts): the same error shape and
// the same status for the same code, whichever route it is. Called directly, as Next
// calls them, against the test database.
import { afterAll, describe, expect, test } from "vitest";
import { GET as exportGET } from "@/app/api/datasets/[datasetId]/export/route";
import { GET as progressGET } from "@/app/api/datasets/[datasetId]/export/progress/route";
import { POST as importPOST } from "@/app/api/datasets/[datasetId]/import/route";
import { POST as samplesPOST } from "@/app/api/datasets/[datasetId]/samples/route";
import { POST as seedTablesPOST } from "@/app/api/datasets/[datasetId]/seed-tables/route";
import { GET as recordsGET } from "@/app/datasets/[datasetId]/records/data/route";
import { createDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { encodeRequestParam } from "@/lib/export/schemas";
import { createProject } from "@/lib/projects/server/projects";
import { uniqueName } from "@/lib/testing/db";

const BASE = "http://127.0.0.1:3000";
const MISSING = "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const ctx = (datasetId: string) => ({ params: Promise.resolve({ datasetId }) });

async function answer(res: Response) {
  return { status: res.status, body: await res.json() };
}

afterAll(() => db().$disconnect());

describe("every route answers errors in one shape", () => {
  test("a bad dataset id in the address: 400 with the same message on every route", async () => {
    const bad = ctx("not-a-uuid");
    const answers = await Promise.all([
      recordsGET(new Request(`${BASE}/x?q=${encodeURIComponent('{"kind":"stats"}')}`), bad),
      exportGET(new Request(`${BASE}/x?request=${encodeRequestParam({ format: "jsonl" })}`), bad),
      seedTablesPOST(new Request(`${BASE}/x?name=a.csv`, { method: "POST", body: "a\n1\n" }), bad),
      importPOST(new Request(`${BASE}/x?name=a.csv&mapping=%7B%7D`, { method: "POST", body: "a\n1\n" }), bad),
      samplesPOST(new Request(`${BASE}/x`, { method: "POST", body: "{}" }), bad),
    ]);
    for (const res of answers) {
      expect(await answer(res)).toEqual({ status: 400, body: { ok: false, error: { code: "invalid_input", message: "The dataset id in the address is not valid." } } });
    }
  });

  test("something that is not there: 404, from the grid's reads and the export, whose failure ends its progress", async () => {
    const project = await createProject(db(), { name: uniqueName("Edge") });
    const dataset = await createDataset(db(), { projectId: project.id, name: "edge" });
    const record = await answer(await recordsGET(new Request(`${BASE}/x?q=${encodeURIComponent(JSON.stringify({ kind: "record", recordId: MISSING }))}`), ctx(dataset.id)));
    expect(record.status).toBe(404);
    expect(record.body).toMatchObject({ ok: false, error: { code: "not_found" } });

    const exported = await answer(await exportGET(new Request(`${BASE}/x?request=${encodeRequestParam({ format: "jsonl", fields: ["text"] })}&progress=abcdefgh12`), ctx(MISSING)));
    expect(exported.status).toBe(404);
    expect(exported.body).toMatchObject({ ok: false, error: { code: "not_found" } });
    // The failure also ends the progress the page polls.
    const progress = await answer(await progressGET(new Request(`${BASE}/x?id=abcdefgh12`), ctx(MISSING)));
    expect(progress).toMatchObject({ status: 200, body: { ok: true, data: { state: "failed", error: exported.body.error.message } } });
    expect(await answer(await progressGET(new Request(`${BASE}/x?id=nothing-running`), ctx(MISSING)))).toEqual({ status: 200, body: { ok: true, data: null } });
  });

  test("a file over the upload cap: 413 too_large before any byte is read", async () => {
    const res = await seedTablesPOST(new Request(`${BASE}/x?name=a.csv`, { method: "POST", body: "a\n1\n", headers: { "content-length": String(200e6) } }), ctx(MISSING));
    expect(await answer(res)).toEqual({
      status: 413,
      body: { ok: false, error: { code: "too_large", message: "The file is 200 MB; seed tables can be at most 100 MB. Split it or keep the columns you need." } },
    });
  });

  test("unreadable encoded settings: 400 with the route's own wording", async () => {
    const grid = await answer(await recordsGET(new Request(`${BASE}/x?q=%7Bnope`), ctx(MISSING)));
    expect(grid).toEqual({ status: 400, body: { ok: false, error: { code: "invalid_input", message: "The grid's request in the address is not readable." } } });
    const exported = await answer(await exportGET(new Request(`${BASE}/x?request=%%%`), ctx(MISSING)));
    expect(exported.status).toBe(400);
    expect(exported.body.error.message).toContain("not readable");
  });
});
