// Wraps every server action: check the caller's role, validate the input with the form's
// zod schema, call one service, and turn any failure into an ActionResult the client
// helper understands. The role rule is a required argument: an action cannot be written
// without saying who may call it (lib/auth/access.ts; tests/roles.db.test.ts walks them).
import type { z } from "zod";
import type { AccessRule } from "@/lib/auth/access";
import { assertAccess, type Caller } from "@/lib/auth/server/access";
import { findUnstorableText } from "@/lib/records/storable";
import { DomainError, type ActionError, type ActionResult } from "./domain-error";
import { firstIssue } from "./stored";

export async function action<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  /** `caller`: who is calling (null for public actions); most actions need only their data. */
  fn: (data: z.infer<S>, caller: Caller | null) => Promise<T>,
  access: AccessRule<z.infer<S>>,
): Promise<ActionResult<T>> {
  // PostgreSQL cannot store a NUL character (nor an unpaired surrogate) in text or jsonb:
  // refused here with a message for every action, instead of a 500 from the database.
  const unstorable = findUnstorableText(input);
  const parsed = unstorable ? null : schema.safeParse(input);
  // Checked before anything about the input is said back: with unparsed input, against
  // the caller's best role anywhere (lib/auth/server/access.ts).
  let caller: Caller | null;
  try {
    caller = await assertAccess(access, parsed?.success ? parsed.data : undefined, !!parsed?.success);
  } catch (e) {
    return { ok: false, error: toActionError(e) };
  }
  if (unstorable) {
    const message = `${unstorable}: the text contains a NUL character or a broken Unicode sequence, which cannot be stored. Remove it and try again.`;
    return { ok: false, error: { code: "invalid_input", message, fieldErrors: { [unstorable]: message } } };
  }
  if (!parsed!.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed!.error.issues) fieldErrors[issue.path.join(".") || "_"] ??= issue.message;
    return { ok: false, error: { code: "invalid_input", message: firstIssue(parsed!.error), fieldErrors } };
  }
  try {
    return { ok: true, data: await fn(parsed!.data, caller) };
  } catch (e) {
    return { ok: false, error: toActionError(e) };
  }
}

export function toActionError(e: unknown): ActionError {
  if (e instanceof DomainError) return { code: e.code, message: e.message, fieldErrors: e.fieldErrors };
  console.error("[datawright] unexpected error", e);
  return { code: "internal", message: "Something went wrong on the server. The details are in the studio's log." };
}
