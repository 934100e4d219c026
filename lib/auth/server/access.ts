import "server-only";
// The session and role check behind every action() and route(). One SQL query answers
// all of it (is there a second account, whose session is this, their role in the project
// the input names, their best role anywhere) and is cached per request and project, so a
// page request that checks twice still reads the database once.
//
// Modes: with fewer than two accounts, on loopback, and DATAWRIGHT_ACCOUNTS not
// `required`, the studio is one person's and every check passes as owner (as before
// accounts existed). Otherwise a signed-in session is needed and roles apply.
import { AsyncLocalStorage } from "node:async_hooks";
import { createHmac, timingSafeEqual } from "node:crypto";
import { accountsRequired } from "@/lib/env";
import { DomainError, unauthenticated } from "@/lib/errors/domain-error";
import pg from "pg";
import { env } from "@/lib/env";
import { declaredRole, type AccessRule, type ProjectRef } from "../access";
import { allows, isRole, type Role } from "../roles";
import { authSecret, SESSION_COOKIE } from "./auth";
import { requestHeaders } from "./request";

export type Caller = {
  /** `single`: one person on loopback, no sign-in; everything is allowed. */
  mode: "single" | "accounts";
  /** Accounts in the studio (0 before the owner signs up). */
  accounts: number;
  user: { id: string; email: string; name: string; studioOwner: boolean } | null;
  /** Role in the project asked about (the studio owner is owner everywhere). */
  role: Role | null;
  /** Best role in any project, for checks made before the input names a project. */
  bestRole: Role | null;
  projectId: string | null;
};

type Row = {
  accounts: number;
  id: string | null;
  email: string | null;
  name: string | null;
  studio_role: string | null;
  best: number | null;
  project_id: string | null;
  role: string | null;
};

const RANKED: Role[] = ["annotator", "editor", "owner"];

/** The session token from better-auth's signed cookie, if its signature is this studio's. */
export function sessionToken(cookieHeader: string | null, secret: string): string | null {
  if (!cookieHeader) return null;
  let raw: string | undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) raw = part.slice(eq + 1).trim();
  }
  if (!raw) return null;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  // Same signature as better-call's signed cookies (HMAC-SHA256, base64), checked here
  // with node:crypto so the check stays synchronous and cheap.
  const dot = value.lastIndexOf(".");
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), "base64");
  const expected = createHmac("sha256", secret).update(token).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return token;
}

/** What readCaller needs of a connection: a pg Pool, or a wrapper over Prisma (tests). */
export type CallerQueryable = { query<R extends pg.QueryResultRow>(q: pg.QueryConfig): Promise<{ rows: R[] }> };

const g = globalThis as unknown as { datawrightAuthPool?: pg.Pool };

/**
 * A small pool of its own: plain pg with named prepared statements, planned once per
 * connection. Through Prisma the same query took 3.8 ms a check (bench `team`); the
 * export pool (lib/db/copy) is not shared, so a long download cannot hold up sign-ins.
 */
export function authPool(): pg.Pool {
  if (g.datawrightAuthPool) return g.datawrightAuthPool;
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: start the studio with `./studio start`, which provides the database.");
  const pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 30_000 });
  pool.on("error", (e) => console.error("[datawright] idle database connection failed:", e.message));
  g.datawrightAuthPool = pool;
  return pool;
}

/** Drops the pool (tests and the bench point the process at another database). */
export async function resetAuthPool(): Promise<void> {
  const pool = g.datawrightAuthPool;
  g.datawrightAuthPool = undefined;
  await pool?.end();
}

type ScopeKind = "none" | "projectId" | "datasetId" | "runId" | "recordId" | "seedTableId";

function projectSql(ref: ProjectRef | null): { sql: string; id: string | null; kind: ScopeKind } {
  const kind = (ref ? Object.keys(ref)[0] : "none") as ScopeKind;
  return { ...projectSqlOf(ref), kind };
}

