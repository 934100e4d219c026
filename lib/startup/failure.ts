// What `./studio start` prints when it cannot start: one plain sentence that says what to
// do, never a stack trace (that is for DEBUG=1). Known conditions are detected where
// they happen and thrown as a StartFailure with their sentence; everything else goes
// through explainStartFailure, which recognises errors by their codes and texts.
// Pure: no I/O, so every mapping is unit-tested, including those a test cannot produce
// (a full disk).

/** A start failure whose message is already the sentence to print. */
export class StartFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartFailure";
  }
}

export type StartContext = {
  /** DATABASE_URL when the studio uses an external server; its password is never printed. */
  databaseUrl?: string;
  /** The data folder (DATAWRIGHT_DATA_DIR, absolute). */
  dataDir: string;
};

type ErrorLike = { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown; syscall?: unknown; path?: unknown };

/** The error and everything it wraps (AggregateError's errors, cause chains). */
function allErrors(e: unknown, out: ErrorLike[] = [], depth = 0): ErrorLike[] {
  if (depth > 5 || e === null || typeof e !== "object") return out;
  const err = e as ErrorLike;
  out.push(err);
  if (Array.isArray(err.errors)) for (const inner of err.errors) allErrors(inner, out, depth + 1);
  if (err.cause) allErrors(err.cause, out, depth + 1);
  return out;
}

const text = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** host:port of a connection URL, without user or password. */
export function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}`;
  } catch {
    return "the server in DATABASE_URL";
  }
}

function databaseName(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || "postgres";
  } catch {
    return "the database";
  }
}

export function explainStartFailure(e: unknown, ctx: StartContext): string {
  if (e instanceof StartFailure) return e.message;
  const errors = allErrors(e);
  const codes = new Set(errors.map((x) => x.code).filter((c): c is string => typeof c === "string"));
  const messages = errors.map((x) => (typeof x.message === "string" ? x.message : "")).join("\n");

  // initdb and PostgreSQL report a full disk in their output, not as an errno.
  if (codes.has("ENOSPC") || codes.has("53100") || /No space left on device|could not extend file/i.test(messages)) {
    return `The disk that holds the data folder (${ctx.dataDir}) or the database is full: free some space (df -h shows how much is left) and start again.`;
  }
  if (ctx.databaseUrl) {
    const where = describeServer(ctx.databaseUrl);
    if (codes.has("28P01") || codes.has("28000") || /password authentication failed|no pg_hba\.conf entry/i.test(messages)) {
      return `The PostgreSQL server at ${where} refused the user name or password in DATABASE_URL: correct them in DATABASE_URL, or unset DATABASE_URL to use the embedded database.`;
    }
    if (codes.has("3D000")) {
      return `The database "${databaseName(ctx.databaseUrl)}" does not exist on ${where}: create it (createdb), or correct the database name in DATABASE_URL.`;
    }
    if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"].some((c) => codes.has(c)) || /timeout expired|Connection terminated/i.test(messages)) {
      return `Cannot reach the PostgreSQL server in DATABASE_URL (${where}): start that server or correct DATABASE_URL, or unset DATABASE_URL to use the embedded database.`;
    }
  }
  const denied = errors.find((x) => x.code === "EACCES" || x.code === "EPERM" || x.code === "EROFS");
  if (denied) {
    const what = typeof denied.path === "string" ? denied.path : ctx.dataDir;
    if (denied.syscall === "spawn" || String(denied.syscall ?? "").startsWith("spawn")) {
      return `The program ${what} may not be run (permission denied): run \`./studio start\` again as its owner, or reinstall with \`rm -rf node_modules && ./studio start\`.`;
    }
    return `${what} cannot be written (${denied.code === "EROFS" ? "read-only file system" : "permission denied"}): make it writable, or choose another data folder with DATAWRIGHT_DATA_DIR=<folder>.`;
  }
  if (/^Invalid environment:/.test(text(e))) {
    const lines = text(e).split("\n").slice(1).map((l) => l.trim()).filter(Boolean);
    return `A setting is invalid (${lines.join("; ")}): correct it in your environment and start again.`;
  }
  const first = text(e).split("\n")[0].replace(/[.:\s]+$/, "");
  return `Could not start (${first}): run again with DEBUG=1 to see the details.`;
}
