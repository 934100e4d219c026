import "server-only";
// The request's headers, for the access check. In Next, next/headers; outside a request
// (database tests, scripts calling an action) the caller says whose request it is.
import { AsyncLocalStorage } from "node:async_hooks";

const store = new AsyncLocalStorage<Headers>();

export function withRequestHeaders<T>(headers: Headers, fn: () => T): T {
  return store.run(headers, fn);
}

export async function requestHeaders(): Promise<Headers> {
  const own = store.getStore();
  if (own) return own;
  const { headers } = await import("next/headers");
  return (await headers()) as unknown as Headers;
}

/** The client's address as the reverse proxy or the socket reports it (for the slow-down). */
export function clientAddress(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
}
