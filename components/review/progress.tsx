"use client";
import type { ReviewStats } from "@/lib/review/types";

export function Progress({ stats, reviewed }: { stats: ReviewStats; reviewed: number }) {
  const pct = (n: number) => (stats.total ? (n / stats.total) * 100 : 0);
  const rate = reviewed ? Math.round((stats.accepted / reviewed) * 100) : null;
  return (
    <div className="min-w-72 flex-1 max-w-xl">
      <div className="mb-1 flex justify-between text-sm">
        <span data-testid="review-progress">
          {reviewed.toLocaleString("en-US")} / {stats.total.toLocaleString("en-US")} reviewed
        </span>
        <span className="text-stone-500" data-testid="accept-rate">{rate === null ? "—" : `${rate}% accepted`}</span>
      </div>
      {stats.judged > 0 && (
        // Who decided: people, or the judge with nobody looking (its score is all there is).
        <p className="mb-1 text-xs text-stone-600" data-testid="judge-only">
          {reviewed.toLocaleString("en-US")} reviewed by a person · {stats.judgeOnly.toLocaleString("en-US")} judged by the judge alone
        </p>
      )}
      <div className="flex h-2 overflow-hidden rounded bg-stone-100" role="progressbar" aria-label="Review progress" aria-valuenow={reviewed} aria-valuemax={stats.total}>
        <div className="bg-emerald-500" style={{ width: `${pct(stats.accepted)}%` }} />
        <div className="bg-red-400" style={{ width: `${pct(stats.rejected)}%` }} />
      </div>
    </div>
  );
}
