import "server-only";
// Progress of downloads in flight, for the page to poll while the browser saves the
// file (the response has no length: it is written as rows arrive). In memory: the studio
// serves pages from one process; an entry lives 10 minutes after its last update.
import type { ExportProgress } from "../progress";

const TTL_MS = 10 * 60_000;
const g = globalThis as unknown as { datawrightExportProgress?: Map<string, ExportProgress & { at: number }> };
const store = () => (g.datawrightExportProgress ??= new Map());

export function setProgress(id: string, p: ExportProgress): void {
  const s = store();
  const now = Date.now();
  s.set(id, { ...p, at: now });
  if (s.size > 200) for (const [k, v] of s) if (now - v.at > TTL_MS) s.delete(k);
}

export function getProgress(id: string): ExportProgress | null {
  const p = store().get(id);
  if (!p || Date.now() - p.at > TTL_MS) return null;
  const { at: _at, ...rest } = p;
  return rest;
}
