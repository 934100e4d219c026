// Reading a blueprint back from the database (Dataset.draft, BlueprintVersion.blueprint).
import { z } from "zod";
import { readStored } from "@/lib/errors/stored";
import { Blueprint } from "./schema";

/**
 * The stored blueprint, parsed with the same schema that wrote it. `where` names the row
 * for the message: readBlueprint(json, "version 3 of this dataset") fails with "The
 * blueprint of version 3 of this dataset cannot be read: fields.2.kind: …".
 */
export function readBlueprint(json: unknown, where: string): Blueprint {
  return readStored(Blueprint, json, `The blueprint of ${where}`);
}

const FieldNames = z.object({ fields: z.array(z.object({ name: z.string(), kind: z.string().optional() })) });

/**
 * Only the field names, in order, for pages that list or count fields (the dataset list,
 * a run's columns): a damaged blueprint shows no fields there rather than failing the
 * whole page; whatever uses the blueprint itself fails through readBlueprint. Validators
 * are left out: they hold no value, so they are no column (their results are in checks).
 */
export function storedFieldNames(json: unknown): string[] {
  return FieldNames.safeParse(json).data?.fields.flatMap((f) => (f.kind === "validator" ? [] : [f.name])) ?? [];
}

/** The names of the fields of one kind, in order, read the same light way (the run page's poll: its evolve fields). */
export function storedFieldsOfKind(json: unknown, kind: string): string[] {
  return FieldNames.safeParse(json).data?.fields.flatMap((f) => (f.kind === kind ? [f.name] : [])) ?? [];
}

/**
 * The first field of one kind, parsed alone with that kind's schema (the run page's poll:
 * a pool run's pool field) instead of the whole blueprint; null when there is none or it
 * does not read.
 */
export function storedFieldOfKind<T extends z.ZodType>(json: unknown, kind: string, schema: T): z.infer<T> | null {
  const fields = json !== null && typeof json === "object" ? (json as { fields?: unknown }).fields : undefined;
  if (!Array.isArray(fields)) return null;
  const parsed = schema.safeParse(fields.find((f) => f !== null && typeof f === "object" && (f as { kind?: unknown }).kind === kind));
  return parsed.success ? parsed.data : null;
}
