"use client";
// One editor per field kind. Each gets the field, a patch function, the issues that
// concern it and the variables of the fields above it.
import { useEffect, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label, Textarea, hintId, inputClass } from "@/components/ui/field";
import { optionsToText, parseLines, parseOptionsText } from "@/lib/blueprints/options-text";
import type {
  CategoryField,
  ExpressionField,
  Field,
  LlmField,
  ModelParams,
  NumberField,
  SeedField,
  SubsetField,
  WeightedOption,
} from "@/lib/blueprints/schema";
import type { AvailableVariable, BlueprintIssue } from "@/lib/blueprints/validate";
import { IssueList, issueProps } from "./issue-list";
import { TemplateEditor } from "./template-editor";

export type SeedTableMeta = { id: string; name: string; columns: string[]; rowCount: number };

export type EditorProps<F extends Field> = {
  field: F;
  update: (patch: Partial<F>) => void;
  issues: BlueprintIssue[];
  variables: AvailableVariable[];
  earlierFields: Field[];
  seedTables: SeedTableMeta[];
};

const at = (issues: BlueprintIssue[], ...paths: string[]) => issues.filter((i) => paths.includes(i.path));

/** Text kept locally while typing so parsing never rewrites what the user is editing. */
function useDraftText(source: string, parse: (text: string) => void) {
  const [text, setText] = useState(source);
  const [lastSource, setLastSource] = useState(source);
  if (source !== lastSource) {
    setLastSource(source);
    setText(source);
  }
  return [
    text,
    (t: string) => {
      setText(t);
      parse(t);
    },
  ] as const;
}

function OptionsBox({ label, options, onChange, rows = 6, issues = [] }: { label: string; options: WeightedOption[]; onChange: (o: WeightedOption[]) => void; rows?: number; issues?: BlueprintIssue[] }) {
  const [text, setText] = useState(() => optionsToText(options));
  // Re-sync only when the options change from outside (undo, starter), not from typing.
  useEffect(() => {
    if (JSON.stringify(parseOptionsText(text)) !== JSON.stringify(options)) setText(optionsToText(options));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [options]);
  const id = useId();
  return (
    <div>
      <Label htmlFor={id} hint={`${options.length} option${options.length === 1 ? "" : "s"} · "value | weight" to weight`}>{label}</Label>
      <Textarea
        id={id}
        {...issueProps(issues, `${id}-issues`, hintId(id))}
        rows={rows}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseOptionsText(e.target.value));
        }}
      />
      <IssueList issues={issues} id={`${id}-issues`} />
    </div>
  );
}

export function CategoryEditor({ field, update, issues, earlierFields }: EditorProps<CategoryField>) {
  const parent = earlierFields.find((f) => f.name === field.dependsOn);
  const parentValues =
    parent?.kind === "category" ? parent.options.map((o) => o.value) : Object.keys(field.conditionalOptions ?? {});
  const id = useId();
  return (
    <div className="space-y-3">
      <OptionsBox label="Values, one per line" options={field.options} onChange={(options) => update({ options })} issues={at(issues, "options", "weights")} />
      <div>
        <Label htmlFor={`${id}-depends`} hint="e.g. subtopic per topic">Options depend on</Label>
        <select
          id={`${id}-depends`}
          {...issueProps(at(issues, "dependsOn"), `${id}-depends-issues`, hintId(`${id}-depends`))}
          className={inputClass}
          value={field.dependsOn ?? ""}
          onChange={(e) => update({ dependsOn: e.target.value || undefined, conditionalOptions: e.target.value ? field.conditionalOptions ?? {} : undefined })}
        >
          <option value="">Nothing: always use the values above</option>
          {earlierFields.filter((f) => f.kind === "category").map((f) => (
            <option key={f.id} value={f.name}>{f.name}</option>
          ))}
        </select>
        <IssueList issues={at(issues, "dependsOn")} id={`${id}-depends-issues`} />
      </div>
      {field.dependsOn && (
        <div className="space-y-2 rounded-md border border-stone-200 bg-stone-50 p-3">
          <p className="text-xs text-stone-500">
            Values for each <span className="font-mono">{field.dependsOn}</span>. A value left empty uses the list above.
          </p>
          {parentValues.map((pv) => (
            <OptionsBox
              key={pv}
              rows={3}
              label={`When ${field.dependsOn} is "${pv}"`}
              options={field.conditionalOptions?.[pv] ?? []}
              onChange={(opts) => {
                const next = { ...(field.conditionalOptions ?? {}) };
                if (opts.length) next[pv] = opts;
                else delete next[pv];
                update({ conditionalOptions: next });
              }}
            />
          ))}
          <IssueList issues={at(issues, "conditionalOptions")} />
        </div>
      )}
    </div>
  );
}

