// Canonical JSON: the same text for the same value whatever order its keys were set in,
// so it can be hashed (the response cache's keys, lib/generation/cache-key.ts; a
// blueprint's version hash, lib/datasets/server/datasets.ts). Pure, no I/O.

/**
 * JSON with object keys sorted at every level, so key order (which differs between
 * code paths building the same value) never changes the text. Like JSON.stringify,
 * undefined, functions and symbols are left out of objects and become null in arrays.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function write(v: unknown, out: string[]): void {
  if (v === null) {
    out.push("null");
    return;
  }
  switch (typeof v) {
    case "string":
      out.push(JSON.stringify(v));
      return;
    case "number":
      out.push(Number.isFinite(v) ? String(v) : "null");
      return;
    case "boolean":
      out.push(v ? "true" : "false");
      return;
    case "bigint":
      out.push(String(v));
      return;
    case "object":
      break;
    default:
      out.push("null");
      return;
  }
  const withJson = v as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") {
    write(withJson.toJSON(), out);
    return;
  }
  if (Array.isArray(v)) {
    out.push("[");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",");
      const item = v[i];
      write(item === undefined || typeof item === "function" || typeof item === "symbol" ? null : item, out);
    }
    out.push("]");
    return;
  }
  const obj = v as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  out.push("{");
  let first = true;
  for (const k of keys) {
    const item = obj[k];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    if (!first) out.push(",");
    first = false;
    out.push(JSON.stringify(k), ":");
    write(item, out);
  }
  out.push("}");
}
