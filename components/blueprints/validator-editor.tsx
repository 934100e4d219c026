"use client";
// The editor of a validator field: what to check, on which field, and whether a failing
// record is flagged or rejected. Problems (a broken pattern or condition) show beside the
// input they concern, like every other field's.
import { useId } from "react";
import { Input, Label, Textarea, hintId, inputClass } from "@/components/ui/field";
import { isSampler, type ValidatorCheck, type ValidatorField } from "@/lib/blueprints/schema";
import type { BlueprintIssue } from "@/lib/blueprints/validate";
import { LANGUAGES } from "@/lib/quality/validators/languages";
import type { EditorProps } from "./field-editors";
import { IssueList, issueProps } from "./issue-list";

const CHECKS: { type: ValidatorCheck["type"]; label: string }[] = [
  { type: "length", label: "Length between bounds" },
  { type: "regex", label: "Matches a pattern (regex)" },
  { type: "json_schema", label: "JSON output matches its schema" },
  { type: "mentions", label: "Mentions the sampled values" },
  { type: "language", label: "Is in a language" },
  { type: "expression", label: "Custom condition (Liquid)" },
  { type: "similar_to_pool", label: "Not similar to the pool (ROUGE-L)" },
];

/** A fresh check of another type, keeping the field it looked at. */
function checkOfType(type: ValidatorCheck["type"], field: string): ValidatorCheck {
  switch (type) {
    case "length":
      return { type, field, unit: "words", min: null, max: null };
    case "regex":
      return { type, field, pattern: "", caseInsensitive: false, mustMatch: true };
    case "json_schema":
      return { type, field };
    case "mentions":
      return { type, field, sources: [] };
    case "language":
      return { type, field, language: "eng" };
    case "expression":
      return { type, condition: "", message: "" };
    case "similar_to_pool":
      return { type, field, pool: "" };
  }
}

const at = (issues: BlueprintIssue[], ...paths: string[]) => issues.filter((i) => paths.includes(i.path));

