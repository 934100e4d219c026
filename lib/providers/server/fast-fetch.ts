import "server-only";
// The `fetch` the OpenAI SDK uses here: undici's request() under a shared keep-alive
// pool instead of the WHATWG fetch machinery. Measured against the fake server at 64
// concurrent requests: 148 µs of CPU per request instead of 293 µs, which is what lets
// one process keep 512 slow requests in flight without falling behind.
// Answers are read whole, except event streams (live samples), which stay streams.
import { Readable } from "node:stream";
import { Agent, request } from "undici";

const agent = new Agent({ connections: 2048, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000 });

export async function fastFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
  // File uploads (batch mode's input files) are multipart FormData, which undici's request()
  // does not encode: the platform fetch does, and one upload per batch costs nothing.
  if (init.body instanceof FormData) return fetch(input, init);
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const headers: Record<string, string> = {};
  if (init.headers) new Headers(init.headers).forEach((v, k) => (headers[k] = v));
  const res = await request(url, {
    method: (init.method ?? "GET") as "GET",
    headers,
    body: init.body as string | Uint8Array | null | undefined,
    signal: init.signal ?? undefined,
    dispatcher: agent,
  });
  const out = new Headers();
  for (const [k, v] of Object.entries(res.headers)) {
    if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(", ") : String(v));
  }
  const streaming = (out.get("content-type") ?? "").startsWith("text/event-stream");
  const body = res.statusCode === 204 || res.statusCode === 304 ? null : streaming ? (Readable.toWeb(res.body) as ReadableStream<Uint8Array>) : await res.body.arrayBuffer();
  return new Response(body, { status: res.statusCode, headers: out });
}
