// Which requests the studio answers at all. Until sign-in exists, the studio's safety is
// that only the person at this machine can reach it; two browser tricks get around that:
// - DNS rebinding: a web page's own name is pointed at 127.0.0.1, so the page can call the
//   studio with Host and Origin both its own (the same-origin check of server actions
//   passes). Answering only requests whose Host is one of the studio's names stops it.
// - Cross-site requests that need no preflight (a form, or fetch with a text/plain body)
//   reach route handlers: state-changing requests must come from the studio's own pages.
// Pure: the proxy (proxy.ts) passes the request's headers in.

export type GuardInput = {
  method: string;
  /** The Host header. */
  host: string | null;
  origin: string | null;
  /** Sec-Fetch-Site, sent by every current browser. */
  fetchSite: string | null;
  /** Host names (no port) the studio is served under, besides the loopback ones. */
  allowedHosts: readonly string[];
};

export type GuardRefusal = { status: 403 | 421; code: "forbidden" | "misdirected"; message: string };

const LOOPBACK = ["localhost", "127.0.0.1", "[::1]", "::1"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The host name of a Host header or URL authority, lower-cased, without the port. */
export function hostName(authority: string): string {
  const a = authority.trim().toLowerCase();
  if (a.startsWith("[")) return a.slice(0, a.indexOf("]") + 1);
  const colon = a.lastIndexOf(":");
  return colon === -1 || a.indexOf(":") !== colon ? a : a.slice(0, colon);
}

export function allowedHostNames(configured: { host: string; extra: readonly string[] }): string[] {
  const names = [...LOOPBACK, ...configured.extra.map(hostName)];
  // The bind address is a name the studio is reached by, unless it is a wildcard.
  if (!["0.0.0.0", "::", "[::]"].includes(configured.host)) names.push(hostName(configured.host));
  return [...new Set(names.filter(Boolean))];
}

export function guardRequest(req: GuardInput): GuardRefusal | null {
  const allowed = new Set([...LOOPBACK, ...req.allowedHosts.map(hostName)]);
  const host = req.host ? hostName(req.host) : "";
  if (!allowed.has(host)) {
    return {
      status: 421,
      code: "misdirected",
      message: `This studio does not answer to the name "${host || "(none)"}". If you serve it under that name, add it to DATAWRIGHT_ALLOWED_HOSTS.`,
    };
  }
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  // A browser says where a request comes from; a script or the CLI sends neither header.
  if (req.fetchSite === "cross-site" || req.fetchSite === "same-site") {
    return { status: 403, code: "forbidden", message: "Refused: this request came from another site." };
  }
  if (req.origin !== null) {
    let originHost: string;
    try {
      originHost = new URL(req.origin).host;
    } catch {
      return { status: 403, code: "forbidden", message: "Refused: this request came from another site." };
    }
    if (originHost.toLowerCase() !== (req.host ?? "").trim().toLowerCase()) {
      return { status: 403, code: "forbidden", message: "Refused: this request came from another site." };
    }
  }
  return null;
}
