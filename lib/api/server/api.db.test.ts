// The HTTP API (lib/api/README.md), its handlers called as Next calls them, against the
// test database: tokens, each endpoint's round trip, and the OpenAPI document built from
// the same schemas.
import { beforeAll, describe, expect, test } from "vitest";
import { GET as blueprintGET, PUT as blueprintPUT } from "@/app/api/v1/datasets/[datasetId]/blueprint/route";
import { POST as exportPOST } from "@/app/api/v1/datasets/[datasetId]/export/route";
import { POST as decidePOST } from "@/app/api/v1/datasets/[datasetId]/records/decide/route";
import { GET as recordsGET } from "@/app/api/v1/datasets/[datasetId]/records/route";
import { GET as openapiGET } from "@/app/api/v1/openapi.json/route";
import { GET as datasetsGET, POST as datasetsPOST } from "@/app/api/v1/projects/[projectId]/datasets/route";
import { GET as projectsGET, POST as projectsPOST } from "@/app/api/v1/projects/route";
import { createOwner } from "@/lib/auth/server/accounts";
import { db } from "@/lib/db/server/prisma";
import { emptyStudio, PASSWORD } from "@/lib/testing/accounts";
import { seedRecords } from "@/lib/testing/seed-records";
import { ENDPOINTS } from "../endpoints";
import { authenticateApiRequest, createApiToken, listApiTokens, revokeApiToken } from "./tokens";
import pg from "pg";

