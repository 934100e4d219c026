"use client";
// What a selection can do: decide or label every selected (or matching) record at once.
import { Button } from "@/components/ui/button";
import type { LabelSchema } from "@/lib/review/labels";
import type { Decision } from "@/lib/review/schemas";

export function BulkBar(p: {
  count: number;
  allMatching: boolean;
  total: number;
  schema: LabelSchema;
  pending: boolean;
  onAll: () => void;
  onClear: () => void;
  onDecide: (d: Decision) => void;
  onLabel: (label: string, value: string | number | null) => void;
}) {
  const choices = p.schema.labels.flatMap((l) =>
    l.kind === "rating" ? [1, 2, 3, 4, 5].map((n) => ({ label: l.name, value: n as string | number, text: `${l.name}: ${n}` })) : (l.options ?? []).map((o) => ({ label: l.name, value: o as string | number, text: `${l.name}: ${o}` })),
  );
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md bg-amber-50 px-2 py-1" data-testid="bulk-bar">
      <span className="font-medium">{p.allMatching ? `All ${p.count.toLocaleString("en-US")} matching records` : `${p.count.toLocaleString("en-US")} selected`}</span>
      {!p.allMatching && p.total > p.count && (
        <Button size="sm" variant="ghost" onClick={p.onAll}>Select all {p.total.toLocaleString("en-US")} matching</Button>
      )}
      <Button size="sm" variant="primary" disabled={p.pending} onClick={() => p.onDecide("accept")}>Accept all</Button>
      <Button size="sm" variant="danger" disabled={p.pending} onClick={() => p.onDecide("reject")}>Reject all</Button>
      <Button size="sm" disabled={p.pending} onClick={() => p.onDecide("reset")}>Reset all</Button>
      {choices.length > 0 && (
        <select
          aria-label="Label all"
          className="h-7 rounded border border-stone-300 bg-white px-1 text-xs"
          value=""
          disabled={p.pending}
          onChange={(e) => {
            const c = choices[Number(e.target.value)];
            if (c) p.onLabel(c.label, c.value);
          }}
        >
          <option value="">Label all…</option>
          {choices.map((c, i) => (
            <option key={c.text} value={i}>{c.text}</option>
          ))}
        </select>
      )}
      {p.pending && <span className="text-xs text-stone-500">Working…</span>}
      <Button size="sm" variant="ghost" onClick={p.onClear}>Clear selection</Button>
    </div>
  );
}
