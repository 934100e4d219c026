"use client";
import { Input, inputClass } from "@/components/ui/field";
import { num } from "@/components/runs/format";
import { sourceFromKey, sourceKey } from "@/lib/export/defaults";
import { SPLITS, type SplitName, type SplitSpec } from "@/lib/export/schemas";

export const DEFAULT_SPLIT: SplitSpec = { train: 80, validation: 10, test: 10, seed: 42, stratifyBy: null };

export function SplitStep(p: {
  split: SplitSpec | null;
  fields: string[];
  labels: string[];
  counts: Record<SplitName, number> | null;
  error?: string;
  onChange: (s: SplitSpec | null) => void;
}) {
  const s = p.split;
  return (
    <div className="space-y-3">
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={s !== null} onChange={(e) => p.onChange(e.target.checked ? DEFAULT_SPLIT : null)} />
        Split into train / validation / test
      </label>
      {s && (
        <>
          <div className="grid grid-cols-4 gap-3">
            {SPLITS.map((name) => (
              <label key={name} className="block">
                <span className="mb-1 block text-xs font-medium capitalize text-stone-600">{name} %</span>
                <Input type="number" min={0} max={100} step="any" value={s[name]} onChange={(e) => p.onChange({ ...s, [name]: Number(e.target.value) })} />
                {p.counts && <span className="mt-0.5 block text-xs text-stone-500" data-testid={`split-count-${name}`}>{num(p.counts[name])} records</span>}
              </label>
            ))}
            <label className="block">
              <span className="mb-1 block text-xs font-medium text-stone-600">Seed</span>
              <Input type="number" min={0} step={1} value={s.seed} onChange={(e) => p.onChange({ ...s, seed: Math.max(0, Math.trunc(Number(e.target.value)) || 0) })} />
            </label>
          </div>
          <label className="block">
            <span className="mb-1 block text-xs font-medium text-stone-600">Stratify by</span>
            <select className={inputClass} value={sourceKey(s.stratifyBy)} onChange={(e) => p.onChange({ ...s, stratifyBy: sourceFromKey(e.target.value) as SplitSpec["stratifyBy"] })}>
              <option value="">nothing: each record by its seeded hash</option>
              {p.labels.length > 0 && (
                <optgroup label="Review labels">
                  {p.labels.map((l) => (
                    <option key={l} value={`label:${l}`}>{l}</option>
                  ))}
                </optgroup>
              )}
              {p.fields.length > 0 && (
                <optgroup label="Fields">
                  {p.fields.map((f) => (
                    <option key={f} value={`field:${f}`}>{f}</option>
                  ))}
                </optgroup>
              )}
            </select>
          </label>
          <p className="text-xs text-stone-500">
            {s.stratifyBy
              ? "Each value keeps the same proportions in every split (exact counts per value)."
              : "The same seed always gives the same split, and records added later never move existing ones."}{" "}
            The download becomes a zip with one file per split.
          </p>
          {p.error && <p role="alert" className="text-xs text-red-700">{p.error}</p>}
        </>
      )}
    </div>
  );
}
