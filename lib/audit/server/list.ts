import "server-only";
// Reading the audit trail, newest first, a keyset page at a time: the next page starts
// after the last (at, id) shown, so a page deep in a long trail costs what the first does
// (the (at desc, id desc) index), and events written meanwhile do not shift the pages.
import type { Db } from "@/lib/db/server/prisma";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AuditQuery, type AuditEventView } from "../events";

export type AuditPage = { events: (AuditEventView & { datasetName: string | null })[]; next: { at: string; id: string } | null };

export async function listAudit(db: Db, input: AuditQuery): Promise<AuditPage> {
  const q = AuditQuery.parse(input);
  const where: Prisma.AuditEventWhereInput = {
    ...(q.action ? { action: q.action } : {}),
    ...(q.actorId ? { actorId: q.actorId === "local" ? null : q.actorId } : {}),
    ...(q.datasetId ? { datasetId: q.datasetId } : {}),
    ...(q.after ? { OR: [{ at: { lt: new Date(q.after.at) } }, { at: new Date(q.after.at), id: { lt: q.after.id } }] } : {}),
  };
  const rows = await db.auditEvent.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], take: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const ids = [...new Set(page.map((r) => r.datasetId).filter((d): d is string => !!d))];
  const names = new Map((await db.dataset.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } })).map((d) => [d.id, d.name]));
  const last = page.at(-1);
  return {
    events: page.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actorId,
      actorName: r.actorName,
      action: r.action,
      projectId: r.projectId,
      datasetId: r.datasetId,
      datasetName: r.datasetId ? (names.get(r.datasetId) ?? null) : null,
      target: r.target,
      detail: (r.detail ?? {}) as Record<string, unknown>,
    })),
    next: rows.length > q.limit && last ? { at: last.at.toISOString(), id: last.id } : null,
  };
}

/**
 * The choices of the page's filters: the studio's accounts (from "user", not a scan of the
 * trail, which grows with every decision), "no account" (the local owner before an account
 * existed, API tokens, scripts), and the datasets.
 */
export async function auditFilters(db: Db) {
  const [users, datasets] = await Promise.all([
    db.user.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, email: true } }),
    db.dataset.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, project: { select: { name: true } } } }),
  ]);
  return {
    people: [...users.map((u) => ({ id: u.id, name: `${u.name} (${u.email})` })), { id: "local", name: "No account (local owner, API tokens)" }],
    datasets: datasets.map((d) => ({ id: d.id, name: `${d.project.name} / ${d.name}` })),
  };
}
