"use client";
// An evolve field's value (Evol-Instruct) in the record detail: the seed instruction, then
// each generation's mutation, evolved instruction and response, marked kept or dropped by
// the rule named; the instruction later fields read is the last one kept. A long lineage
// scrolls in its own focusable region (axe: scrollable-region-focusable).
import { RULE_TEXT } from "@/lib/recipes/evol-instruct";
import { mutationName, type EvolValue } from "@/lib/recipes/evol-lineage";

export function LineageView({ field, value }: { field: string; value: EvolValue }) {
  return (
    <div
      role="region"
      aria-label={`Lineage of ${field}, ${value.lineage.length} generation${value.lineage.length === 1 ? "" : "s"}`}
      tabIndex={0}
      data-testid="lineage"
      className="mt-1 max-h-[32rem] overflow-y-auto rounded border border-stone-200 bg-stone-50 p-2 focus-visible:outline-2 focus-visible:outline-sky-600"
    >
      <p className="text-[11px] font-semibold text-stone-600">Seed</p>
      <p className="whitespace-pre-wrap break-words text-sm">{value.seed}</p>
      <ol className="mt-2 space-y-2 border-l-2 border-stone-300 pl-3">
        {value.lineage.map((s) => (
          <li key={s.generation} data-testid="lineage-step" data-kept={s.eliminated ? "false" : "true"}>
            <p className="text-[11px] font-semibold text-stone-600">
              Generation {s.generation} · {mutationName(s.mutation)} ·{" "}
              {s.eliminated ? (
                <span className="text-red-800">dropped: {RULE_TEXT[s.eliminated]}</span>
              ) : (
                <span className="text-emerald-800">kept</span>
              )}
            </p>
            <p className={`whitespace-pre-wrap break-words text-sm ${s.eliminated ? "text-stone-600 line-through decoration-stone-400" : "text-stone-900"}`}>{s.instruction}</p>
            {s.response !== undefined && (
              <details className="mt-0.5 text-xs text-stone-700">
                <summary className="cursor-pointer">Response</summary>
                <p className="whitespace-pre-wrap break-words">{s.response}</p>
              </details>
            )}
          </li>
        ))}
      </ol>
      <p className="mt-2 text-[11px] font-semibold text-stone-600">Final instruction</p>
      <p data-testid="lineage-final" className="whitespace-pre-wrap break-words text-sm font-medium">{value.instruction}</p>
    </div>
  );
}
