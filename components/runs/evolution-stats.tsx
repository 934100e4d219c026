// Per-generation counts of a run's Evol-Instruct fields: how many instructions evolved,
// how many were kept, and which elimination rule dropped the others (lib/recipes/evol-instruct.ts).
import { RULE_TEXT, type EliminationRule } from "@/lib/recipes/evol-instruct";
import type { EvolGenerationStats } from "@/lib/recipes/evol-lineage";

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
              <table className="min-w-96 rounded-lg border border-stone-200 text-sm">
                <caption className="sr-only">Instructions evolved, kept and dropped per generation of {field}</caption>
                <thead className="bg-stone-50 text-left text-xs text-stone-600">
                  <tr>
                    <th scope="col" className="px-3 py-1.5">Generation</th>
                    <th scope="col" className="px-3 py-1.5 text-right">Evolved</th>
                    <th scope="col" className="px-3 py-1.5 text-right">Kept</th>
                    {shown.map((rule) => (
                      <th key={rule} scope="col" className="px-3 py-1.5 text-right" title={RULE_TEXT[rule]}>
                        Dropped: {RULE_LABEL[rule]}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {generations.map((g) => (
                    <tr key={g.generation} className="border-t border-stone-100 tabular-nums">
                      <th scope="row" className="px-3 py-1.5 text-left font-medium">{g.generation}</th>
                      <td className="px-3 py-1.5 text-right">{g.evolved}</td>
                      <td className="px-3 py-1.5 text-right">{g.kept}</td>
                      {shown.map((rule) => (
                        <td key={rule} className="px-3 py-1.5 text-right">{g.dropped[rule] ?? 0}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}
    </>
  );
}
