"use client";
// The editor of a pool field (Self-Instruct, "grow a pool"): the seed table that is the
// pool, how many of its seed and generated instructions a prompt shows, and how far a run
// grows it. Problems (too few seeds for the human share) show beside the input they concern.
import { useId } from "react";
import { Input, Label } from "@/components/ui/field";
import type { PoolField } from "@/lib/blueprints/schema";
import type { BlueprintIssue } from "@/lib/blueprints/validate";
import { SeedTableSelect, type EditorProps } from "./field-editors";
import { IssueList, issueProps } from "./issue-list";

const at = (issues: BlueprintIssue[], path: string) => issues.filter((i) => i.path === path);

/** A number input's text as a number; an empty box is 0, which validation reports (JSON has no NaN). */
const num = (text: string) => Number(text) || 0;

const NUMBERS = [
  { key: "human", label: "Seed examples per prompt", min: 1 },
  { key: "generated", label: "Generated examples per prompt", min: 0 },
  { key: "targetSize", label: "Target pool size", min: 1 },
  { key: "perRound", label: "Candidates per round", min: 1 },
] as const;

export function PoolEditor({ field, update, issues, seedTables }: EditorProps<PoolField>) {
  const id = useId();
  return (
    <div className="space-y-3">
      <div className="max-w-md">
        <SeedTableSelect id={`${id}-table`} label="Pool table" value={field.seedTableId} onChange={(seedTableId) => update({ seedTableId })} issues={at(issues, "seedTableId")} seedTables={seedTables} />
      </div>
      <div className="grid grid-cols-4 items-start gap-3">
        {NUMBERS.map((n) => (
          <div key={n.key}>
            <Label htmlFor={`${id}-${n.key}`}>{n.label}</Label>
            <Input id={`${id}-${n.key}`} type="number" min={n.min} step={1} {...issueProps(at(issues, n.key), `${id}-${n.key}-issues`)} value={field[n.key]} onChange={(e) => update({ [n.key]: num(e.target.value) })} />
            <IssueList issues={at(issues, n.key)} id={`${id}-${n.key}-issues`} />
          </div>
        ))}
      </div>
      <p className="max-w-2xl text-xs text-stone-500">
        The table&apos;s rows are the pool: its seeds first, then what each round keeps (column <code>instruction</code>, with its round and the ids of the items that prompted it). A run
        grows it in rounds until it holds the target size, its candidate cap or budget is reached, or five rounds in a row keep nothing. Each record&apos;s value is the items its prompt
        showed, <code>{"[{ id, instruction, origin }]"}</code>.
      </p>
    </div>
  );
}
