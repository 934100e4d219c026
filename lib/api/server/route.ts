import "server-only";
// An API route: the one HTTP edge (lib/http/route.ts: parsing, errors, Host/Origin) with the
// endpoint's schemas from lib/api/endpoints.ts, behind a token check. The token is checked
// before the body is read: a request without one learns nothing about the body it sent.
import { db } from "@/lib/db/server/prisma";
import { toActionError } from "@/lib/errors/action";
import { failure, route, type RouteHandler, type RouteInput } from "@/lib/http/route";
import type { Endpoint } from "../endpoints";
import { authenticateApiRequest } from "./tokens";

export type ApiToken = { id: string; name: string };

/**
 * The access rule every /api/v1 route declares: no session is needed, because the token is
 * checked here, before route() runs. A valid token acts as the studio's owner (only the
 * owner creates tokens, lib/api/actions.ts), with accounts on or off.
 */
export const API_ACCESS = { public: "API token checked in apiRoute" } as const;

export function apiRoute<E extends Endpoint>(
  endpoint: E,
  handler: (input: RouteInput<E["params"], E["query"], E["body"]>, token: ApiToken) => Promise<Response>,
): RouteHandler {
  // The token travels with the request object: no state shared between requests.
  const tokens = new WeakMap<Request, ApiToken>();
  const parsed = route({ access: API_ACCESS, params: endpoint.params, query: endpoint.query, body: endpoint.body }, (input) =>
    handler(input as RouteInput<E["params"], E["query"], E["body"]>, tokens.get(input.req)!),
  );
  return async (req, ctx) => {
    try {
      tokens.set(req, await authenticateApiRequest(db(), req));
    } catch (e) {
      return failure(toActionError(e));
    }
    return parsed(req, ctx);
  };
}
