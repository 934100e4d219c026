"use client";
// The judge thresholds of an "N good records" launch: per criterion, the minimum score
// (numeric levels) or the accepted scores (word levels). lib/runs/target.ts decides with them.
import { useId } from "react";
import { inputClass } from "@/components/ui/field";
import type { JudgeField } from "@/lib/blueprints/schema";
import type { TargetSettings } from "@/lib/runs/schemas";

type Thresholds = TargetSettings["thresholds"];

export function TargetThresholds({ judges, value, onChange }: { judges: JudgeField[]; value: Thresholds; onChange: (t: Thresholds) => void }) {
  const id = useId();
  const set = (judge: string, criterion: string, t: Thresholds[string][string]) => onChange({ ...value, [judge]: { ...value[judge], [criterion]: t } });
  if (judges.length === 0) return <p className="text-xs text-stone-600">No judge: a record is good when it succeeded and no &quot;reject&quot; validator failed.</p>;
  return (
    <div className="space-y-2">
      {judges.map((j) => (
        <fieldset key={j.id} className="rounded border border-stone-200 p-2">
          <legend className="px-1 text-xs font-medium text-stone-700">
            Judge <span className="font-mono">{j.name}</span>
          </legend>
          {j.criteria.map((c) => {
            const numeric = c.levels.length > 0 && c.levels.every((l) => typeof l.value === "number");
            const t = value[j.name]?.[c.name];
            const controlId = `${id}-${j.name}-${c.name}`;
            if (numeric) {
              return (
                <div key={c.name} className="mb-1 flex items-center justify-between gap-2 text-sm">
                  <label htmlFor={controlId}>
                    <span className="font-mono">{c.name}</span>: minimum score
                  </label>
                  <select
                    id={controlId}
                    className={`${inputClass} w-24`}
                    value={t?.min === undefined ? "" : String(t.min)}
                    onChange={(e) => set(j.name, c.name, e.target.value === "" ? {} : { min: Number(e.target.value) })}
                  >
                    <option value="">any</option>
                    {c.levels.map((l) => (
                      <option key={String(l.value)} value={String(l.value)}>
                        {String(l.value)}
                      </option>
                    ))}
                  </select>
                </div>
              );
            }
            const accepted = t?.accept ?? c.levels.map((l) => l.value);
            return (
              <fieldset key={c.name} className="mb-1 text-sm">
                <legend>
                  <span className="font-mono">{c.name}</span>: accepted scores
                </legend>
                <div className="flex flex-wrap gap-3">
                  {c.levels.map((l) => (
                    <label key={String(l.value)} className="flex items-center gap-1">
                      <input
                        type="checkbox"
                        checked={accepted.includes(l.value)}
                        onChange={(e) => {
                          const next = e.target.checked ? [...accepted, l.value] : accepted.filter((a) => a !== l.value);
                          set(j.name, c.name, next.length ? { accept: next } : { accept: [] });
                        }}
                      />
                      {String(l.value)}
                    </label>
                  ))}
                </div>
              </fieldset>
            );
          })}
        </fieldset>
      ))}
    </div>
  );
}
