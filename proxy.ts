// Runs before pages and server actions: the Host and Origin checks of
// lib/security/request-guard.ts. Route handlers (/api) run the same checks in their one
// edge, route() in lib/http: with a proxy in front of them Next buffers request bodies and
// passes on only the first 10 MB, which cut large imports.
import { NextResponse, type NextRequest } from "next/server";
import { PATH_HEADER } from "@/lib/auth/gate";
import { refuseRequest } from "@/lib/security/studio-guard";

export function proxy(request: NextRequest) {
  const refusal = refuseRequest(request);
  if (!refusal) {
    // The root layout sends signed-out people to sign in, except on the account pages
    // themselves: it needs the address, which layouts are not told.
    const headers = new Headers(request.headers);
    headers.set(PATH_HEADER, request.nextUrl.pathname);
    return NextResponse.next({ request: { headers } });
  }
  return NextResponse.json({ ok: false, error: { code: refusal.code, message: refusal.message } }, { status: refusal.status });
}

export const config = {
  // Everything but the build's static files and the route handlers under /api.
  matcher: ["/((?!_next/static|_next/image|api/).*)"],
};
