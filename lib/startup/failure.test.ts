import { describe, expect, it } from "vitest";
import { StartFailure, explainStartFailure } from "./failure";

const ctx = { dataDir: "/home/me/datawright/.data" };
const errno = (code: string, message: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...extra });

describe("explainStartFailure", () => {
  it("passes a StartFailure's sentence through", () => {
    expect(explainStartFailure(new StartFailure("Do this."), ctx)).toBe("Do this.");
  });

  it("names a full disk, from an errno or from initdb's and PostgreSQL's own output", () => {
    const full = /disk .* is full: free some space/;
    expect(explainStartFailure(errno("ENOSPC", "ENOSPC: no space left on device, write"), ctx)).toMatch(full);
    expect(
      explainStartFailure(new Error(`initdb failed (exit code 1): initdb: error: could not write to file "/x/base/1/1249": No space left on device`), ctx),
    ).toMatch(full);
    expect(explainStartFailure(errno("53100", "could not extend file \"base/16384/2608\": No space left on device"), ctx)).toMatch(full);
  });

  it("tells a refused password from an unreachable server, and never prints the password", () => {
    const url = { ...ctx, databaseUrl: "postgresql://me:s3cret@db.example:6543/studio" };
    const refused = explainStartFailure(errno("28P01", 'password authentication failed for user "me"'), url);
    expect(refused).toMatch(/db\.example:6543 refused the user name or password in DATABASE_URL/);
    const unreachable = new AggregateError([errno("ECONNREFUSED", "connect ECONNREFUSED ::1:6543"), errno("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:6543")], "");
    expect(explainStartFailure(unreachable, url)).toMatch(/^Cannot reach the PostgreSQL server in DATABASE_URL \(db\.example:6543\)/);
    expect(explainStartFailure(errno("ENOTFOUND", "getaddrinfo ENOTFOUND db.example"), url)).toMatch(/^Cannot reach/);
    expect(explainStartFailure(errno("3D000", 'database "studio" does not exist'), url)).toMatch(/"studio" does not exist on db\.example:6543/);
    for (const m of [refused, explainStartFailure(unreachable, url)]) expect(m).not.toContain("s3cret");
  });

  it("names a folder that cannot be written and a program that may not run", () => {
    expect(explainStartFailure(errno("EACCES", "EACCES: permission denied, open '/srv/x/secret.key'", { path: "/srv/x/secret.key", syscall: "open" }), ctx)).toBe(
      "/srv/x/secret.key cannot be written (permission denied): make it writable, or choose another data folder with DATAWRIGHT_DATA_DIR=<folder>.",
    );
    expect(explainStartFailure(errno("EROFS", "read-only", { syscall: "mkdir" }), ctx)).toMatch(/^\/home\/me\/datawright\/\.data cannot be written \(read-only file system\)/);
    expect(explainStartFailure(errno("EACCES", "spawn /x/bin/initdb EACCES", { path: "/x/bin/initdb", syscall: "spawn /x/bin/initdb" }), ctx)).toMatch(
      /^The program \/x\/bin\/initdb may not be run/,
    );
  });

  it("turns an invalid setting into one line", () => {
    expect(explainStartFailure(new Error("Invalid environment:\n  DATAWRIGHT_PORT: too big"), ctx)).toBe(
      "A setting is invalid (DATAWRIGHT_PORT: too big): correct it in your environment and start again.",
    );
  });

  it("keeps anything else to one line that points at DEBUG=1", () => {
    const m = explainStartFailure(new Error("something odd.\n    at x (y.ts:1:1)"), ctx);
    expect(m).toBe("Could not start (something odd): run again with DEBUG=1 to see the details.");
  });
});
