"use client";
// Judge-suggested labels in the grid (lib/review/suggestions.ts): a suggestion is drawn
// apart from a person's label (italic, dashed outline, "suggested" in its accessible name)
// until someone confirms it with Shift+C or sets the label. The label schema reaches the
// labels cell through a context, so memoised rows redraw when the schema changes without
// every row taking it as a prop.
import { createContext, useContext } from "react";
import { EMPTY_LABEL_SCHEMA, formatLabel, type LabelSchema } from "@/lib/review/labels";
import { confirmSuggestions, suggestedLabels } from "@/lib/review/suggestions";
import { Button } from "@/components/ui/button";
import type { RecordRow } from "@/lib/review/types";

export const LabelSchemaContext = createContext<LabelSchema>(EMPTY_LABEL_SCHEMA);

/** How a suggestion looks wherever it is shown, so it never reads as a decision. */
export const SUGGESTED_CLASS = "rounded border border-dashed border-indigo-400 px-1 italic text-indigo-800";

export function SuggestedChip({ name, value }: { name?: string; value: unknown }) {
  return (
    <span data-testid="suggested-label" className={SUGGESTED_CLASS}>
      <span className="sr-only">suggested by the judge: </span>
      {name ? `${name}: ` : ""}
      {formatLabel(value)}?
    </span>
  );
}

/** The labels cell: a person's labels as text, then the judge's suggestions for the rest. */
export function LabelsCell({ row }: { row: RecordRow }) {
  const schema = useContext(LabelSchemaContext);
  const suggested = Object.entries(suggestedLabels(schema, row.labels, row.scores));
  const own = Object.entries(row.labels).map(([k, v]) => `${k}: ${formatLabel(v)}`).join(" · ");
  return (
    <span data-testid="labels" className="min-w-0 text-xs whitespace-nowrap text-stone-700">
      {own}
      {suggested.map(([k, v], i) => (
        <span key={k}>
          {own || i > 0 ? " · " : ""}
          <SuggestedChip name={k} value={v} />
        </span>
      ))}
    </span>
  );
}

/** The detail's "Confirm suggestions" button: the same label write as Shift+C in the grid. */
export function ConfirmSuggestions({ schema, row, onLabels }: { schema: LabelSchema; row: RecordRow; onLabels: (labels: Record<string, unknown>) => void }) {
  const next = confirmSuggestions(schema, row.labels, row.scores);
  if (!next) return null;
  return (
    <p className="flex items-center gap-2 text-xs text-stone-600">
      Outlined in italics: the judge&apos;s suggestions, not labels yet.
      <Button size="sm" onClick={() => onLabels(next)} aria-keyshortcuts="Shift+C">
        Confirm suggestions <kbd className="ml-1 font-mono text-[10px]">Shift+C</kbd>
      </Button>
    </p>
  );
}
