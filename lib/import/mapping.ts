// Import column mapping: which column of the file becomes which field of the records.
// Pure; used by the page (defaults, checks before upload) and the server (row -> values).
import { z } from "zod";

/** File column -> record field. Columns left out are not imported. */
export const ImportMapping = z
  .record(z.string().min(1).max(500), z.string().trim().min(1, "A field name cannot be empty.").max(200, "Keep field names under 200 characters."))
  .refine((m) => Object.keys(m).length > 0, "Map at least one column to a field.")
  .superRefine((m, ctx) => {
    const seen = new Map<string, string>();
    for (const [col, field] of Object.entries(m)) {
      const other = seen.get(field);
      if (other !== undefined) ctx.addIssue({ code: "custom", message: `Columns "${other}" and "${col}" both go to the field "${field}"; choose one.` });
      seen.set(field, col);
    }
  });
export type ImportMapping = z.infer<typeof ImportMapping>;

/** Same name (ignoring case and spacing) -> that field; other columns keep their own name. */
export function defaultImportMapping(columns: string[], fields: string[]): ImportMapping {
  const norm = (s: string) => s.trim().toLowerCase().replace(/[\s-]+/g, "_");
  const byNorm = new Map(fields.map((f) => [norm(f), f]));
  const m: ImportMapping = {};
  const used = new Set<string>();
  for (const c of columns) {
    const target = byNorm.get(norm(c)) ?? c.trim();
    if (!used.has(target)) {
      m[c] = target;
      used.add(target);
    }
  }
  return m;
}

/** Mapped columns the file does not have. */
export function missingColumns(mapping: ImportMapping, columns: readonly string[]): string[] {
  const have = new Set(columns);
  return Object.keys(mapping).filter((c) => !have.has(c));
}
