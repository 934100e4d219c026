// The request guard (request-guard.ts) with the studio's own host names, for a Request:
// what proxy.ts (pages, server actions) and route() in lib/http (route handlers) both ask.
import { env } from "@/lib/env";
import { allowedHostNames, guardRequest, type GuardRefusal } from "./request-guard";

let allowed: string[] | undefined;

export function refuseRequest(req: Request): GuardRefusal | null {
  const cfg = env();
  allowed ??= allowedHostNames({ host: cfg.DATAWRIGHT_HOST, extra: cfg.DATAWRIGHT_ALLOWED_HOSTS });
  return guardRequest({
    method: req.method,
    // A Request made in code (tests) has no Host header; its URL says where it was sent.
    host: req.headers.get("host") ?? new URL(req.url).host,
    origin: req.headers.get("origin"),
    fetchSite: req.headers.get("sec-fetch-site"),
    allowedHosts: allowed,
  });
}
