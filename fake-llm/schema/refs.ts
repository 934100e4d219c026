// JSON pointers and `$ref` for the fake's JSON Schema code (generation and the strict
// checks both follow references the same way).
export type Obj = Record<string, unknown>;
export type JsonSchema = Obj | boolean;

export function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function resolveRef(root: unknown, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
  }
  return cur;
}

/** Follows `$ref` chains (siblings of `$ref` are ignored, as in draft-7). */
export function deref(schema: unknown, root: unknown): unknown {
  for (let i = 0; i < 16 && isObj(schema) && typeof schema.$ref === "string"; i++) {
    schema = resolveRef(root, schema.$ref);
  }
  return schema;
}
