"use client";
// The editor of an Evol-Instruct field: which earlier field holds the instructions, how many
// generations, and which mutations a step may draw, each with its method text (the paper's
// by default, editable). Problems show beside the input they concern.
import { useId } from "react";
import { Input, Label, Textarea, inputClass } from "@/components/ui/field";
import { MAX_EVOL_GENERATIONS, type EvolveField } from "@/lib/blueprints/schema";
import type { BlueprintIssue } from "@/lib/blueprints/validate";
import { MUTATIONS } from "@/lib/recipes/evol-instruct";
import { ModelSettings, type EditorProps } from "./field-editors";
import { IssueList, issueProps } from "./issue-list";

const at = (issues: BlueprintIssue[], path: string) => issues.filter((i) => i.path === path);

/** A number input's text as a number; an empty box is 0, which validation reports (JSON has no NaN). */
const num = (text: string) => Number(text) || 0;

export function EvolveEditor({ field, update, issues, earlierFields }: EditorProps<EvolveField>) {
  const id = useId();
  const readable = earlierFields.filter((f) => f.kind !== "validator" && f.name);
  const setting = (mid: string) => field.mutations.find((m) => m.id === mid) ?? { id: mid, enabled: false, method: MUTATIONS.find((m) => m.id === mid)?.method ?? "" };
  const patch = (mid: string, p: Partial<EvolveField["mutations"][number]>) => {
    const next = MUTATIONS.map((m) => (m.id === mid ? { ...setting(m.id), ...p } : setting(m.id)));
    update({ mutations: next });
  };
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start gap-4">
        <div className="min-w-56">
          <Label htmlFor={`${id}-source`}>Instructions to evolve</Label>
          <select id={`${id}-source`} {...issueProps(at(issues, "source"), `${id}-source-issues`)} className={inputClass} value={field.source} onChange={(e) => update({ source: e.target.value })}>
            <option value="">Choose a field…</option>
            {readable.map((f) => (
              <option key={f.id} value={f.name}>{f.name}</option>
            ))}
          </select>
          <IssueList issues={at(issues, "source")} id={`${id}-source-issues`} />
        </div>
        <div className="w-32">
          <Label htmlFor={`${id}-generations`}>Generations</Label>
          <Input
            id={`${id}-generations`}
            type="number"
            min={1}
            max={MAX_EVOL_GENERATIONS}
            {...issueProps(at(issues, "generations"), `${id}-generations-issues`)}
            value={field.generations}
            onChange={(e) => update({ generations: num(e.target.value) })}
          />
          <IssueList issues={at(issues, "generations")} id={`${id}-generations-issues`} />
        </div>
        <p className="max-w-sm pt-5 text-xs text-stone-500">
          Each generation is up to three calls per record: the rewrite, a response to it, and a check that it differs from its parent. A dropped evolution ends the record&apos;s lineage.
        </p>
      </div>
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-stone-600">Mutations a step may draw</legend>
        <ul className="space-y-2">
          {MUTATIONS.map((m) => {
            const s = setting(m.id);
            return (
              <li key={m.id}>
                <label className="flex items-center gap-2 text-sm">
                  <input type="checkbox" checked={s.enabled} onChange={(e) => patch(m.id, { enabled: e.target.checked })} />
                  {m.name} <span className="text-xs text-stone-500">({m.kind === "depth" ? "in-depth" : "in-breadth"})</span>
                </label>
                {m.kind === "depth" && s.enabled && (
                  <div className="ml-6 mt-1">
                    <Label htmlFor={`${id}-${m.id}`}>{`${m.name} method`}</Label>
                    <Textarea id={`${id}-${m.id}`} rows={2} value={s.method} onChange={(e) => patch(m.id, { method: e.target.value })} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
        <IssueList issues={at(issues, "mutations")} id={`${id}-mutations-issues`} />
      </fieldset>
      <ModelSettings model={field.model} params={field.params} issues={issues} update={update} />
    </div>
  );
}
