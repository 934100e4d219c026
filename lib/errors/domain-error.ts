// One error contract for services and actions. A DomainError carries a message the user
// can act on and is shown as is; anything else is logged with context and reported as a
// generic failure, so internals (SQL, stack traces) never reach the browser.

// `unreadable`: a row the studio stored earlier no longer parses (an old or damaged
// blueprint); the server's data is at fault, not the request, so it is a 5xx whose
// message is still shown, naming the row.
export type DomainErrorCode = "not_found" | "invalid_input" | "conflict" | "too_large" | "unavailable" | "unreadable" | "forbidden" | "misdirected" | "unauthenticated" | "too_many";

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** Field-level messages, keyed by input path, for forms. */
    readonly fieldErrors?: Record<string, string>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not_found", `${what} was not found. It may have been deleted.`);
export const conflict = (message: string) => new DomainError("conflict", message);
/** No signed-in person where accounts are on (401). */
export const unauthenticated = () => new DomainError("unauthenticated", "Sign in to continue. Your session may have ended.");
export const invalid = (message: string, fieldErrors?: Record<string, string>) =>
  new DomainError("invalid_input", message, fieldErrors);

export type ActionError = { code: DomainErrorCode | "internal"; message: string; fieldErrors?: Record<string, string> };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };
