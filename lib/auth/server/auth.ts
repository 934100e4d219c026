import "server-only";
// The better-auth instance: e-mail + password accounts, passwords hashed with scrypt
// (node:crypto, through @better-auth/utils/password), sessions as rows in `session` whose
// token travels in an HttpOnly, SameSite=Lax cookie signed with this studio's secret.
// Its HTTP handler is not mounted: sign-in, sign-up and the rest go through our server
// actions (lib/auth/actions.ts), which add the slow-down and the role rules it lacks;
// nextCookies() lets those actions set its cookies.
import { createHmac } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import type { Db } from "@/lib/db/server/prisma";
import { db } from "@/lib/db/server/prisma";
import { env } from "@/lib/env";
import { secretKey } from "@/lib/providers/server/secrets";

export const COOKIE_PREFIX = "datawright";
/** better-auth's cookie for the session token: `<token>.<HMAC-SHA256 of token, base64>`. */
export const SESSION_COOKIE = `${COOKIE_PREFIX}.session_token`;
export const MIN_PASSWORD_LENGTH = 10;
const SESSION_DAYS = 14;

/**
 * The cookie secret: derived from the studio's secret key (DATAWRIGHT_SECRET_KEY, or the
 * key generated once into the data folder), so every studio signs with its own and a
 * cookie from another studio does not verify here; processes sharing one database and
 * key agree without another setting.
 */
export function authSecret(): string {
  return createHmac("sha256", secretKey()).update("datawright auth cookie v1").digest("base64");
}

export function createAuth(database: Db, secret: string) {
  const cfg = env();
  return betterAuth({
    appName: "Datawright",
    baseURL: `http://${cfg.DATAWRIGHT_HOST}:${cfg.DATAWRIGHT_PORT}`,
    secret,
    database: prismaAdapter(database, { provider: "postgresql" }),
    emailAndPassword: { enabled: true, minPasswordLength: MIN_PASSWORD_LENGTH, maxPasswordLength: 256, autoSignIn: true },
    user: { additionalFields: { studioRole: { type: "string", defaultValue: "member", input: false } } },
    session: { expiresIn: SESSION_DAYS * 24 * 3600, updateAge: 24 * 3600 },
    // Our slow-down (lib/auth/throttle.ts) is per account and per address and kept in the
    // database; better-auth's own limiter is per address in memory.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      // Served over plain HTTP on loopback; a team serves it behind TLS, where the
      // reverse proxy's scheme decides. Secure cookies would never be sent back on http.
      useSecureCookies: false,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalForAuth = globalThis as unknown as { datawrightAuth?: Auth };

export function auth(): Auth {
  globalForAuth.datawrightAuth ??= createAuth(db(), authSecret());
  return globalForAuth.datawrightAuth;
}
