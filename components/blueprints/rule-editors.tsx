"use client";
// Editors of the rule-based fields (grammar, transform, mask): computed per record with
// no model call (lib/blueprints/rule-fields.ts). Problems show beside the input they
// concern, with line and column inside a grammar, like templates.
import { useId } from "react";
import { Button } from "@/components/ui/button";
import { Input, Label, Textarea, inputClass } from "@/components/ui/field";
import { TRANSFORM_OPERATIONS, type Field, type GrammarField, type MaskField, type TransformField, type TransformOperation } from "@/lib/blueprints/schema";
import type { BlueprintIssue } from "@/lib/blueprints/validate";
import { ENTITY_TYPES } from "@/lib/recipes/mask";
import type { EditorProps } from "./field-editors";
import { IssueList, issueProps } from "./issue-list";

const at = (issues: BlueprintIssue[], path: string, index?: number) => issues.filter((i) => i.path === path && (index === undefined || i.index === index));

/** A number box's text as a number; an empty box is 0, which validation reports where it matters (JSON has no NaN). */
const num = (text: string) => Number(text) || 0;

export function GrammarEditor({ field, update, issues }: EditorProps<GrammarField>) {
  const id = useId();
  const list = at(issues, "grammar");
  return (
    <div>
      <Label htmlFor={`${id}-grammar`}>Grammar</Label>
      <Textarea
        id={`${id}-grammar`}
        rows={8}
        className="font-mono"
        spellCheck={false}
        {...issueProps(list, `${id}-grammar-issues`, `${id}-grammar-hint`)}
        value={field.grammar}
        onChange={(e) => update({ grammar: e.target.value })}
      />
      <IssueList issues={list} id={`${id}-grammar-issues`} />
      <p id={`${id}-grammar-hint`} className="mt-1 text-xs text-stone-500">
        One rule per line: <code>name -&gt; item item | other [weight]</code>. The first rule is the start; quote text (<code>&quot;hi&quot;</code>), items join with a space, <code>+</code> joins without one. Each record expands it with its own seed.
      </p>
    </div>
  );
}

const OPERATION_LABELS: Record<TransformOperation, { label: string; amount: string; step: number }> = {
  synonyms: { label: "Replace synonyms", amount: "Rate (share of words, 0–1)", step: 0.05 },
  insert: { label: "Insert words", amount: "Rate (share of words, 0–1)", step: 0.05 },
  delete: { label: "Delete words", amount: "Rate (share of words, 0–1)", step: 0.05 },
  swap: { label: "Swap words", amount: "Rate (share of words, 0–1)", step: 0.05 },
  shuffle_sentences: { label: "Shuffle sentences", amount: "Rate (share of sentences, 0–1)", step: 0.05 },
  perturb_numbers: { label: "Perturb numbers", amount: "Relative range (0.1 = ±10%)", step: 0.05 },
  perturb_dates: { label: "Perturb dates", amount: "Most days moved", step: 1 },
};

function SourceSelect({ id, value, earlierFields, issues, onChange }: { id: string; value: string; earlierFields: Field[]; issues: BlueprintIssue[]; onChange: (source: string) => void }) {
  const sources = earlierFields.filter((f) => f.kind !== "validator" && f.name);
  const list = at(issues, "source");
  return (
    <div className="w-56">
      <Label htmlFor={`${id}-source`}>Source field</Label>
      <select id={`${id}-source`} className={inputClass} {...issueProps(list, `${id}-source-issues`)} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose a field…</option>
        {sources.map((f) => (
          <option key={f.id} value={f.name}>{f.name}</option>
        ))}
        {value && !sources.some((f) => f.name === value) && <option value={value}>{value} (not above)</option>}
      </select>
      <IssueList issues={list} id={`${id}-source-issues`} />
    </div>
  );
}

export function TransformEditor({ field, update, issues, earlierFields }: EditorProps<TransformField>) {
  const id = useId();
  const amount = at(issues, "amount");
  const op = OPERATION_LABELS[field.operation];
  return (
    <div className="flex flex-wrap items-start gap-3">
      <SourceSelect id={id} value={field.source} earlierFields={earlierFields} issues={issues} onChange={(source) => update({ source })} />
      <div className="w-56">
        <Label htmlFor={`${id}-operation`}>Operation</Label>
        <select id={`${id}-operation`} className={inputClass} value={field.operation} onChange={(e) => update({ operation: e.target.value as TransformOperation })}>
          {TRANSFORM_OPERATIONS.map((o) => (
            <option key={o} value={o}>{OPERATION_LABELS[o].label}</option>
          ))}
        </select>
      </div>
      <div className="w-56">
        <Label htmlFor={`${id}-amount`}>{op.amount}</Label>
        <Input id={`${id}-amount`} type="number" min={0} step={op.step} {...issueProps(amount, `${id}-amount-issues`)} value={field.amount} onChange={(e) => update({ amount: num(e.target.value) })} />
        <IssueList issues={amount} id={`${id}-amount-issues`} />
      </div>
    </div>
  );
}

