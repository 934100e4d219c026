// Roles per project, pure (no I/O). Each role includes the ones below it: an owner can do
// what an editor can, an editor what an annotator can.
//   owner     everything, including provider keys, prices and costs, and members
//   editor    design, runs, export
//   annotator review and label; sees no keys, no costs, no export
export const ROLES = ["annotator", "editor", "owner"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether `held` (null: not a member) is enough for `required`. */
export function allows(held: Role | null | undefined, required: Role): boolean {
  if (!held) return false;
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

export const ROLE_LABEL: Record<Role, string> = { owner: "Owner", editor: "Editor", annotator: "Annotator" };

export const ROLE_MEANING: Record<Role, string> = {
  owner: "Everything, including provider keys, costs and members.",
  editor: "Design, runs and export.",
  annotator: "Review and label records; no keys, costs or export.",
};