export function SubsetEditor({ field, update, issues }: EditorProps<SubsetField>) {
  const [text, setText] = useDraftText(field.options.join("\n"), (t) => update({ options: parseLines(t) }));
  const id = useId();
  return (
    <div className="grid grid-cols-[1fr_8rem] gap-3">
      <div>
        <Label htmlFor={`${id}-options`} hint={`n = ${field.options.length}`}>Options, one per line</Label>
        <Textarea id={`${id}-options`} {...issueProps(at(issues, "options"), `${id}-options-issues`, hintId(`${id}-options`))} rows={6} value={text} onChange={(e) => setText(e.target.value)} />
        <IssueList issues={at(issues, "options")} id={`${id}-options-issues`} />
      </div>
      <div>
        <Label htmlFor={`${id}-k`}>Pick k</Label>
        <Input id={`${id}-k`} {...issueProps(at(issues, "k"), `${id}-k-issues`)} type="number" min={1} value={field.k} onChange={(e) => update({ k: Math.trunc(Number(e.target.value)) })} />
        <IssueList issues={at(issues, "k")} id={`${id}-k-issues`} />
      </div>
    </div>
  );
}

export function NumberEditor({ field, update, issues }: EditorProps<NumberField>) {
  const id = useId();
  return (
    <div className="grid grid-cols-4 items-end gap-3">
      <div>
        <Label htmlFor={`${id}-min`}>Minimum</Label>
        <Input id={`${id}-min`} {...issueProps(at(issues, "min", "max"), `${id}-issues`)} type="number" value={field.min} onChange={(e) => update({ min: Number(e.target.value) })} />
      </div>
      <div>
        <Label htmlFor={`${id}-max`}>Maximum</Label>
        <Input id={`${id}-max`} {...issueProps(at(issues, "min", "max"), `${id}-issues`)} type="number" value={field.max} onChange={(e) => update({ max: Number(e.target.value) })} />
      </div>
      <label className="flex h-9 items-center gap-2 text-sm">
        <input type="checkbox" checked={field.integer} onChange={(e) => update({ integer: e.target.checked })} /> Whole numbers
      </label>
      {!field.integer && (
        <div>
          <Label htmlFor={`${id}-decimals`}>Decimals</Label>
          <Input id={`${id}-decimals`} type="number" min={0} max={10} value={field.decimals ?? 2} onChange={(e) => update({ decimals: Math.max(0, Math.min(10, Math.trunc(Number(e.target.value)))) })} />
        </div>
      )}
      <div className="col-span-4"><IssueList issues={at(issues, "min", "max")} id={`${id}-issues`} /></div>
    </div>
  );
}

/** A choice among the dataset's seed tables, with the issues about it beside it (seed and pool fields). */
export function SeedTableSelect({ id, label, value, onChange, issues, seedTables }: { id: string; label: string; value: string; onChange: (id: string) => void; issues: BlueprintIssue[]; seedTables: SeedTableMeta[] }) {
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <select id={id} {...issueProps(issues, `${id}-issues`)} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{seedTables.length ? "Choose a table…" : "Upload a table first"}</option>
        {seedTables.map((t) => (
          <option key={t.id} value={t.id}>{t.name} ({t.rowCount.toLocaleString()} rows)</option>
        ))}
      </select>
      <IssueList issues={issues} id={`${id}-issues`} />
    </div>
  );
}

