import "server-only";
// Who a team-review action acts as, from the caller the access check found (actions.ts).
// Kept apart from team.ts so the services there take plain people, not sessions.
import type { Caller } from "@/lib/auth/server/access";
import type { Db } from "@/lib/db/server/prisma";
import { invalid } from "@/lib/errors/domain-error";
import type { DecideInput } from "../schemas";
import type { RowPatch } from "../types";
import { decide } from "./decisions";
import { actorOf } from "@/lib/audit/server/audit";
import { assertMayReview, decideAsAssignee, type Person } from "./team";

/** The signed-in person; team review is per person, so single-user mode (no accounts) has none. */
export function personOf(caller: Caller | null): Person {
  if (caller?.user) return { userId: caller.user.id, name: caller.user.name || caller.user.email };
  throw invalid("Assignments and queues are per person: create accounts first (Settings → Accounts), then sign in.");
}

/** Annotators are held to their assignments; editors and owners, and single-user mode, are not. */
export function limitsOf(caller: Caller | null) {
  return { userId: caller?.user?.id ?? null, annotator: caller?.mode === "accounts" && caller.role === "annotator" };
}

export async function mayReview(db: Db, recordId: string, caller: Caller | null) {
  return assertMayReview(db, recordId, limitsOf(caller));
}

/**
 * The grid's decide: a person assigned the record decides for themselves (the final
 * decision follows, team.ts); anyone else decides the final one directly, as before.
 */
export async function decideForCaller(db: Db, data: DecideInput, caller: Caller | null): Promise<RowPatch> {
  const a = await mayReview(db, data.recordId, caller);
  if (a.mine && caller?.user) {
    const { mine: _mine, ...row } = await decideAsAssignee(db, { recordId: data.recordId, decision: data.decision }, personOf(caller));
    return row;
  }
  return decide(db, data, actorOf(caller));
}
