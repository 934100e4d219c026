// Per-generation counts of a run's Evol-Instruct fields: how many instructions evolved,
// how many were kept, and which elimination rule dropped the others (lib/recipes/evol-instruct.ts).
import { RULE_TEXT, type EliminationRule } from "@/lib/recipes/evol-instruct";
import type { EvolGenerationStats } from "@/lib/recipes/evol-lineage";
import { StatTable } from "@/components/ui/stat-table";

const RULES = Object.keys(RULE_TEXT) as EliminationRule[];
const RULE_LABEL: Record<EliminationRule, string> = {
  no_gain: "No gain",
  apology: "Apology",
  no_content: "No content",
  copied_phrase: "Copied phrase",
  empty: "Empty",
};

export function EvolutionStats({ evolution }: { evolution: { field: string; generations: EvolGenerationStats[] }[] }) {
  if (evolution.length === 0) return null;
  return (
    <>
      {evolution.map(({ field, generations }) => {
        const shown = RULES.filter((rule) => generations.some((g) => g.dropped[rule]));
        return (
          <section key={field} data-testid="evolution-stats" data-field={field}>
            <h2 className="mb-2 text-sm font-semibold">Evol-Instruct: {field}</h2>
            {generations.length === 0 ? (
              <p className="text-sm text-stone-500">No evolutions yet.</p>
            ) : (
              <StatTable
                variant="boxed"
                caption={`Instructions evolved, kept and dropped per generation of ${field}`}
                head={["Generation", "Evolved", "Kept", ...shown.map((rule) => ({ label: `Dropped: ${RULE_LABEL[rule]}`, title: RULE_TEXT[rule] }))]}
                rows={generations.map((g) => ({ key: g.generation, cells: [g.generation, g.evolved, g.kept, ...shown.map((rule) => g.dropped[rule] ?? 0)] }))}
              />
            )}
          </section>
        );
      })}
    </>
  );
}
