import { afterEach, describe, expect, test, vi } from "vitest";
import { z } from "zod";
import { DomainError } from "@/lib/errors/domain-error";
import { DatasetParams, encodedParam, MAX_JSON_BODY_BYTES, ok, route } from "./route";

// The edge itself, apart from roles (those: tests/roles.db.test.ts).
const OPEN = { public: "unit test of the route edge" };

const ID = "0b0f3f8e-6a3c-4d3e-9c1e-2f6a8b9c0d1e";
const ctx = (params: Record<string, string> = { datasetId: ID }) => ({ params: Promise.resolve(params) });
const get = (query = "", headers: Record<string, string> = {}) => new Request(`http://127.0.0.1:3000/x${query}`, { headers });
const post = (body: string, headers: Record<string, string> = {}) => new Request("http://127.0.0.1:3000/x", { method: "POST", body, headers });

async function answer(res: Response) {
  return { status: res.status, body: await res.json(), cache: res.headers.get("cache-control") };
}

afterEach(() => vi.restoreAllMocks());

describe("route", () => {
  test("hands the handler parsed params, query and body", async () => {
    const handler = route(
      { access: OPEN, params: DatasetParams, query: z.object({ n: z.coerce.number() }), body: z.object({ name: z.string() }) },
      async ({ params, query, body }) => ok({ params, query, body }),
    );
    const res = await handler(new Request("http://127.0.0.1:3000/x?n=3", { method: "POST", body: JSON.stringify({ name: "a" }) }), ctx());
    expect(await answer(res)).toEqual({ status: 200, cache: null, body: { ok: true, data: { params: { datasetId: ID }, query: { n: 3 }, body: { name: "a" } } } });
  });

  test("a bad dataset id in the address is a 400 with the one error shape", async () => {
    const handler = route({ access: OPEN, params: DatasetParams }, async () => ok(1));
    // 36 dashes has a uuid's length and alphabet but is none: refused the same way, not a 500.
    for (const datasetId of ["-".repeat(36), "00000000-0000-0000-0000-00000000000g"]) {
      expect((await answer(await handler(get(), ctx({ datasetId })))).status).toBe(400);
    }
    expect(await answer(await handler(get(), ctx({ datasetId: "not-a-uuid" })))).toEqual({
      status: 400,
      cache: "no-store",
      body: { ok: false, error: { code: "invalid_input", message: "The dataset id in the address is not valid." } },
    });
  });

  test("a body that is not JSON, or does not match, is a 400 with the schema's message", async () => {
    const handler = route({ access: OPEN, body: z.object({ count: z.number({ error: "Say how many." }) }) }, async () => ok(1));
    const notJson = await answer(await handler(post("{not json"), ctx()));
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_input");
    expect(await answer(await handler(post(JSON.stringify({ count: "x" })), ctx()))).toEqual({
      status: 400,
      cache: "no-store",
      body: { ok: false, error: { code: "invalid_input", message: "Say how many." } },
    });
  });

  test("an encoded query parameter that cannot be decoded says so; one that decodes is parsed", async () => {
    const handler = route({ access: OPEN, query: z.object({ q: encodedParam(z.object({ k: z.literal(1) }), "The request is not readable.") }) }, async ({ query }) => ok(query.q));
    for (const q of ["", "?q=%7Bnope", "?q=null"]) {
      const { status, body } = await answer(await handler(get(q), ctx()));
      expect(status).toBe(400);
      if (q !== "?q=null") expect(body.error.message).toBe("The request is not readable.");
    }
    expect((await answer(await handler(get(`?q=${encodeURIComponent('{"k":1}')}`), ctx()))).body).toEqual({ ok: true, data: { k: 1 } });
  });

  test("domain errors thrown by the handler keep their code and get its status", async () => {
    for (const [code, status] of [["not_found", 404], ["too_large", 413], ["conflict", 409], ["invalid_input", 400]] as const) {
      const handler = route({ access: OPEN }, async () => {
        throw new DomainError(code, `it is ${code}`);
      });
      expect(await answer(await handler(get(), ctx()))).toEqual({ status, cache: "no-store", body: { ok: false, error: { code, message: `it is ${code}` } } });
    }
  });

  test("anything else is a 500 with a generic message, logged on the server", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const handler = route({ access: OPEN }, async () => {
      throw new Error("relation \"Secret\" does not exist");
    });
    const { status, body } = await answer(await handler(get(), ctx()));
    expect(status).toBe(500);
    expect(body.error.code).toBe("internal");
    expect(body.error.message).not.toContain("Secret");
    expect(log).toHaveBeenCalled();
  });

  test("a declared body over the route's cap is refused with 413 before the handler runs", async () => {
    const handler = vi.fn(async () => ok(1));
    const capped = route({ access: OPEN, maxBytes: { bytes: 10, message: (n) => `${n} bytes is too much.` } }, handler);
    expect(await answer(await capped(post("x".repeat(11), { "content-length": "11" }), ctx()))).toEqual({
      status: 413,
      cache: "no-store",
      body: { ok: false, error: { code: "too_large", message: "11 bytes is too much." } },
    });
    expect(handler).not.toHaveBeenCalled();
    expect((await capped(post("x".repeat(10), { "content-length": "10" }), ctx())).status).toBe(200);
  });

  test("onError is told about every failure answered", async () => {
    const seen: string[] = [];
    const handler = route({ access: OPEN, params: DatasetParams, onError: (e) => seen.push(e.code) }, async () => {
      throw new DomainError("not_found", "gone");
    });
    await handler(get(), ctx({ datasetId: "x" }));
    await handler(get(), ctx());
    expect(seen).toEqual(["invalid_input", "not_found"]);
  });

  test("a foreign Host or a cross-site POST is refused before the handler runs", async () => {
    let ran = false;
    const handler = route({ access: OPEN }, async () => ((ran = true), ok(1)));
    const rebound = await answer(await handler(new Request("http://evil.example:3000/x", { method: "POST", body: "{}" }), ctx()));
    expect(rebound).toMatchObject({ status: 421, body: { ok: false, error: { code: "misdirected" } } });
    const crossSite = await answer(await handler(post("{}", { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" }), ctx()));
    expect(crossSite).toMatchObject({ status: 403, body: { ok: false, error: { code: "forbidden" } } });
    expect(ran).toBe(false);
    expect((await handler(post("{}", { origin: "http://127.0.0.1:3000" }), ctx())).status).toBe(200);
  });

  test("a JSON body is read only up to its cap, with or without a Content-Length", async () => {
    const handler = route({ access: OPEN, body: z.unknown() }, async () => ok(1));
    const big = JSON.stringify({ s: "x".repeat(MAX_JSON_BODY_BYTES) });
    const declared = await answer(await handler(post(big), ctx()));
    expect(declared).toMatchObject({ status: 413, body: { error: { code: "too_large" } } });
    // Chunked, no Content-Length: the reader stops at the cap instead of buffering it all.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent > MAX_JSON_BODY_BYTES * 4) return c.close();
        sent += 1 << 20;
        c.enqueue(new Uint8Array(1 << 20).fill(32));
      },
    });
    const chunked = await handler(new Request("http://127.0.0.1:3000/x", { method: "POST", body: stream, duplex: "half" } as RequestInit), ctx());
    expect(chunked.status).toBe(413);
    expect(sent).toBeLessThan(MAX_JSON_BODY_BYTES * 2);
  });
});
