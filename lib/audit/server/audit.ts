import "server-only";
// The one writer of the audit trail. A service calls audit(tx, actor, event) inside the
// transaction that makes the change, or, when its change is one SQL statement (the review
// writes), puts auditInsertSql(...) in that statement as a CTE reading the changed rows:
// either way the event commits with the change or not at all, at the cost of one INSERT.
import type { Caller } from "@/lib/auth/server/access";
import type { Db } from "@/lib/db/server/prisma";
import { createUuidV7 } from "@/lib/db/uuid-v7";
import { Prisma } from "@/lib/generated/prisma/client";
import { LOCAL_OWNER, LOCAL_OWNER_NAME, type Actor, type AuditAction } from "../events";

// Time-ordered: events of one transaction share `at` (now()), the id keeps their order.
const eventId = createUuidV7();

export type AuditWrite = {
  action: AuditAction;
  projectId?: string | null;
  datasetId?: string | null;
  /** What was acted on, as a person reads it: "record #12", "connection “OpenAI”". */
  target?: string;
  /** Facts about the change, never a secret (a key is recorded as "key changed", not its value). */
  detail?: Record<string, unknown>;
};

/** Who a server action acts for: the signed-in person, else (single-user mode) the local owner. */
export function actorOf(caller: Caller | null): Actor {
  if (caller?.user) return { userId: caller.user.id, name: caller.user.name || caller.user.email };
  return LOCAL_OWNER;
}

/**
 * An HTTP API request acts through its token, as the person who made it: the event is theirs
 * (their id) and says it came through that token. A token made before accounts has no person.
 */
export function actorOfToken(token: { name: string; userId?: string | null }): Actor {
  return { userId: token.userId ?? null, name: `API token “${token.name}”` };
}

/**
 * The INSERT of one event per row of `from` (default: exactly one). Columns given as SQL
 * (`datasetId`, `target`, `detail`) may read `from`'s rows, e.g. the record a statement
 * changed; `detail` SQL is merged over `event.detail`. With no row in `from` (nothing
 * changed), nothing is written. The project is taken from the dataset when not given.
 */
export function auditInsertSql(
  actor: Actor,
  event: AuditWrite,
  from?: { source: Prisma.Sql; datasetId?: Prisma.Sql; target?: Prisma.Sql; detail?: Prisma.Sql },
): Prisma.Sql {
  const datasetId = from?.datasetId ?? Prisma.sql`${event.datasetId ?? null}::uuid`;
  const target = from?.target ?? Prisma.sql`${event.target ?? ""}::text`;
  const detail = Prisma.sql`${JSON.stringify(event.detail ?? {})}::jsonb${from?.detail ? Prisma.sql` || ${from.detail}` : Prisma.empty}`;
  const local = actor.userId === null && actor.name === null;
  // The local owner is resolved here, in the same statement, not by a read before it.
  const owner = local
    ? Prisma.sql`left join lateral (select u.id, u.name from "user" u where u."studioRole" = 'owner' order by u."createdAt" limit 1) o on true`
    : Prisma.sql`left join lateral (select null::text as id, null::text as name) o on true`;
  return Prisma.sql`
    insert into "AuditEvent" (id, "actorId", "actorName", action, "projectId", "datasetId", target, detail)
    select ${eventId()}::uuid, coalesce(${actor.userId}::text, o.id), coalesce(${actor.name}::text, o.name, ${LOCAL_OWNER_NAME}::text), ${event.action}::text,
      coalesce(${event.projectId ?? null}::uuid, (select d."projectId" from "Dataset" d where d.id = ${datasetId})), ${datasetId}, ${target}, ${detail}
    from (select 1) one ${owner}${from ? Prisma.sql` cross join ${from.source}` : Prisma.empty}`;
}

/** Writes one event; pass the transaction that makes the change. */
export async function audit(tx: Pick<Db, "$executeRaw">, actor: Actor, event: AuditWrite): Promise<void> {
  await tx.$executeRaw(auditInsertSql(actor, event));
}
