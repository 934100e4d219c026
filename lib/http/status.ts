// The one table from error code to HTTP status, for every route handler. Pure, so the
// client and tests can read it too. Server actions carry the same codes in their result
// (lib/errors/action.ts); routes add the status so browsers, proxies and logs see it.
import type { ActionError } from "@/lib/errors/domain-error";

export type ErrorCode = ActionError["code"];

// A Record, not a switch with a default: a new DomainErrorCode does not compile until it
// has a status here, which is how the copies in each route drifted apart before.
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  too_many: 429,
  misdirected: 421,
  internal: 500,
  unreadable: 500,
  unavailable: 503,
};

export function statusFor(code: ErrorCode): number {
  return HTTP_STATUS[code] ?? 500;
}
