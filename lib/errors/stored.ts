// JSON the studio stored earlier (a blueprint, run settings) is parsed when read back,
// not cast: a row written by an older version, or damaged by hand, then fails where it
// is read, with a message naming the row and the first bad path, instead of deep inside
// whatever used it (a run crashing mid-way on `undefined.map`).
import type { z } from "zod";
import { DomainError } from "./domain-error";

/** `path: message` of a zod error's first issue, as forms and logs show it. */
export function firstIssue(error: z.ZodError, fallback = "Invalid input"): string {
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return `${where}${first?.message ?? fallback}`;
}

/** Parses stored JSON with `schema`; `what` names the row: "The settings of this run". */
export function readStored<S extends z.ZodType>(schema: S, json: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new DomainError("unreadable", `${what} cannot be read: ${firstIssue(parsed.error)}`);
}
