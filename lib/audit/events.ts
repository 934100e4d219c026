// What the audit trail records, and how an event reads to a person. Pure: imported by the
// Settings → Audit page, the server actions and the writer alike.
import { z } from "zod";

/** Every audited action, with how it reads in the list ("accepted", "changed the key of"). */
export const AUDIT_ACTIONS = {
  "review.decide": "Decision",
  "review.bulk-decide": "Bulk decision",
  "review.edit": "Record edit",
  "review.restore": "Record restored",
  "review.labels": "Label change",
  "review.bulk-label": "Bulk label change",
  "review.label-schema": "Label schema change",
  "review.adjudicate": "Adjudication",
  "export.start": "Export started",
  "provider.create": "Provider connection added",
  "provider.update": "Provider connection changed",
  "provider.delete": "Provider connection removed",
  "team.role": "Role change",
  "team.invite": "Invitation created",
  "team.invite-used": "Invitation used",
  "team.invite-revoke": "Invitation revoked",
  "team.account": "Account created",
  "api-token.create": "API token created",
  "api-token.revoke": "API token revoked",
  "run.launch": "Run launched",
  "run.cancel": "Run cancelled",
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]];

/**
 * Who did it. `userId` null with `name` null means "the studio's local owner" (single-user
 * mode with no session): the writer resolves it to the owner account in the same INSERT.
 */
export type Actor = { userId: string; name: string } | { userId: null; name: string | null };
export const LOCAL_OWNER: Actor = { userId: null, name: null };
/** The name shown when nobody has an account yet (single-user mode before the owner signs up). */
export const LOCAL_OWNER_NAME = "Local owner";

/** Keyset position: the last row shown, newest-first order is (at desc, id desc). */
export const AuditCursor = z.object({ at: z.iso.datetime(), id: z.uuid() });
export type AuditCursor = z.infer<typeof AuditCursor>;

export const AUDIT_PAGE_SIZE = 50;

export const AuditQuery = z.object({
  action: z.enum(AUDIT_ACTION_NAMES).optional(),
  /** The actor's user id; "local" for events with no account behind them. */
  actorId: z.string().min(1).max(200).optional(),
  datasetId: z.uuid().optional(),
  after: AuditCursor.optional(),
  limit: z.number().int().min(1).max(200).default(AUDIT_PAGE_SIZE),
});
export type AuditQuery = z.input<typeof AuditQuery>;

export type AuditEventView = {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string;
  action: string;
  projectId: string | null;
  datasetId: string | null;
  target: string;
  detail: Record<string, unknown>;
};

export function actionLabel(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action;
}

const DECIDED: Record<string, string> = { accept: "accepted", reject: "rejected", reset: "reset" };

function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** One line saying what happened, from the event's action and detail (never a secret). */
export function describeEvent(e: Pick<AuditEventView, "action" | "target" | "detail">): string {
  const d = e.detail;
  const t = e.target;
  const count = typeof d.count === "number" ? d.count : null;
  switch (e.action) {
    case "review.decide":
      return `${DECIDED[String(d.decision)] ?? String(d.decision)} ${t}`;
    case "review.bulk-decide":
      return `${DECIDED[String(d.decision)] ?? String(d.decision)} ${plural(count ?? 0, "record")}${d.filter ? " matching a filter" : d.ids ? " selected" : ""}`;
    case "review.edit":
      return `edited ${d.field ? `"${String(d.field)}" of ` : ""}${t}`;
    case "review.restore":
      return `restored an earlier version of ${t}`;
    case "review.labels":
      return `set the labels of ${t}`;
    case "review.bulk-label":
      return `${d.value === null ? `cleared label "${String(d.label)}" on` : `set label "${String(d.label)}" to ${JSON.stringify(d.value)} on`} ${plural(count ?? 0, "record")}`;
    case "review.label-schema":
      return `changed the label schema of ${t}`;
    case "review.adjudicate":
      return `settled ${t}: ${DECIDED[String(d.decision)] ?? String(d.decision)}${d.reason ? ` (${String(d.reason)})` : ""}`;
    case "export.start":
      return `started an export of ${t}${d.format ? ` (${String(d.format)})` : ""}`;
    case "provider.create":
      return `added the provider connection ${t}`;
    case "provider.update":
      return `changed ${Array.isArray(d.changed) && d.changed.length ? (d.changed as string[]).join(", ") : "nothing"} of the provider connection ${t}`;
    case "provider.delete":
      return `removed the provider connection ${t}`;
    case "team.role":
      return d.role === null ? `removed ${t} from the project` : `made ${t} ${String(d.role)}${d.previous ? ` (was ${String(d.previous)})` : ""}`;
    case "team.invite":
      return `invited ${t} as ${String(d.role)}`;
    case "team.invite-used":
      return `took the invitation for ${t} (${String(d.role)})`;
    case "team.invite-revoke":
      return `revoked the invitation for ${t}`;
    case "team.account":
      return `created the account ${t}${d.role ? ` (${String(d.role)})` : ""}`;
    case "api-token.create":
      return `created the API token ${t}`;
    case "api-token.revoke":
      return `revoked the API token ${t}`;
    case "run.launch":
      return `launched ${t}${typeof d.records === "number" ? ` (${plural(d.records, "record")})` : ""}`;
    case "run.cancel":
      return `cancelled ${t}`;
    default:
      return `${actionLabel(e.action)} ${t}`.trim();
  }
}