export function SeedEditor({ field, update, issues, seedTables }: EditorProps<SeedField>) {
  const table = seedTables.find((t) => t.id === field.seedTableId);
  const id = useId();
  return (
    <div className="grid grid-cols-3 gap-3">
      <SeedTableSelect id={`${id}-table`} label="Seed table" value={field.seedTableId} onChange={(seedTableId) => update({ seedTableId, column: "" })} issues={at(issues, "seedTableId")} seedTables={seedTables} />
      <div>
        <Label htmlFor={`${id}-column`}>Column</Label>
        <select id={`${id}-column`} {...issueProps(at(issues, "column"), `${id}-column-issues`)} className={inputClass} value={field.column} onChange={(e) => update({ column: e.target.value })} disabled={!table}>
          <option value="">Choose a column…</option>
          {table?.columns.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <IssueList issues={at(issues, "column")} id={`${id}-column-issues`} />
      </div>
      <div>
        <Label htmlFor={`${id}-order`}>Row order</Label>
        <select id={`${id}-order`} className={inputClass} value={field.order} onChange={(e) => update({ order: e.target.value as SeedField["order"] })}>
          <option value="random">Random row per record</option>
          <option value="sequential">In file order (record i reads row i)</option>
        </select>
      </div>
    </div>
  );
}

export function ExpressionEditor({ field, update, issues, variables }: EditorProps<ExpressionField>) {
  return (
    <TemplateEditor
      label="Template"
      rows={3}
      value={field.template}
      onChange={(template) => update({ template })}
      variables={variables}
      issues={at(issues, "template")}
      placeholder="{{ sentiment }}"
    />
  );
}

function NumberParam({ label, value, onChange, step, min, max }: { label: string; value: number | undefined; onChange: (v: number | undefined) => void; step?: number; min?: number; max?: number }) {
  const id = useId();
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="number"
        step={step}
        min={min}
        max={max}
        placeholder="default"
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </div>
  );
}

/** Model and sampling parameters: the same inputs for every field that calls a model (LLM fields, judges). */
export function ModelSettings({ model, params: p, issues, update }: { model: string; params: ModelParams; issues: BlueprintIssue[]; update: (patch: { model?: string; params?: ModelParams }) => void }) {
  const setParam = (k: keyof ModelParams, v: number | undefined) => update({ params: { ...p, [k]: v } });
  const id = useId();
  return (
    <div className="grid grid-cols-5 gap-3">
      <div className="col-span-1">
        <Label htmlFor={`${id}-model`}>Model</Label>
        <Input id={`${id}-model`} {...issueProps(at(issues, "model"), `${id}-model-issues`)} value={model} onChange={(e) => update({ model: e.target.value })} placeholder="gpt-4o-mini" />
        <IssueList issues={at(issues, "model")} id={`${id}-model-issues`} />
      </div>
      <NumberParam label="Temperature" value={p.temperature} step={0.1} min={0} max={2} onChange={(v) => setParam("temperature", v)} />
      <NumberParam label="top_p" value={p.top_p} step={0.05} min={0} max={1} onChange={(v) => setParam("top_p", v)} />
      <NumberParam label="Max tokens" value={p.max_tokens} step={1} min={1} onChange={(v) => setParam("max_tokens", v === undefined ? undefined : Math.trunc(v))} />
      <NumberParam label="Seed" value={p.seed} step={1} onChange={(v) => setParam("seed", v === undefined ? undefined : Math.trunc(v))} />
    </div>
  );
}

