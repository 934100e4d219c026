// What an action or route declares about who may call it, pure (the check itself is in
// server/access.ts). Every action() and route() must declare one: the type makes it
// required, and tests/roles.db.test.ts walks every action and route with every role.
import type { Role } from "./roles";

/** Which project a request acts on, as the input names it. */
export type ProjectRef = { projectId: string } | { datasetId: string } | { runId: string } | { recordId: string } | { seedTableId: string };

export type AccessRule<D> =
  /** The caller's role in the project the input names must be at least `role`. */
  | { role: Role; project: (data: D) => ProjectRef }
  /** Studio-wide things no project owns (provider keys and prices, accounts): the studio's owner. */
  | { role: "owner"; studio: true }
  /** Any signed-in person (their own password, a new project of their own). */
  | { role: "member" }
  /** Reachable signed out: signing in, creating the first account, taking an invitation. */
  | { public: string };

export type DeclaredRole = Role | "member" | "public" | "studio-owner";

/** The rule as one word, for the walk test and for reading. */
export function declaredRole(rule: AccessRule<never>): DeclaredRole {
  if ("public" in rule) return "public";
  if ("studio" in rule) return "studio-owner";
  return rule.role;
}
