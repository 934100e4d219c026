import "server-only";
// An API route: the one HTTP edge (lib/http/route.ts: parsing, errors, Host/Origin, the
// access rule) with the endpoint's schemas and rule from lib/api/endpoints.ts, behind a
// token check. The token is checked before anything else: a request without one learns
// nothing about the address or the body it sent.
import { asApiUser } from "@/lib/auth/server/access";
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { failure, route, type RouteHandler, type RouteInput } from "@/lib/http/route";
import type { Endpoint } from "../endpoints";
import { authenticateApiRequest, type AuthenticatedToken } from "./tokens";

export type ApiToken = AuthenticatedToken;

/**
 * A valid token acts as the person who made it: the endpoint's access rule (the same as
 * the server action behind the page that does the same thing) is checked with their roles,
 * and everything the handler calls sees them as the caller (`currentCaller`).
 */
export function apiRoute<E extends Endpoint>(
  endpoint: E,
  handler: (input: RouteInput<E["params"], E["query"], E["body"]>, token: ApiToken) => Promise<Response>,
): RouteHandler {
  // The token travels with the request object: no state shared between requests.
  const tokens = new WeakMap<Request, ApiToken>();
  const parsed = route({ access: endpoint.access, params: endpoint.params, query: endpoint.query, body: endpoint.body }, (input) =>
    handler(input as RouteInput<E["params"], E["query"], E["body"]>, tokens.get(input.req)!),
  );
  return async (req, ctx) => {
    let token: ApiToken;
    try {
      token = await authenticateApiRequest(db(), req);
    } catch (e) {
      return failure(toActionError(e));
    }
    tokens.set(req, token);
    // No person (a studio with no account yet): no one's session counts either; the check
    // passes only in single-user mode, as for a browser there.
    return asApiUser(token.userId ?? "", () => parsed(req, ctx));
  };
}
