import "server-only";
// The access check for pages: what a page shows or reads goes through the same rule as
// the actions behind it. Signed out: to the sign-in page. Not enough role: the page shows
// the message (components/auth/no-access.tsx) instead of its content.
import { redirect } from "next/navigation";
import { DomainError } from "@/lib/errors/domain-error";
import type { AccessRule } from "../access";
import { assertAccess } from "./access";

export async function refusedPage<D>(rule: AccessRule<D>, data: D): Promise<string | null> {
  try {
    await assertAccess(rule, data, true);
    return null;
  } catch (e) {
    if (e instanceof DomainError && e.code === "unauthenticated") redirect("/sign-in");
    if (e instanceof DomainError && e.code === "forbidden") return e.message;
    throw e;
  }
}

/**
 * Whether the caller passes a rule, for a page that shows a control only to those its
 * action lets through (an annotator sees no Restore button: the server would refuse it).
 */
export async function pageAllows<D>(rule: AccessRule<D>, data: D): Promise<boolean> {
  return (await refusedPage(rule, data)) === null;
}
