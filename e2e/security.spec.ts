import http from "node:http";
import { expect, test } from "@playwright/test";

// Requests as a hostile web page would send them, straight to the production server:
// DNS rebinding (a foreign Host, with a matching Origin) and cross-site POSTs that need no
// preflight (text/plain bodies). proxy.ts must refuse them all before any route runs.
function send(baseURL: string, opts: { method: string; path: string; headers?: Record<string, string>; body?: string }) {
  const url = new URL(opts.path, baseURL);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method, headers: opts.headers }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

test("a foreign Host (DNS rebinding) and cross-site POSTs are refused; the studio's own requests pass", async ({ baseURL }) => {
  const port = new URL(baseURL!).port;
  const rebound = await send(baseURL!, { method: "GET", path: "/", headers: { host: `evil.example:${port}` } });
  expect(rebound.status).toBe(421);
  expect(rebound.body).toContain('does not answer to the name \\"evil.example\\"');

  // A server action called from a rebound page: Host and Origin both the attacker's.
  const action = await send(baseURL!, {
    method: "POST",
    path: "/settings/providers",
    headers: { host: `evil.example:${port}`, origin: `http://evil.example:${port}`, "next-action": "0".repeat(40), "content-type": "text/plain;charset=UTF-8" },
    body: "[]",
  });
  expect(action.status).toBe(421);

  // Cross-site text/plain POSTs to every state-changing route (the route handlers, and a
  // page where server actions are posted). The export is a GET: it changes nothing.
  const id = "00000000-0000-4000-8000-000000000000";
  for (const path of [`/api/datasets/${id}/samples`, `/api/datasets/${id}/import`, `/api/datasets/${id}/seed-tables`, "/"]) {
    const r = await send(baseURL!, { method: "POST", path, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site", "content-type": "text/plain" }, body: "{}" });
    expect(r.status, path).toBe(403);
  }

  const own = await send(baseURL!, { method: "GET", path: "/", headers: { host: `localhost:${port}` } });
  expect(own.status).toBe(200);
});
