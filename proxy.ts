// Runs before pages and server actions: the Host and Origin checks of
// lib/security/request-guard.ts. Route handlers (/api) run the same checks in their one
// edge, route() in lib/http: with a proxy in front of them Next buffers request bodies and
// passes on only the first 10 MB, which cut large imports.
import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { allowedHostNames, guardRequest } from "@/lib/security/request-guard";

let allowed: string[] | undefined;

export function proxy(request: NextRequest) {
  const cfg = env();
  allowed ??= allowedHostNames({ host: cfg.DATAWRIGHT_HOST, extra: cfg.DATAWRIGHT_ALLOWED_HOSTS });
  const refusal = guardRequest({
    method: request.method,
    host: request.headers.get("host"),
    origin: request.headers.get("origin"),
    fetchSite: request.headers.get("sec-fetch-site"),
    allowedHosts: allowed,
  });
  if (!refusal) return NextResponse.next();
  return NextResponse.json({ ok: false, error: { code: refusal.status === 421 ? "misdirected" : "forbidden", message: refusal.message } }, { status: refusal.status });
}

export const config = {
  // Everything but the build's static files and the route handlers under /api.
  matcher: ["/((?!_next/static|_next/image|api/).*)"],
};
