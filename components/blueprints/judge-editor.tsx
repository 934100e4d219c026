"use client";
// The editor of a judge field: which earlier fields it reads, its model, and its rubric
// (criteria, each with score levels). Every input has its own label, so "Criterion 2,
// level 3, score" is reachable and announced by name; problems show beside the criterion
// they concern, like every other field's.
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label, Textarea } from "@/components/ui/field";
import type { JudgeCriterion, JudgeField, JudgeLevel } from "@/lib/blueprints/schema";
import type { BlueprintIssue } from "@/lib/blueprints/validate";
import { ModelSettings, type EditorProps } from "./field-editors";
import { IssueList, issueProps } from "./issue-list";

/** "3" is the number 3 (so scores sort as numbers); anything else is a word such as "pass". */
export function levelValue(text: string): JudgeLevel["value"] {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text;
}

const SCALES: { label: string; levels: () => JudgeLevel[] }[] = [
  { label: "1 to 5", levels: () => [1, 2, 3, 4, 5].map((value) => ({ value, description: "" })) },
  { label: "pass / fail", levels: () => ["pass", "fail"].map((value) => ({ value, description: "" })) },
];

export function JudgeEditor({ field, update, issues, earlierFields }: EditorProps<JudgeField>) {
  const id = useId();
  const readable = earlierFields.filter((f) => f.kind !== "validator" && f.name);
  // Names no longer above (renamed, moved or removed) stay listed, so they can be unticked.
  const stale = field.over.filter((n) => !readable.some((f) => f.name === n));
  const toggle = (name: string, on: boolean) => {
    const chosen = new Set(on ? [...field.over, name] : field.over.filter((n) => n !== name));
    // Keep the blueprint's order: the judge reads the record top to bottom.
    update({ over: [...readable.map((f) => f.name).filter((n) => chosen.has(n)), ...stale.filter((n) => chosen.has(n))] });
  };
  const setCriterion = (i: number, c: JudgeCriterion) => update({ criteria: field.criteria.map((x, j) => (j === i ? c : x)) });
  const overIssues = issues.filter((i) => i.path === "over");
  const topIssues = issues.filter((i) => i.path === "criteria" && i.index === undefined);
  return (
    <div className="space-y-4">
      <fieldset aria-describedby={overIssues.length ? `${id}-over-issues` : undefined}>
        <legend className="mb-1 text-xs font-medium text-stone-600">Fields the judge reads</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {readable.length === 0 && stale.length === 0 && <p className="text-xs text-stone-500">Add fields above this judge first.</p>}
          {[...readable.map((f) => f.name), ...stale].map((name) => (
            <label key={name} className="flex items-center gap-1.5 font-mono">
              <input type="checkbox" checked={field.over.includes(name)} onChange={(e) => toggle(name, e.target.checked)} /> {name}
            </label>
          ))}
        </div>
        <IssueList issues={overIssues} id={`${id}-over-issues`} />
      </fieldset>
      <ModelSettings model={field.model} params={field.params} issues={issues} update={update} />
      <div className="space-y-3">
        <h3 className="text-xs font-medium text-stone-600">Rubric: the judge answers every criterion with one of its levels and a short reason</h3>
        {field.criteria.map((c, i) => (
          <CriterionEditor
            key={i}
            index={i}
            criterion={c}
            issues={issues.filter((x) => (x.path === "criteria" || x.path === "levels") && x.index === i)}
            onChange={(next) => setCriterion(i, next)}
            onRemove={() => update({ criteria: field.criteria.filter((_, j) => j !== i) })}
          />
        ))}
        <IssueList issues={topIssues} />
        <Button size="sm" onClick={() => update({ criteria: [...field.criteria, { name: "", description: "", levels: SCALES[0].levels() }] })}>Add criterion</Button>
      </div>
    </div>
  );
}

