// API tokens (pure): the token's shape, its hash, and reading it from a request. A token
// is "dw_" + 32 random bytes in base64url (256 bits: not guessable, so one SHA-256 is the
// right store; a slow password hash would only slow every API call).
import { createHash, randomBytes } from "node:crypto";

export const TOKEN_PREFIX = "dw_";
const TOKEN = /^dw_[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** What the list shows to tell tokens apart: never enough to use one. */
export function tokenPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

/** The bearer token of an `Authorization` header, or null when there is none or it is not one of ours. */
export function bearerToken(header: string | null): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m && TOKEN.test(m[1]) ? m[1] : null;
}
