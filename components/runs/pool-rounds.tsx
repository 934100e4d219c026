// Per-round counts of a run that grows a pool (Self-Instruct): candidates, kept, and which
// validator rejected the others, plus a rejected candidate's closest pool instruction.
import type { PoolRoundStats } from "@/lib/recipes/self-instruct";
import { StatTable } from "@/components/ui/stat-table";

export function PoolRounds({ pool }: { pool: { field: string; size: number; target: number; rounds: PoolRoundStats[] } | null }) {
  if (!pool) return null;
  const validators = [...new Set(pool.rounds.flatMap((r) => Object.keys(r.rejected)))];
  const anyFailed = pool.rounds.some((r) => r.failed > 0);
  const example = pool.rounds.findLast((r) => r.closest)?.closest ?? null;
  return (
    <section data-testid="pool-rounds" className="space-y-2">
      <h2 className="text-sm font-semibold">
        Self-Instruct: pool of {pool.size.toLocaleString("en")} of {pool.target.toLocaleString("en")} instructions
      </h2>
      {pool.rounds.length === 0 ? (
        <p className="text-sm text-stone-500">No round finished yet.</p>
      ) : (
        // Focusable so a keyboard can scroll a long run's rounds (axe: scrollable-region-focusable).
        <div className="max-h-96 overflow-auto" tabIndex={0} role="region" aria-label={`Rounds of the pool ${pool.field}`}>
          <StatTable
            variant="boxed"
            caption={`Candidates, kept and rejected by validator per round of the pool ${pool.field}`}
            head={["Round", "Candidates", "Kept", ...validators.map((v) => `Rejected: ${v}`), ...(anyFailed ? ["Failed"] : [])]}
            rows={pool.rounds.map((r) => ({ key: r.round, cells: [r.round, r.candidates, r.kept, ...validators.map((v) => r.rejected[v] ?? 0), ...(anyFailed ? [r.failed] : [])] }))}
          />
        </div>
      )}
      {example && (
        <figure data-testid="pool-closest" className="max-w-3xl rounded-lg border border-stone-200 bg-stone-50 p-3 text-sm">
          <figcaption className="mb-1 text-xs font-medium text-stone-600">
            Rejected as too similar (record #{example.recordIndex}): ROUGE-L F1 {example.score.toFixed(2)} with its closest pool instruction
          </figcaption>
          <p>
            <span className="text-stone-600">Candidate: </span>
            {example.candidate}
          </p>
          <p>
            <span className="text-stone-600">Closest in the pool: </span>
            {example.instruction}
          </p>
        </figure>
      )}
    </section>
  );
}
