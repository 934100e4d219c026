export const usd = (n: number) => (n >= 100 ? `$${n.toFixed(0)}` : n >= 1 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);
export const num = (n: number) => Math.round(n).toLocaleString("en-US");
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}
export const STATUS_TONE: Record<string, string> = {
  queued: "bg-stone-100 text-stone-700",
  running: "bg-indigo-100 text-indigo-800",
  paused: "bg-amber-100 text-amber-800",
  cancelled: "bg-stone-200 text-stone-700",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
  partial: "bg-orange-100 text-orange-800",
};

/** Seconds a run has taken: to its finish, or (still going) to `nowMs`; null before it started. */
export function elapsedSeconds(startedAt: string | null, finishedAt: string | null, nowMs: number): number | null {
  if (!startedAt) return null;
  const end = finishedAt ? Date.parse(finishedAt) : nowMs;
  return Math.max(0, Math.floor((end - Date.parse(startedAt)) / 1000));
}
