// Long values in previews (pure). A value may hold up to 1,000,000 characters (imports,
// seed tables) and a model's answer has no fixed bound: the record detail and the
// seed-table view show the start of a long value with its full length, and fetch the
// whole value only when asked (a 50 MB value used to travel whole to every view).

/** Characters of one value a preview shows. */
export const PREVIEW_CHARS = 10_000;

/** A value's text as the views show it: strings as they are, anything else as JSON. */
export function valueText(v: unknown): string {
  return typeof v === "string" ? v : (JSON.stringify(v) ?? "");
}

/**
 * Cuts each value longer than `limit` characters (as text) to its first `limit`
 * characters; `long` gives the full length of each value cut, by name. A value cut is a
 * string even when it held JSON: its start is not JSON any more.
 */
export function previewValues(values: Record<string, unknown>, limit = PREVIEW_CHARS): { values: Record<string, unknown>; long: Record<string, number> } {
  const out: Record<string, unknown> = {};
  const long: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) {
    // Numbers, booleans and null are short; only strings and JSON need a look.
    const text = v !== null && typeof v === "object" ? valueText(v) : typeof v === "string" ? v : null;
    if (text !== null && text.length > limit) {
      out[k] = cutText(text, limit);
      long[k] = text.length;
    } else out[k] = v;
  }
  return { values: out, long };
}

/**
 * The saved prompts and sampled values of a record's provenance, and its edit history, cut
 * like values: a prompt holding a 1 MB seed-table row, or an edit of a long answer, would
 * otherwise travel whole with every record detail. A message cut gives its full `length`;
 * an edit's `from`/`to` and a sampled value are cut to text (as previewValues does).
 */
export function previewProvenance<P extends { sampled?: Record<string, unknown>; llm?: Record<string, { messages?: { role: string; content: string }[] }> }>(
  provenance: P,
  limit = PREVIEW_CHARS,
): P {
  const out: P = { ...provenance };
  if (provenance.sampled) out.sampled = previewValues(provenance.sampled, limit).values;
  if (provenance.llm) {
    out.llm = Object.fromEntries(
      Object.entries(provenance.llm).map(([field, l]) => [
        field,
        Array.isArray(l.messages)
          ? { ...l, messages: l.messages.map((m) => (typeof m.content === "string" && m.content.length > limit ? { ...m, content: cutText(m.content, limit), length: m.content.length } : m)) }
          : l,
      ]),
    ) as P["llm"];
  }
  return out;
}

export function previewEdits<E extends { from: unknown; to: unknown }>(edits: Record<string, E[]>, limit = PREVIEW_CHARS): Record<string, E[]> {
  const cut = (v: unknown) => previewValues({ v }, limit).values.v;
  return Object.fromEntries(Object.entries(edits).map(([field, list]) => [field, list.map((e) => ({ ...e, from: cut(e.from), to: cut(e.to) }))]));
}

/** The first `limit` characters, not splitting a surrogate pair. */
function cutText(text: string, limit: number): string {
  const code = text.charCodeAt(limit - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit);
}
