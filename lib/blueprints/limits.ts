// How large a blueprint may be. Drafts save on every edit, so a blueprint travels in full
// each time; past Next's server-action body limit (1 MB by default) a save failed with
// "Minified React error #441" and never succeeded (60,000 pasted category options do it).
// The body limit is raised in next.config.js above this one, so the size is checked here,
// in the editor before sending and in the service, and refused with a message. Pure.

export const MAX_BLUEPRINT_BYTES = 4 * 1024 * 1024;

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;

/** A message when the blueprint is over the limit, else null. */
export function blueprintTooLarge(blueprint: unknown): string | null {
  const bytes = new TextEncoder().encode(JSON.stringify(blueprint)).length;
  if (bytes <= MAX_BLUEPRINT_BYTES) return null;
  return `The blueprint is too large to save (${mb(bytes)}; the limit is ${mb(MAX_BLUEPRINT_BYTES)}). Put long option lists in a seed table and draw them with a seed field.`;
}
