// The one HTTP edge: every route handler goes through `route()`, which parses the
// address's params, the query and a JSON body with zod, and turns any failure into one
// answer, `{ ok: false, error: { code, message } }` with the status from status.ts. Route
// handlers exist where server actions cannot serve (streamed uploads and downloads, GETs
// that run in parallel); they answer in the same ActionResult shape as actions, so the
// client reads both the same way (lib/errors/client.ts).
import { z } from "zod";
import type { AccessRule } from "@/lib/auth/access";
import { assertAccess } from "@/lib/auth/server/access";
import { withRequestHeaders } from "@/lib/auth/server/request";
import { toActionError } from "@/lib/errors/action";
import { DomainError, type ActionError, type ActionResult } from "@/lib/errors/domain-error";
import { refuseRequest } from "@/lib/security/studio-guard";
import { statusFor } from "./status";

/** Every JSON body is read up to this much (a blueprint is at most 4 MB, lib/blueprints/limits.ts). */
export const MAX_JSON_BODY_BYTES = 6 * 1024 * 1024;

/** The `[datasetId]` segment every dataset route has. */
export const DatasetParams = z.object({ datasetId: z.uuid({ error: "The dataset id in the address is not valid." }) });

/**
 * A query parameter that carries encoded data (JSON, base64 JSON): decoded, then parsed
 * with `schema`. A missing or undecodable value reports `unreadable`.
 */
export function encodedParam<S extends z.ZodType>(schema: S, unreadable: string, decode: (s: string) => unknown = JSON.parse) {
  // A string on the way in, so the OpenAPI document (lib/api/openapi.ts) types it.
  return z
    .string({ error: unreadable })
    .transform((value, ctx) => {
      try {
        return decode(value);
      } catch {
        ctx.addIssue({ code: "custom", message: unreadable });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

type Schema = z.ZodType | undefined;

export type RouteSpec<P extends Schema, Q extends Schema, B extends Schema> = {
  /**
   * Who may call it, checked on the address and query before the body is read (required:
   * tests/roles.db.test.ts walks every route with every role).
   */
  access: AccessRule<{ params: Parsed<P>; query: Parsed<Q> }>;
  params?: P;
  /** Parsed from the query string as an object of strings (a repeated key keeps its last value). */
  query?: Q;
  /** A JSON body. Streamed bodies (uploads) leave this out and read `req.body`. */
  body?: B;
  /**
   * Refuses a body whose declared Content-Length is over `bytes` with `too_large`, before
   * any of it is read.
   */
  maxBytes?: { bytes: number; message: (declared: number) => string };
  /** Told about every failure answered, e.g. to record it where a poller looks. */
  onError?: (error: ActionError, req: Request) => void;
};

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;
export type RouteInput<P, Q, B> = { req: Request; params: Parsed<P>; query: Parsed<Q>; body: Parsed<B> };
/** What Next calls: the second argument holds the dynamic segments of the address. */
export type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export function route<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<Response>,
): RouteHandler {
  return async (req, ctx) => {
    try {
      admit(req, spec);
      let params: unknown, query: unknown;
      try {
        params = parseWith(spec.params, await ctx.params);
        query = parseWith(spec.query, spec.query ? Object.fromEntries(new URL(req.url).searchParams) : undefined);
      } catch (e) {
        // A caller who could never call this hears "forbidden", not what was wrong with the address.
        await withRequestHeaders(req.headers, () => assertAccess(spec.access, undefined, false));
        throw e;
      }
      // The session comes from this request's own headers (route handlers have them; and
      // tests and the bench call handlers outside Next's request scope).
      await withRequestHeaders(req.headers, () => assertAccess(spec.access, { params, query } as { params: Parsed<P>; query: Parsed<Q> }, true));
      const body = parseWith(spec.body, spec.body ? await readJson(req, MAX_JSON_BODY_BYTES) : undefined);
      return await handler({ req, params, query, body } as RouteInput<P, Q, B>);
    } catch (e) {
      const error = toActionError(e);
      spec.onError?.(error, req);
      return failure(error);
    }
  };
}

/**
 * Checks on the request itself, before anything is parsed or read: one place, so no route
 * handler can miss them. Host and Origin (lib/security/request-guard.ts) are checked
 * here for route handlers, and in proxy.ts for pages and server actions: a proxy in front
 * of a route handler makes Next buffer its body, and cut uploads past 10 MB.
 */
function admit(req: Request, spec: Pick<RouteSpec<Schema, Schema, Schema>, "maxBytes">): void {
  const refusal = refuseRequest(req);
  if (refusal) throw new DomainError(refusal.code, refusal.message);
  if (spec.maxBytes) {
    const declared = Number(req.headers.get("content-length") ?? "0");
    if (declared > spec.maxBytes.bytes) throw new DomainError("too_large", spec.maxBytes.message(declared));
  }
}

/**
 * A JSON body, read up to `limit` bytes: the samples route read any body whole (300 MB
 * raised the studio's memory to 1.4 GB). Unparseable JSON reads as null (the schema says why).
 */
async function readJson(req: Request, limit: number): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  const tooLarge = () => new DomainError("too_large", `The request is larger than ${limit / (1024 * 1024)} MB.`);
  if (declared > limit) throw tooLarge();
  if (!req.body) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return null;
  }
}

function parseWith(schema: Schema, value: unknown): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value);
  // The first issue's own message: route schemas word theirs for a person (see DatasetParams).
  if (!parsed.success) throw new DomainError("invalid_input", parsed.error.issues[0]?.message ?? "The request is not valid.");
  return parsed.data;
}

/** A successful JSON answer. */
export function ok<T>(data: T, init?: ResponseInit): Response {
  return Response.json({ ok: true, data } satisfies ActionResult<T>, init);
}

/** A failed JSON answer; errors are never cached. */
export function failure(error: ActionError): Response {
  return Response.json({ ok: false, error } satisfies ActionResult<never>, { status: statusFor(error.code), headers: { "cache-control": "no-store" } });
}