// Top level (not nested in JudgeEditor) so its inputs keep focus across re-renders.
function CriterionEditor({
  index,
  criterion: c,
  issues,
  onChange,
  onRemove,
}: {
  index: number;
  criterion: JudgeCriterion;
  issues: BlueprintIssue[];
  onChange: (c: JudgeCriterion) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const n = index + 1;
  const nameIssues = issues.filter((i) => i.path === "criteria");
  const levelIssues = issues.filter((i) => i.path === "levels");
  const setLevel = (j: number, patch: Partial<JudgeLevel>) => onChange({ ...c, levels: c.levels.map((l, k) => (k === j ? { ...l, ...patch } : l)) });
  return (
    <fieldset data-testid="judge-criterion" className="space-y-2 rounded-md border border-stone-200 p-3">
      <legend className="px-1 text-xs font-medium text-stone-600">Criterion {n}</legend>
      <div className="grid grid-cols-[12rem_1fr_auto] items-start gap-3">
        <div>
          <Label htmlFor={`${id}-name`}>Criterion {n} name</Label>
          <Input id={`${id}-name`} className="font-mono" {...issueProps(nameIssues, `${id}-name-issues`)} value={c.name} placeholder="simple_words" onChange={(e) => onChange({ ...c, name: e.target.value })} />
        </div>
        <div>
          <Label htmlFor={`${id}-description`}>Criterion {n} description</Label>
          <Textarea id={`${id}-description`} className="font-sans" rows={2} value={c.description} placeholder="What the judge looks for" onChange={(e) => onChange({ ...c, description: e.target.value })} />
        </div>
        <Button size="sm" variant="ghost" className="mt-5 text-red-700" onClick={onRemove}>Remove criterion {n}</Button>
      </div>
      <IssueList issues={nameIssues} id={`${id}-name-issues`} />
      <table className="w-full text-sm">
        <caption className="sr-only">Score levels of criterion {n}</caption>
        <thead>
          <tr className="text-left text-xs text-stone-500">
            <th scope="col" className="w-28 font-medium">Score</th>
            <th scope="col" className="font-medium">What it means</th>
            <th scope="col"><span className="sr-only">Remove</span></th>
          </tr>
        </thead>
        <tbody>
          {c.levels.map((l, j) => (
            <tr key={j}>
              <td className="pr-2 pb-1">
                <Input
                  aria-label={`Criterion ${n} level ${j + 1} score`}
                  {...issueProps(levelIssues, `${id}-levels-issues`)}
                  value={String(l.value)}
                  onChange={(e) => setLevel(j, { value: levelValue(e.target.value) })}
                />
              </td>
              <td className="pr-2 pb-1">
                <Input aria-label={`Criterion ${n} level ${j + 1} meaning`} value={l.description} onChange={(e) => setLevel(j, { description: e.target.value })} />
              </td>
              <td className="pb-1">
                <Button size="sm" variant="ghost" aria-label={`Remove level ${j + 1} of criterion ${n}`} onClick={() => onChange({ ...c, levels: c.levels.filter((_, k) => k !== j) })}>✕</Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <IssueList issues={levelIssues} id={`${id}-levels-issues`} />
      <div className="flex flex-wrap gap-2">
        <Button size="sm" onClick={() => onChange({ ...c, levels: [...c.levels, { value: nextLevel(c.levels), description: "" }] })}>Add level to criterion {n}</Button>
        {SCALES.map((s) => (
          <Button key={s.label} size="sm" variant="ghost" onClick={() => onChange({ ...c, levels: s.levels() })}>Criterion {n}: use {s.label}</Button>
        ))}
      </div>
    </fieldset>
  );
}

/** One past the highest number level, or empty when the levels are words. */
function nextLevel(levels: readonly JudgeLevel[]): JudgeLevel["value"] {
  const nums = levels.map((l) => l.value).filter((v): v is number => typeof v === "number");
  return nums.length === levels.length && nums.length > 0 ? Math.max(...nums) + 1 : "";
}
