import "server-only";
// The key a record value is sorted and matched by, as SQL. One expression serves the
// grid's sort, its "field is" filter, and the per-dataset indexes built on it
// (value-indexes.ts): PostgreSQL uses an expression index only when the query holds the
// same expression, so all three take their text from here, with the field name written
// in as a literal (a bind parameter would not match the index).
//
// The key is the jsonb value itself, so numbers sort as numbers ("9" before "10") and
// text by the database collation; long text and lists are cut to their first
// KEY_CHARS characters so every key fits in a btree entry (a 5 KB answer would not).
// The database function datawright_value_key (migration 20261204101326_value_key_function)
// computes it from the value read once: written out here it named the value four times,
// and `values` is stored compressed, so each row was decompressed four times (1.1 s
// against 0.27 s to key 100,000 records; bench/README.md).
import { literal } from "@/lib/db/server/sql-literal";

/** Characters of a long value its key keeps; datawright_value_key writes the same number. */
export const KEY_CHARS = 200;

/** The key of a jsonb expression (column reference or constant). */
const keyOf = (v: string): string => `datawright_value_key(${v})`;

/** The key of `field` of the record aliased `alias` (no alias: the bare column, as index DDL writes it). */
export function valueKeySql(field: string, alias?: string): string {
  return keyOf(`${alias ? `${alias}.` : ""}"values"->${literal(field)}`);
}

/**
 * "The value of `field` is `text`", as the grid's filter means it: the text itself, or the
 * number, true/false or list it spells ("5" finds 5). Compared by key, so the index
 * answers it; keys of long text are prefixes, so those also compare the whole value.
 */
export function valueEqualsSql(field: string, text: string, alias = "r"): string {
  const candidates = [JSON.stringify(text)];
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed !== "string") candidates.push(JSON.stringify(parsed));
  } catch {
    // Plain text: only the string candidate.
  }
  const consts = candidates.map((c) => `${literal(c)}::jsonb`);
  const byKey = `${valueKeySql(field, alias)} = any(array[${consts.map(keyOf).join(", ")}])`;
  const cut = candidates.some((c) => c.length > KEY_CHARS || c.startsWith("[") || c.startsWith("{"));
  return cut ? `(${byKey} and ${alias}."values"->${literal(field)} = any(array[${consts.join(", ")}]))` : byKey;
}