const BASE = "http://127.0.0.1:3000/api/v1";
const none = { params: Promise.resolve({}) };
const at = (params: Record<string, string>) => ({ params: Promise.resolve(params) });
const call = (token: string | null, init: RequestInit & { url?: string } = {}) =>
  new Request(init.url ?? `${BASE}/x`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json", ...(init.headers ?? {}) } });
const json = async (res: Response) => ({ status: res.status, body: await res.json() });

// One person on loopback (single-user mode), as most studios run: their tokens act as them,
// the owner. Roles per token: api-roles.db.test.ts.
const studio = emptyStudio();
let owner: { userId: string; studioOwner: true };
/** A token made before the studio had any account (no person). */
let early: { id: string; token: string };
beforeAll(async () => {
  const { db: database, auth } = studio.get();
  early = await createApiToken(database, null, "before accounts");
  expect((await projectsGET(call(early.token), none)).status).toBe(200);
  owner = { userId: (await createOwner(database, auth, { name: "Olga", email: "olga@example.com", password: PASSWORD })).userId, studioOwner: true };
});

describe("API tokens", () => {
  test("a request without a token, with an unknown one, or a revoked one is refused with 401 and says why", async () => {
    const t = await createApiToken(db(), owner.userId, "CI");
    expect((await json(await projectsGET(call(null), none))).body.error.message).toMatch(/needs a token/);
    expect((await json(await projectsGET(call(null, { headers: { authorization: "Basic abc" } }), none))).status).toBe(401);
    expect((await json(await projectsGET(call(t.token.slice(0, -1) + (t.token.endsWith("A") ? "B" : "A")), none))).body.error).toEqual({
      code: "unauthenticated",
      message: "This API token is not known to this studio: it was never made here, or its account was deleted.",
    });
    expect((await projectsGET(call(t.token), none)).status).toBe(200);
    await revokeApiToken(db(), t.id, owner);
    expect((await json(await projectsGET(call(t.token), none))).body.error.message).toBe('This API token ("CI") was revoked.');
  });

  test("only the hash is stored; the list shows a prefix and when the token was last used", async () => {
    const t = await createApiToken(db(), owner.userId, "notebook");
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(JSON.stringify(row)).not.toContain(t.token);
    expect(row.lastUsedAt).toBeNull();
    await projectsGET(call(t.token), none);
    const listed = (await listApiTokens(db(), owner)).find((x) => x.id === t.id)!;
    expect(listed.prefix).toBe(t.token.slice(0, 9));
    expect(listed.lastUsedAt).not.toBeNull();
    expect(Object.keys(listed)).not.toContain("hash");
  });

  test("a token made before the studio had an account works in single-user mode, and is the owner's once there is one", async () => {
    expect((await listApiTokens(db(), owner)).find((t) => t.id === early.id)).toMatchObject({ mine: true });
    expect(await authenticateApiRequest(db(), call(early.token))).toMatchObject({ id: early.id, userId: owner.userId });
  });

  test("the body is not read before the token is checked", async () => {
    const res = await json(await projectsPOST(call(null, { method: "POST", body: "not json" }), none));
    expect(res.status).toBe(401);
  });
});

describe("API endpoints", () => {
  test("create a project and a dataset from a recipe, read and replace its blueprint, page and decide records, export them", async () => {
    const { token } = await createApiToken(db(), owner.userId, "script");
    const project = await json(await projectsPOST(call(token, { method: "POST", body: JSON.stringify({ name: `API ${Date.now()}` }) }), none));
    expect(project.status).toBe(201);
    const projectId = project.body.data.id as string;
    const created = await json(await datasetsPOST(call(token, { method: "POST", body: JSON.stringify({ name: "stories", starter: "children-stories" }) }), at({ projectId })));
    const datasetId = created.body.data.id as string;
    expect((await json(await datasetsGET(call(token), at({ projectId })))).body.data.map((d: { id: string }) => d.id)).toEqual([datasetId]);

    const read = await json(await blueprintGET(call(token), at({ datasetId })));
    expect(read.body.data.revision).toBe(0);
    const blueprint = read.body.data.blueprint;
    blueprint.fields[0].description = "changed through the API";
    const put = await json(await blueprintPUT(call(token, { method: "PUT", body: JSON.stringify({ blueprint, revision: 0 }) }), at({ datasetId })));
    expect(put.body).toEqual({ ok: true, data: { revision: 1 } });
    // A stale revision is a conflict, not a silent overwrite.
    expect((await blueprintPUT(call(token, { method: "PUT", body: JSON.stringify({ blueprint, revision: 0 }) }), at({ datasetId }))).status).toBe(409);

    const sql = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await sql.connect();
    try {
      await seedRecords(sql, { datasetId, runId: null }, 30);
    } finally {
      await sql.end();
    }
    const page = await json(await recordsGET(call(token, { url: `${BASE}/x?limit=10&offset=5` }), at({ datasetId })));
    expect(page.body.data.total).toBe(30);
    expect(page.body.data.records.map((r: { index: number }) => r.index)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const badFilter = await json(await recordsGET(call(token, { url: `${BASE}/x?filter=%7Bnope` }), at({ datasetId })));
    expect(badFilter).toMatchObject({ status: 400, body: { error: { message: "The filter parameter is not JSON." } } });

    const decided = await json(
      await decidePOST(call(token, { method: "POST", body: JSON.stringify({ target: { filter: {} }, reviewer: "ci-bot", decision: "accept" }) }), at({ datasetId })),
    );
    expect(decided.body.data.count).toBe(30);
    const accepted = await json(await recordsGET(call(token, { url: `${BASE}/x?filter=${encodeURIComponent('{"reviewState":["accepted"]}')}&limit=1` }), at({ datasetId })));
    expect(accepted.body.data.total).toBe(30);

    const file = await exportPOST(call(token, { method: "POST", body: JSON.stringify({ format: "jsonl", fields: ["topic"] }) }), at({ datasetId }));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/attachment/);
    expect((await file.text()).trim().split("\n")).toHaveLength(30);
    // Left out, the fields are all of them (the export page's default).
    const all = await exportPOST(call(token, { method: "POST", body: JSON.stringify({ format: "jsonl" }) }), at({ datasetId }));
    expect(Object.keys(JSON.parse((await all.text()).split("\n")[0]))).toEqual(expect.arrayContaining(["topic", "difficulty"]));
    const bad = await json(await exportPOST(call(token, { method: "POST", body: JSON.stringify({ format: "alpaca", mapping: { output: { kind: "field", name: "topic" } } }) }), at({ datasetId })));
    expect(bad).toMatchObject({ status: 400, body: { error: { message: "mapping.instruction: Choose the field that becomes the instruction." } } });
  });

  test("the OpenAPI document lists every endpoint with the schemas the routes parse, and needs no token", async () => {
    const doc = await (await openapiGET(new Request(`${BASE}/openapi.json`), none)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.servers[0].url).toBe("http://127.0.0.1:3000/api/v1");
    const operations = Object.values(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((p) => Object.values(p).map((o) => o.operationId));
    expect(operations.sort()).toEqual(Object.keys(ENDPOINTS).sort());
    const launch = doc.paths["/datasets/{datasetId}/runs"].post;
    expect(launch.requestBody.content["application/json"].schema.required).toEqual(expect.arrayContaining(["connectionId", "records"]));
    expect(launch.parameters).toEqual([expect.objectContaining({ name: "datasetId", in: "path", required: true })]);
    // A JSON-encoded query parameter is an optional string on the wire.
    const filter = doc.paths["/datasets/{datasetId}/records"].get.parameters.find((p: { name: string }) => p.name === "filter");
    expect(filter).toMatchObject({ in: "query", required: false, schema: { type: "string" } });
  });
});

describe("API records cursor", () => {
  test("following `next` walks every matching record once, in order either way, from a keyset in record order and an offset in other sorts; `total` only without a cursor", async () => {
    const { token } = await createApiToken(db(), null, "pager");
    const project = await json(await projectsPOST(call(token, { method: "POST", body: JSON.stringify({ name: `Pager ${Date.now()}` }) }), none));
    const created = await json(await datasetsPOST(call(token, { method: "POST", body: JSON.stringify({ name: "pages" }) }), at({ projectId: project.body.data.id })));
    const datasetId = created.body.data.id as string;
    const sql = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await sql.connect();
    try {
      // Two statements, so the walk crosses records sharing one createdAt and a change of it.
      await seedRecords(sql, { datasetId, runId: null }, 130);
      await seedRecords(sql, { datasetId, runId: null }, 130, 130);
    } finally {
      await sql.end();
    }
    const filter = encodeURIComponent(JSON.stringify({ values: [{ field: "topic", op: "eq", value: "music" }, { field: "difficulty", op: "eq", value: "easy" }] }));
    const walk = async (sort: string) => {
      const pages: { total: number | null; indexes: number[] }[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `${BASE}/x?limit=4&filter=${filter}&sort=${encodeURIComponent(sort)}${cursor ? `&cursor=${cursor}` : ""}`;
        const res = await json(await recordsGET(call(token, { url }), at({ datasetId })));
        expect(res.status).toBe(200);
        pages.push({ total: res.body.data.total, indexes: res.body.data.records.map((r: { index: number }) => r.index) });
        cursor = res.body.data.next;
      } while (cursor && pages.length < 100);
      return pages;
    };
    // topic cycles through 8 values and difficulty through 3: one record in 24 is both.
    const expected = Array.from({ length: 260 }, (_, i) => i).filter((i) => i % 8 === 5 && i % 3 === 0);
    const up = await walk('{"by":"position","dir":"asc"}');
    expect(up.flatMap((p) => p.indexes)).toEqual(expected);
    expect(up.map((p) => p.total)).toEqual([expected.length, ...up.slice(1).map(() => null)]);
    expect(up.length).toBe(Math.ceil(expected.length / 4));
    const down = await walk('{"by":"position","dir":"desc"}');
    expect(down.flatMap((p) => p.indexes)).toEqual([...expected].reverse());
    const byCost = (await walk('{"by":"cost","dir":"asc"}')).flatMap((p) => p.indexes);
    expect([...byCost].sort((a, b) => a - b)).toEqual(expected);

    // A cursor from another sort, or one the API never handed out, is refused and says why.
    const first = await json(await recordsGET(call(token, { url: `${BASE}/x?limit=2` }), at({ datasetId })));
    const next = first.body.data.next as string;
    const other = await json(await recordsGET(call(token, { url: `${BASE}/x?limit=2&cursor=${next}&sort=${encodeURIComponent('{"by":"cost","dir":"asc"}')}` }), at({ datasetId })));
    expect(other).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/made for another sort/) } } });
    const forged = await json(await recordsGET(call(token, { url: `${BASE}/x?cursor=bm9wZQ` }), at({ datasetId })));
    expect(forged).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/not one this API handed out/) } } });
  });
});