export function LlmEditor({ field, update, issues, variables }: EditorProps<LlmField>) {
  const fs = field.fewShot;
  const id = useId();
  return (
    <div className="space-y-4">
      <TemplateEditor label="System prompt" rows={2} value={field.system} onChange={(system) => update({ system })} variables={variables} issues={at(issues, "system")} placeholder="You are a helpful assistant." />
      <TemplateEditor label="Prompt" rows={7} value={field.prompt} onChange={(prompt) => update({ prompt })} variables={variables} issues={at(issues, "prompt")} />
      <ModelSettings model={field.model} params={field.params} issues={issues} update={update} />
      <fieldset>
        <legend className="mb-1 text-xs font-medium text-stone-600">Output</legend>
        <div className="flex gap-4 text-sm">
          <label className="flex items-center gap-1.5">
            <input type="radio" name={`out-${field.id}`} checked={field.output.type === "text"} onChange={() => update({ output: { type: "text" } })} /> Text
          </label>
          <label className="flex items-center gap-1.5">
            <input
              type="radio"
              name={`out-${field.id}`}
              checked={field.output.type === "json"}
              onChange={() => update({ output: { type: "json", schema: '{\n  "type": "object",\n  "properties": {\n    "answer": { "type": "string" }\n  },\n  "required": ["answer"]\n}' } })}
            />{" "}
            JSON matching a schema
          </label>
        </div>
        {field.output.type === "json" && (
          <div className="mt-2">
            <Textarea aria-label="JSON schema" {...issueProps(at(issues, "schema"), `${id}-schema-issues`)} rows={8} value={field.output.schema} onChange={(e) => update({ output: { type: "json", schema: e.target.value } })} spellCheck={false} />
          </div>
        )}
        <IssueList issues={at(issues, "schema")} id={`${id}-schema-issues`} />
      </fieldset>
      <FewShotEditor fewShot={fs} onChange={(fewShot) => update({ fewShot })} />
      <IssueList issues={at(issues, "fewShot")} />
    </div>
  );
}

// Top level (not nested in LlmEditor) so its inputs keep focus across re-renders.
function FewShotEditor({ fewShot: fs, onChange }: { fewShot: LlmField["fewShot"]; onChange: (f: LlmField["fewShot"]) => void }) {
  const setFs = (patch: Partial<LlmField["fewShot"]>) => onChange({ ...fs, ...patch });
  const id = useId();
  return (
    <details className="rounded-md border border-stone-200" open={fs.examples.length > 0}>
      <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium">
        Few-shot examples <span className="font-normal text-stone-500">({fs.examples.length}, {fs.k} per record)</span>
      </summary>
      <div className="space-y-3 border-t border-stone-200 p-3">
        <div className="flex flex-wrap items-end gap-3">
          <div className="w-28">
            <Label htmlFor={`${id}-k`}>Examples per record</Label>
            <Input id={`${id}-k`} type="number" min={0} value={fs.k} onChange={(e) => setFs({ k: Math.max(0, Math.trunc(Number(e.target.value))) })} />
          </div>
          <div>
            <Label htmlFor={`${id}-mode`}>Sent as</Label>
            <select id={`${id}-mode`} className={inputClass} value={fs.mode} onChange={(e) => setFs({ mode: e.target.value as "turns" | "inline" })}>
              <option value="turns">Chat turns before the prompt</option>
              <option value="inline">Text placed at {"{{ examples }}"}</option>
            </select>
          </div>
          <Button size="sm" onClick={() => setFs({ examples: [...fs.examples, { input: "", output: "" }] })}>Add example</Button>
        </div>
        {fs.examples.map((ex, i) => (
          <div key={i} className="grid grid-cols-[1fr_1fr_auto] gap-2">
            <Textarea aria-label={`Example ${i + 1} input`} rows={2} placeholder="User message" value={ex.input} onChange={(e) => setFs({ examples: fs.examples.map((x, j) => (j === i ? { ...x, input: e.target.value } : x)) })} />
            <Textarea aria-label={`Example ${i + 1} output`} rows={2} placeholder="Assistant answer" value={ex.output} onChange={(e) => setFs({ examples: fs.examples.map((x, j) => (j === i ? { ...x, output: e.target.value } : x)) })} />
            <Button size="sm" variant="ghost" aria-label={`Remove example ${i + 1}`} onClick={() => setFs({ examples: fs.examples.filter((_, j) => j !== i) })}>✕</Button>
          </div>
        ))}
      </div>
    </details>
  );
}
