"use server";
// Settings → Audit reads the trail through this: the studio's owner alone, like provider
// keys and accounts (the trail names everyone and every project).
import { db } from "@/lib/db/server/prisma";
import { action } from "@/lib/errors/action";
import { AuditQuery } from "./events";
import { listAudit } from "./server/list";

export async function listAuditAction(input: unknown) {
  return action(AuditQuery, input, (query) => listAudit(db(), query), { role: "owner", studio: true });
}
