// The one reader of process.env. Every setting is validated here so a bad value stops
// start-up with a message naming the variable, instead of failing later in a request.
import { z } from "zod";
import path from "node:path";

const Env = z.object({
  /** External PostgreSQL. Unset: the start script runs an embedded server in DATAWRIGHT_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
    .optional(),
  /** Where the embedded database and the local secret key live. */
  DATAWRIGHT_DATA_DIR: z.string().default(".data"),
  /**
   * Address the studio listens on. Anything other than loopback turns accounts on
   * (accountsRequired()): nobody reaches a page or an action from the network unsigned.
   */
  DATAWRIGHT_HOST: z.string().default("127.0.0.1"),
  /**
   * Host names (comma-separated) the studio is served under besides loopback and
   * DATAWRIGHT_HOST, e.g. a team's DNS name behind a reverse proxy. Requests for any other
   * name are refused (DNS rebinding; lib/security/request-guard.ts).
   */
  DATAWRIGHT_ALLOWED_HOSTS: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((h) => h.trim()).filter(Boolean)),
  DATAWRIGHT_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Port of the embedded PostgreSQL; ignored with DATABASE_URL. */
  DATAWRIGHT_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /**
   * 32-byte key (base64 or 64 hex characters) that encrypts provider API keys at rest.
   * Unset: a random key is generated once into <DATAWRIGHT_DATA_DIR>/secret.key (mode 0600).
   * Generate one with `openssl rand -base64 32`.
   */
  DATAWRIGHT_SECRET_KEY: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z
      .string()
      .trim()
      .refine((s) => decodeSecretKey(s) !== null, "must be 32 bytes, as base64 (44 characters) or hex (64 characters), e.g. from `openssl rand -base64 32`")
      .optional(),
  ),
  /**
   * `auto`: one person on loopback needs no sign-in until a second account exists.
   * `required`: sign-in always (the first visitor creates the owner account).
   */
  DATAWRIGHT_ACCOUNTS: z.enum(["auto", "required"], { error: "must be auto or required" }).default("auto"),
  /** Runs executed at once by this process; 0 makes the web process serve pages only. */
  DATAWRIGHT_WORKERS: z.coerce.number().int().min(0).max(64).default(4),
  /** How often a batch-mode run asks the provider about its batches (ms); tests shorten it. */
  DATAWRIGHT_BATCH_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
});
export type Env = z.infer<typeof Env>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/**
 * For `npm run worker` without DATABASE_URL: the embedded database it found becomes the
 * setting, for this process and the code that reads env() after it (the Prisma client).
 * Setting process.env alone is not enough once env() has been read and cached.
 */
export function useDatabaseUrl(url: string) {
  process.env.DATABASE_URL = url;
  cached = undefined;
}

/**
 * DEBUG=1: start-up failures print the whole error and stack after their sentence. Read
 * apart from env() because it must work when env() itself fails.
 */
export function debugRequested(): boolean {
  const v = (process.env.DEBUG ?? "").trim().toLowerCase();
  return v !== "" && v !== "0" && v !== "false" && v !== "no";
}

export function dataDir(): string {
  return path.resolve(env().DATAWRIGHT_DATA_DIR);
}

/** A 32-byte key written as 64 hex characters or as base64 / base64url; null if it is neither. */
export function decodeSecretKey(text: string): Buffer | null {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) {
    const buf = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (buf.length === 32) return buf;
  }
  return null;
}

export function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "localhost" || host === "::1" || host.startsWith("127.");
}

/** Sign-in is needed even with one account: asked for, or served beyond loopback. */
export function accountsRequired(): boolean {
  const cfg = env();
  return cfg.DATAWRIGHT_ACCOUNTS === "required" || !isLoopback(cfg.DATAWRIGHT_HOST);
}