function projectSqlOf(ref: ProjectRef | null): { sql: string; id: string | null } {
  if (!ref) return { sql: "null::uuid", id: null };
  if ("projectId" in ref) return { sql: `$2::uuid`, id: ref.projectId };
  if ("datasetId" in ref) return { sql: `(select "projectId" from "Dataset" where id = $2::uuid)`, id: ref.datasetId };
  if ("runId" in ref)
    return { sql: `(select d."projectId" from "Run" r join "Dataset" d on d.id = r."datasetId" where r.id = $2::uuid)`, id: ref.runId };
  if ("seedTableId" in ref)
    return { sql: `(select d."projectId" from "SeedTable" t join "Dataset" d on d.id = t."datasetId" where t.id = $2::uuid)`, id: ref.seedTableId };
  return { sql: `(select d."projectId" from "Record" r join "Dataset" d on d.id = r."datasetId" where r.id = $2::uuid)`, id: ref.recordId };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who a request says it is: a session's token (a signed-in browser), or a person an API token acts as. */
export type Credential = { session: string | null } | { apiUser: string };

/** Reads who is calling, and their role in the project `ref` names. One query. */
export async function readCaller(database: CallerQueryable, credential: Credential, ref: ProjectRef | null): Promise<Caller> {
  const p = projectSql(ref && UUID.test(Object.values(ref)[0]) ? ref : null);
  const byUser = "apiUser" in credential;
  const { rows } = await database.query<Row>({
    // Named: prepared once per connection, credential and scope kind.
    name: `datawright_caller_${byUser ? "api_" : ""}${p.kind}`,
    text: `with me as (
       select u.id, u.email, u.name, u."studioRole"
       ${byUser ? `from "user" u where u.id = $1` : `from "session" s join "user" u on u.id = s."userId" where s.token = $1 and s."expiresAt" > now()`}
     ), target as (select ${p.sql} as project_id)
     select (select count(*) from "user")::int as accounts,
            me.id, me.email, me.name, me."studioRole" as studio_role,
            (select max(case m.role when 'owner' then 3 when 'editor' then 2 when 'annotator' then 1 end)
               from "ProjectMember" m where m."userId" = me.id) as best,
            target.project_id,
            (select m.role from "ProjectMember" m where m."userId" = me.id and m."projectId" = target.project_id) as role
     from target left join me on true`,
    values: ["apiUser" in credential ? credential.apiUser : (credential.session ?? ""), ...(p.id ? [p.id] : [])],
  });
  const r = rows[0]!;
  const single = r.accounts < 2 && !accountsRequired();
  const studioOwner = r.studio_role === "owner";
  const user = r.id ? { id: r.id, email: r.email!, name: r.name!, studioOwner } : null;
  const best = r.best ? RANKED[r.best - 1]! : null;
  return {
    mode: single ? "single" : "accounts",
    accounts: r.accounts,
    user,
    role: single || studioOwner ? "owner" : isRole(r.role) ? r.role : null,
    bestRole: single || studioOwner ? "owner" : best,
    projectId: r.project_id,
  };
}

// Per request: the Headers object Next hands out lives as long as the request.
const perRequest = new WeakMap<Headers, Map<string, Promise<Caller>>>();

// The person an API request's token acts as (lib/api/server/route.ts sets it once the
// token is checked). Not a header: nothing a client sends can name a person.
const apiCaller = new AsyncLocalStorage<string>();

/** Runs `fn` as `userId`, for an API request whose token acts as them: every check inside applies their roles, and no session cookie counts. */
export function asApiUser<T>(userId: string, fn: () => T): T {
  return apiCaller.run(userId, fn);
}

/** The caller of this request (cached per request and project). */
export async function currentCaller(ref: ProjectRef | null = null): Promise<Caller> {
  const headers = await requestHeaders();
  let cache = perRequest.get(headers);
  if (!cache) perRequest.set(headers, (cache = new Map()));
  const apiUser = apiCaller.getStore();
  const key = (apiUser !== undefined ? `api:${apiUser}:` : "") + (ref ? JSON.stringify(ref) : "");
  let found = cache.get(key);
  if (!found) {
    found = readCaller(authPool(), apiUser !== undefined ? { apiUser } : { session: sessionToken(headers.get("cookie"), authSecret()) }, ref);
    cache.set(key, found);
    // A failed read is not kept: the next check in the request tries again.
    found.catch(() => cache.delete(key));
  }
  return found;
}

export const forbidden = (what: string) => new DomainError("forbidden", what);

function need(rule: AccessRule<never>): string {
  const r = declaredRole(rule);
  if (r === "studio-owner") return "Only the studio's owner can do this.";
  if (r === "member") return "";
  return `This needs the ${r} role in this project; ask the project's owner.`;
}

/**
 * Throws unless the caller may do what `rule` declares. `data` is the parsed input; with
 * none (the input did not parse), the check uses the caller's best role anywhere, so a
 * caller who could never do this hears "forbidden", not what was wrong with the input.
 */
export async function assertAccess<D>(rule: AccessRule<D>, data: D | undefined, parsed: boolean): Promise<Caller | null> {
  if ("public" in rule) return null;
  const ref = "project" in rule && parsed ? rule.project(data as D) : null;
  const caller = await currentCaller(ref);
  if (caller.mode === "single") return caller;
  if (!caller.user) throw unauthenticated();
  if ("studio" in rule) {
    if (!caller.user.studioOwner) throw forbidden(need(rule as AccessRule<never>));
    return caller;
  }
  if (rule.role === "member") return caller;
  const held = parsed ? caller.role : caller.bestRole;
  if (!allows(held, rule.role)) throw forbidden(need(rule as AccessRule<never>));
  return caller;
}
