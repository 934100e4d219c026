// Facts about a record's values that are kept beside them (pure).

/**
 * The fields whose value is not a JSON string: what `Record.nonTextFields` holds when a
 * record is written. JSON exports ask PostgreSQL a value's type only for these fields.
 */
export function nonTextFields(values: Record<string, unknown>): string[] {
  return Object.keys(values).filter((k) => typeof values[k] !== "string");
}
