// The contamination upload route, called as Next calls it, against the test database:
// the streamed check, its counts, and the errors a user sees (lib/http/route.ts shape).
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { POST } from "@/app/api/datasets/[datasetId]/contamination/route";
import { createDataset } from "@/lib/datasets/server/datasets";
import { db } from "@/lib/db/server/prisma";
import { createProject } from "@/lib/projects/server/projects";
import { uniqueName } from "@/lib/testing/db";

const BASE = "http://127.0.0.1:3000";
const ctx = (datasetId: string) => ({ params: Promise.resolve({ datasetId }) });
const QUESTION = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did she sell altogether?";
let projectId: string;

beforeAll(async () => {
  projectId = (await createProject(db(), { name: uniqueName("Contamination route") })).id;
});
afterAll(() => db().$disconnect());

function post(datasetId: string, name: string, fields: unknown, body: BodyInit, headers?: Record<string, string>) {
  const q = `name=${encodeURIComponent(name)}&fields=${encodeURIComponent(JSON.stringify(fields))}`;
  return POST(new Request(`${BASE}/x?${q}`, { method: "POST", body, headers, duplex: "half" } as RequestInit), ctx(datasetId));
}
async function answer(res: Response) {
  return { status: res.status, body: await res.json() };
}

describe("contamination route", () => {
  test("a streamed JSONL reference set flags the records sharing a 13-word run", async () => {
    const datasetId = (await createDataset(db(), { projectId, name: uniqueName("ds") })).id;
    for (const [index, q] of [`Puzzle: ${QUESTION}`, "Nothing to do with it."].entries()) {
      await db().record.create({ data: { datasetId, index, source: "imported", status: "succeeded", values: { q } } });
    }
    const chunks = [JSON.stringify({ question: QUESTION.slice(0, 40) }).slice(0, -2), `${QUESTION.slice(40)}"}\n`];
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift();
        if (next === undefined) c.close();
        else c.enqueue(new TextEncoder().encode(next));
      },
    });
    const res = await answer(await post(datasetId, "gsm8k.jsonl", ["q"], body));
    expect(res).toMatchObject({ status: 200, body: { ok: true, data: { referenceRows: 1, records: 2, flagged: 1 } } });
  });

  test("a 200 MB reference set is refused before any byte is read, with the limit and what to do", async () => {
    const res = await answer(await post(crypto.randomUUID(), "big.csv", ["q"], "a\n1\n", { "content-length": String(200e6) }));
    expect(res).toEqual({
      status: 413,
      body: {
        ok: false,
        error: { code: "too_large", message: "The reference set is 200 MB; a contamination check takes at most 50 MB. Check against a smaller file (for example the benchmark's test split alone)." },
      },
    });
  });

  test("no fields, a file that is not CSV or JSONL, an unknown dataset: clear messages", async () => {
    const missing = crypto.randomUUID();
    expect((await answer(await post(missing, "a.csv", [], "a\n1\n"))).body.error.message).toBe("Pick at least one field to check.");
    expect((await answer(await post(missing, "a.pdf", ["q"], "a\n1\n"))).body.error.message).toMatch(/is not a CSV or JSONL file/);
    expect(await answer(await post(missing, "a.csv", ["q"], "a\n1\n"))).toMatchObject({ status: 404, body: { ok: false, error: { code: "not_found" } } });
  });
});
