import { describe, expect, it } from "vitest";
import { allowedHostNames, guardRequest, hostName, type GuardInput } from "./request-guard";

const base: GuardInput = { method: "GET", host: "127.0.0.1:3000", origin: null, fetchSite: null, allowedHosts: [] };

describe("guardRequest", () => {
  it("answers the loopback names, on any port", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "LOCALHOST"]) expect(guardRequest({ ...base, host })).toBeNull();
  });

  it("refuses a rebound name (Host and Origin both the attacker's) before anything else", () => {
    const r = guardRequest({ ...base, method: "POST", host: "evil.example:3000", origin: "http://evil.example:3000", fetchSite: "same-origin" });
    expect(r).toMatchObject({ status: 421, message: expect.stringMatching(/does not answer to the name "evil\.example".*DATAWRIGHT_ALLOWED_HOSTS/) });
    expect(guardRequest({ ...base, host: null })?.status).toBe(421);
  });

  it("answers a team's configured names", () => {
    expect(guardRequest({ ...base, host: "studio.team.lan:3000", allowedHosts: ["studio.team.lan"] })).toBeNull();
  });

  it("refuses state-changing requests from other sites, text/plain or not", () => {
    const post = { ...base, method: "POST" };
    expect(guardRequest({ ...post, origin: "https://evil.example", fetchSite: "cross-site" })?.status).toBe(403);
    expect(guardRequest({ ...post, origin: "https://evil.example" })?.status).toBe(403);
    expect(guardRequest({ ...post, origin: "null" })?.status).toBe(403);
    expect(guardRequest({ ...post, origin: "http://127.0.0.1:4000" })?.status).toBe(403); // another local port is another origin
    expect(guardRequest({ ...post, method: "DELETE", fetchSite: "same-site" })?.status).toBe(403);
  });

  it("lets the studio's own pages and header-less scripts through", () => {
    expect(guardRequest({ ...base, method: "POST", origin: "http://127.0.0.1:3000", fetchSite: "same-origin" })).toBeNull();
    expect(guardRequest({ ...base, method: "POST" })).toBeNull();
    expect(guardRequest({ ...base, origin: "https://evil.example", fetchSite: "cross-site" })).toBeNull(); // a GET changes nothing
  });
});

describe("allowedHostNames", () => {
  it("adds the bind address unless it is a wildcard, and the configured names", () => {
    expect(allowedHostNames({ host: "10.0.0.5", extra: ["studio.lan:8080"] })).toEqual(expect.arrayContaining(["10.0.0.5", "studio.lan", "localhost"]));
    expect(allowedHostNames({ host: "0.0.0.0", extra: [] })).not.toContain("0.0.0.0");
    expect(hostName("[::1]:3000")).toBe("[::1]");
  });
});