export function ValidatorEditor({ field, update, issues, earlierFields }: EditorProps<ValidatorField>) {
  const id = useId();
  const check = field.check;
  const setCheck = (patch: Partial<ValidatorCheck>) => update({ check: { ...check, ...patch } as ValidatorCheck });
  const targets = earlierFields.filter((f) => f.kind !== "validator" && f.name);
  const target = "field" in check ? check.field : "";
  // One input with its label and the issues at its path, read together by screen readers.
  const issuesFor = (path: string, hint?: string) => ({
    props: issueProps(at(issues, path), `${id}-${path}-issues`, hint),
    list: <IssueList issues={at(issues, path)} id={`${id}-${path}-issues`} />,
  });
  const targetIssues = issuesFor("target");
  const pattern = issuesFor("pattern");
  const condition = issuesFor("condition", hintId(`${id}-condition`));
  const message = issuesFor("message");
  const bounds = issuesFor("min");
  const sources = issuesFor("sources");
  const language = issuesFor("language");
  const pool = issuesFor("pool");

  return (
    <div className="space-y-3">
      <div className="grid grid-cols-3 gap-3">
        <div>
          <Label htmlFor={`${id}-type`}>Check</Label>
          <select id={`${id}-type`} className={inputClass} value={check.type} onChange={(e) => update({ check: checkOfType(e.target.value as ValidatorCheck["type"], target) })}>
            {CHECKS.map((c) => (
              <option key={c.type} value={c.type}>{c.label}</option>
            ))}
          </select>
        </div>
        {"field" in check && (
          <div>
            <Label htmlFor={`${id}-target`}>Field to check</Label>
            <select id={`${id}-target`} {...targetIssues.props} className={inputClass} value={check.field} onChange={(e) => setCheck({ field: e.target.value })}>
              <option value="">Choose a field…</option>
              {targets.map((f) => (
                <option key={f.id} value={f.name}>{f.name}</option>
              ))}
              {check.field && !targets.some((f) => f.name === check.field) && <option value={check.field}>{check.field} (not above)</option>}
            </select>
            {targetIssues.list}
          </div>
        )}
        <div>
          <Label htmlFor={`${id}-mode`}>When a record fails</Label>
          <select id={`${id}-mode`} className={inputClass} value={field.mode} onChange={(e) => update({ mode: e.target.value as ValidatorField["mode"] })}>
            <option value="flag">Flag it</option>
            <option value="reject">Reject it (left out of exports)</option>
          </select>
        </div>
      </div>

      {check.type === "length" && (
        <div className="grid grid-cols-3 items-start gap-3">
          <div>
            <Label htmlFor={`${id}-unit`}>Count</Label>
            <select id={`${id}-unit`} className={inputClass} value={check.unit} onChange={(e) => setCheck({ unit: e.target.value as typeof check.unit })}>
              <option value="chars">Characters</option>
              <option value="words">Words</option>
              <option value="tokens">Tokens (o200k)</option>
            </select>
          </div>
          <BoundInput id={`${id}-min`} label="Minimum" value={check.min} onChange={(min) => setCheck({ min })} describe={bounds.props} />
          <BoundInput id={`${id}-max`} label="Maximum" value={check.max} onChange={(max) => setCheck({ max })} describe={bounds.props} />
          <div className="col-span-3">{bounds.list}</div>
        </div>
      )}

      {check.type === "regex" && (
        <div className="grid grid-cols-[1fr_auto_10rem] items-end gap-3">
          <div>
            <Label htmlFor={`${id}-pattern`}>Pattern (RE2 syntax)</Label>
            <Input id={`${id}-pattern`} {...pattern.props} className="font-mono" spellCheck={false} value={check.pattern} placeholder="\bonce upon a time\b" onChange={(e) => setCheck({ pattern: e.target.value })} />
          </div>
          <label className="flex h-9 items-center gap-2 text-sm">
            <input type="checkbox" checked={check.caseInsensitive} onChange={(e) => setCheck({ caseInsensitive: e.target.checked })} /> Ignore case
          </label>
          <div>
            <Label htmlFor={`${id}-must`}>The text must</Label>
            <select id={`${id}-must`} className={inputClass} value={check.mustMatch ? "match" : "not"} onChange={(e) => setCheck({ mustMatch: e.target.value === "match" })}>
              <option value="match">match it</option>
              <option value="not">not match it</option>
            </select>
          </div>
          <div className="col-span-3">{pattern.list}</div>
        </div>
      )}

      {check.type === "mentions" && (
        <fieldset aria-describedby={sources.props["aria-describedby"]}>
          <legend className="mb-1 text-sm font-medium">Sampled fields whose values it must mention</legend>
          <div className="flex flex-wrap gap-3">
            {targets.filter(isSampler).map((f) => (
              <label key={f.id} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={check.sources.includes(f.name)}
                  onChange={(e) => setCheck({ sources: e.target.checked ? [...check.sources, f.name] : check.sources.filter((s) => s !== f.name) })}
                />
                {f.name}
              </label>
            ))}
            {!targets.some(isSampler) && <span className="text-sm text-stone-500">Add a sampler field above this validator first.</span>}
          </div>
          {sources.list}
        </fieldset>
      )}

      {check.type === "language" && (
        <div className="max-w-64">
          <Label htmlFor={`${id}-language`}>Language</Label>
          <select id={`${id}-language`} {...language.props} className={inputClass} value={check.language} onChange={(e) => setCheck({ language: e.target.value })}>
            {Object.entries(LANGUAGES).map(([code, name]) => (
              <option key={code} value={code}>{name}</option>
            ))}
          </select>
          {language.list}
        </div>
      )}

      {check.type === "expression" && (
        <div className="space-y-3">
          <div>
            <Label htmlFor={`${id}-condition`} hint="as inside {% if %}, over the record's fields">Condition</Label>
            <Textarea id={`${id}-condition`} {...condition.props} rows={2} className="font-mono" spellCheck={false} value={check.condition} placeholder='story.size > 200 and story contains "moral"' onChange={(e) => setCheck({ condition: e.target.value })} />
            {condition.list}
          </div>
          <div>
            <Label htmlFor={`${id}-message`}>Message when it fails</Label>
            <Input id={`${id}-message`} {...message.props} value={check.message} placeholder="Too short for {{ topic }}" onChange={(e) => setCheck({ message: e.target.value })} />
            {message.list}
          </div>
        </div>
      )}

      {check.type === "similar_to_pool" && (
        <div className="max-w-md space-y-2">
          <div>
            <Label htmlFor={`${id}-pool`}>Pool</Label>
            <select id={`${id}-pool`} {...pool.props} className={inputClass} value={check.pool} onChange={(e) => setCheck({ pool: e.target.value })}>
              <option value="">Choose a pool field…</option>
              {earlierFields.filter((f) => f.kind === "pool" && f.name).map((f) => (
                <option key={f.id} value={f.name}>{f.name}</option>
              ))}
            </select>
            {pool.list}
          </div>
          <p className="text-sm text-stone-600">
            Fails when the text&apos;s ROUGE-L F1 with any instruction of the pool (seeds, kept ones, and those kept earlier in the same round) is above 0.7; the record shows the
            closest instruction and its score. A kept text joins the pool. Decided by the run that grows the pool, before any later field is asked for.
          </p>
        </div>
      )}

      {check.type === "json_schema" && (
        <p className="text-sm text-stone-600">
          Answers are checked against the field&apos;s schema as they arrive and asked again when they do not match; this shows that result per record.
        </p>
      )}
    </div>
  );
}

function BoundInput({ id, label, value, onChange, describe }: { id: string; label: string; value: number | null; onChange: (v: number | null) => void; describe: ReturnType<typeof issueProps> }) {
  return (
    <div>
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        {...describe}
        type="number"
        min={0}
        step={1}
        placeholder="none"
        value={value ?? ""}
        onChange={(e) => onChange(e.target.value === "" ? null : Math.max(0, Math.trunc(Number(e.target.value))))}
      />
    </div>
  );
}