export function MaskEditor({ field, update, issues, earlierFields }: EditorProps<MaskField>) {
  const id = useId();
  const rate = at(issues, "rate");
  const types = at(issues, "entityTypes");
  const setPattern = (i: number, patch: Partial<MaskField["patterns"][number]>) => update({ patterns: field.patterns.map((p, j) => (j === i ? { ...p, ...patch } : p)) });
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-start gap-3">
        <SourceSelect id={id} value={field.source} earlierFields={earlierFields} issues={issues} onChange={(source) => update({ source })} />
        <div className="w-56">
          <Label htmlFor={`${id}-mode`}>Masking</Label>
          <select id={`${id}-mode`} className={inputClass} value={field.mode} onChange={(e) => update({ mode: e.target.value as MaskField["mode"] })}>
            <option value="entities">Personal details (entities)</option>
            <option value="tokens">Share of tokens</option>
          </select>
        </div>
        {field.mode === "tokens" && (
          <div className="w-56">
            <Label htmlFor={`${id}-rate`}>Share of tokens masked (0–1)</Label>
            <Input id={`${id}-rate`} type="number" min={0} max={1} step={0.05} {...issueProps(rate, `${id}-rate-issues`)} value={field.rate} onChange={(e) => update({ rate: num(e.target.value) })} />
            <IssueList issues={rate} id={`${id}-rate-issues`} />
          </div>
        )}
      </div>
      {field.mode === "tokens" ? (
        <p className="text-xs text-stone-500">The value is <code>{"{ masked, targets }"}</code>: the text with [MASK] tokens and the tokens they hide, an infilling pair.</p>
      ) : (
        <>
          <fieldset {...issueProps(types, `${id}-types-issues`)}>
            <legend className="mb-1 text-xs font-medium text-stone-600">Entity types masked</legend>
            <div className="flex flex-wrap gap-3">
              {ENTITY_TYPES.map((t) => (
                <label key={t} className="flex items-center gap-1 text-sm">
                  <input type="checkbox" checked={field.entityTypes.includes(t)} onChange={(e) => update({ entityTypes: e.target.checked ? [...field.entityTypes, t] : field.entityTypes.filter((x) => x !== t) })} />
                  {t}
                </label>
              ))}
            </div>
            <IssueList issues={types} id={`${id}-types-issues`} />
          </fieldset>
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-stone-600">Your patterns (matches become [NAME]; RE2 syntax)</legend>
            <ul className="space-y-2">
              {field.patterns.map((p, i) => {
                const list = at(issues, "patterns", i);
                return (
                  <li key={i} className="flex flex-wrap items-start gap-2">
                    <div className="w-40">
                      <Label htmlFor={`${id}-pname-${i}`}>Pattern {i + 1} name</Label>
                      <Input id={`${id}-pname-${i}`} className="font-mono" value={p.name} onChange={(e) => setPattern(i, { name: e.target.value })} />
                    </div>
                    <div className="min-w-64 flex-1">
                      <Label htmlFor={`${id}-pattern-${i}`}>Pattern {i + 1} regular expression</Label>
                      <Input id={`${id}-pattern-${i}`} className="font-mono" spellCheck={false} {...issueProps(list, `${id}-pattern-${i}-issues`)} value={p.pattern} onChange={(e) => setPattern(i, { pattern: e.target.value })} />
                      <IssueList issues={list} id={`${id}-pattern-${i}-issues`} />
                    </div>
                    <Button size="sm" variant="ghost" className="mt-5 text-red-700" aria-label={`Remove pattern ${i + 1}`} onClick={() => update({ patterns: field.patterns.filter((_, j) => j !== i) })}>
                      Remove
                    </Button>
                  </li>
                );
              })}
            </ul>
            <Button size="sm" variant="secondary" className="mt-2" onClick={() => update({ patterns: [...field.patterns, { name: "ID", pattern: "" }] })}>
              Add pattern
            </Button>
          </fieldset>
        </>
      )}
    </div>
  );
}
